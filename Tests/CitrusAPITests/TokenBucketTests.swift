@testable import CitrusAPI
import Testing

@Suite("TokenBucket")
struct TokenBucketTests {
    /// Spends every grant as soon as it is available for `duration` seconds and
    /// returns the grant times.
    private func greedyGrants(requestsPerMinute: Int, capacity: Int, duration: Double) -> [Double] {
        var bucket = TokenBucket(requestsPerMinute: requestsPerMinute, capacity: capacity, now: 0)
        var now = 0.0
        var grants: [Double] = []
        while true {
            now = bucket.earliestTime(toHave: 1, after: now)
            guard now < duration else { break }
            bucket.advance(to: now)
            #expect(bucket.available(at: now) >= 1)
            bucket.take(at: now)
            grants.append(now)
        }
        return grants
    }

    /// Returns the maximum count of grants in any half-open window of `length` seconds.
    private func busiestWindow(_ grants: [Double], length: Double) -> Int {
        var busiest = 0
        var start = 0
        for end in grants.indices {
            while grants[end] - grants[start] >= length { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        return busiest
    }

    @Test("no 60 s window exceeds the budget", arguments: [(60, 5), (60, 60), (100, 8), (6, 1)])
    func windowLimit(requestsPerMinute: Int, capacity: Int) {
        let grants = greedyGrants(requestsPerMinute: requestsPerMinute, capacity: capacity, duration: 900)
        #expect(busiestWindow(grants, length: 60) <= requestsPerMinute)
    }

    @Test("greedy throughput is within 2% of the budget")
    func throughput() {
        let grants = greedyGrants(requestsPerMinute: 60, capacity: 5, duration: 600)
        // Ten minutes at 60 per minute.
        #expect(grants.count >= 588)
        #expect(grants.count <= 600)
    }

    @Test("bursts never exceed the capacity plus the refill")
    func burstLimit() {
        let grants = greedyGrants(requestsPerMinute: 60, capacity: 5, duration: 120)
        #expect(busiestWindow(grants, length: 1) <= 6)
        #expect(grants.prefix(5).allSatisfy { $0 == 0 })
    }

    @Test("a pause stops grants until it ends")
    func pause() {
        var bucket = TokenBucket(requestsPerMinute: 60, capacity: 5, now: 0)
        bucket.pause(until: 10)
        bucket.advance(to: 5)
        #expect(bucket.available(at: 5) == 0)
        #expect(bucket.earliestTime(toHave: 1, after: 5) == 10)
        bucket.advance(to: 10)
        #expect(bucket.available(at: 10) == 5)
    }

    @Test("a shorter pause does not cut a longer one")
    func pauseKeepsLonger() {
        var bucket = TokenBucket(requestsPerMinute: 60, capacity: 5, now: 0)
        bucket.pause(until: 30)
        bucket.pause(until: 10)
        #expect(bucket.pausedUntil == 30)
    }
}
