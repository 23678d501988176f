@testable import CitrusAPI
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

        // Every request the server saw went through the budget, retries included.
        let grants = await client.budget.recentGrantTimes()
        #expect(grants.count == requests.count)

        // The limit is checked on the grant times the budget recorded on its own clock.
        // Arrival times at the server are no measure of it: a loaded machine delays some
        // requests between grant and arrival and so bunches the arrivals.
        let violations = bucketLimitViolations(grants, capacity: client.budget.capacity, perSecond: 600.0 / 60)
        #expect(violations.isEmpty, "\(violations.prefix(5))")

        // A 429 at budget time t stops every grant until t + 1 s (its Retry-After), and
        // the 429's own request was granted before t, so some two grants are 1 s apart.
        let longestGap = zip(grants, grants.dropFirst()).map { $1 - $0 }.max() ?? 0
        #expect(longestGap >= 1 - 1e-9, "the longest gap between grants is \(longestGap) s")
        #expect(await client.budgetState().isPaused == false)
    }
}
