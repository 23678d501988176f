@testable import CitrusAPI
import CitrusSimulator
import Foundation
import Testing

/// A 429 storm from citrus-sim itself: its per-key limit is set below what the
/// client's budget allows, so the client must pause on the simulator's
/// `Retry-After`, not hammer it, and recover once the window has passed.
@Suite("429 storm against the simulator")
struct SimulatorRateLimitTests {
    @Test("client pauses on the simulator's Retry-After and recovers")
    func stormAgainstSimulator() async throws {
        // The simulator counts requests per key over a rolling real-time minute,
        // so its Retry-After is up to 60 s and this test takes about a minute.
        let harness = try SimulatorHarness { $0.rateLimitPerMinute = 12 }
        let logger = RecordingLogSink()
        let client = harness.client(
            requestsPerMinute: 6_000,
            retryPolicy: RetryPolicy(maximumGETAttempts: 6, baseDelay: 0.01, maximumDelay: 0.05),
            logger: logger)

        let results = LockedList<Bool>()
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<4 {
                        _ = try await client.walletBalance(lane: .background)
                        results.append(true)
                    }
                }
            }
            try await group.waitForAll()
        }

        #expect(results.count == 16)

        let rateLimited = logger.lines.all.filter { $0.contains("rate limited (HTTP 429)") }
        #expect(!rateLimited.isEmpty)
        // Four tasks send one request at a time, so once the bucket pauses at
        // most the four requests already in flight can meet the limit.
        #expect(rateLimited.count <= 4, "\(rateLimited)")

        // The simulator asked for a pause of about a minute. Retrying without
        // the pause would have spent the six attempts in well under a second.
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 30, "the storm was over after \(elapsed) s")
        #expect(await client.budgetState().isPaused == false)
    }
}
