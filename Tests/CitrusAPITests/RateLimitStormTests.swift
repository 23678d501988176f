import CitrusAPI
import Foundation
import Testing

/// A 429 storm: the client pauses the whole bucket for Retry-After, keeps to
/// its budget, and recovers.
@Suite("429 storm")
struct RateLimitStormTests {
    @Test("client pauses on 429, stays within its budget and recovers")
    func storm() async throws {
        let served = LockedList<Int>()
        let server = try ScriptedHTTPServer { _ in
            served.append(1)
            if served.count <= 6 {
                return .json(429, #"{"error":"RATE_LIMITED","message":"Too many requests"}"#, headers: ["Retry-After": "1"])
            }
            return .json(200, Fixtures.balance)
        }
        defer { server.stop() }

        // 600 per minute with a one-second burst: 10 at once, then 10 per second.
        let configuration = CitrusClientConfiguration(
            baseURL: server.baseURL, apiKey: TransportFailureTests.key, requestTimeout: 5, requestsPerMinute: 600,
            burstSeconds: 1, retryPolicy: RetryPolicy(maximumGETAttempts: 8, baseDelay: 0.01, maximumDelay: 0.05))
        let logger = RecordingLogSink()
        let client = CitrusClient(configuration: configuration, logger: logger)

        let sawPause = LockedList<Bool>()
        let watcher = Task {
            while !Task.isCancelled {
                if await client.budgetState().isPaused { sawPause.append(true) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<5 { _ = try await client.walletBalance() }
                }
            }
            try await group.waitForAll()
        }
        watcher.cancel()

        let requests = server.requests
        #expect(requests.count >= 46)
        #expect(sawPause.count > 0)
        #expect(logger.lines.all.contains { $0.contains("rate limited (HTTP 429)") })

        // After a 429, nothing new arrives during its one-second pause (requests already
        // in flight may land within the first 0.4 s).
        let arrivals = requests.map(\.arrival)
        for (index, arrival) in arrivals.prefix(6).enumerated() {
            let during = arrivals.enumerated().filter { $0.offset != index && $0.element > arrival + 0.4 && $0.element < arrival + 0.9 }
            #expect(during.isEmpty, "requests arrived \(during.map { $0.element - arrival }) s after the 429 at \(arrival)")
        }

        // The bucket's limit holds on the server's clock: in any interval, at most
        // the burst plus the refill, with one request of slack for network jitter.
        let sorted = arrivals.sorted()
        for start in sorted.indices {
            for end in start..<sorted.count {
                let allowed = 10 + (sorted[end] - sorted[start]) * 10 + 1
                #expect(Double(end - start + 1) <= allowed)
            }
        }
        #expect(await client.budgetState().isPaused == false)
    }
}
