import Testing
@testable import CitrusSimulator

/// The rolling-minute limiter alone, against a plain list of admission times.
@Suite struct RateLimiterTests {
    private static let second: UInt64 = 1_000_000_000

    /// The reference model: every admission time kept, the window scanned in full.
    private struct NaiveLimiter {
        let limit: Int
        var admissions: [String: [UInt64]] = [:]

        mutating func admit(key: String, nowNanos: UInt64) -> Int? {
            let windowStart = nowNanos >= RateLimiter.windowNanos ? nowNanos - RateLimiter.windowNanos : 0
            let live = admissions[key, default: []].filter { $0 > windowStart }
            guard live.count >= limit else {
                admissions[key] = live + [nowNanos]
                return nil
            }
            admissions[key] = live
            let wait = live[live.count - limit] + RateLimiter.windowNanos - nowNanos
            return max(1, Int((wait + second - 1) / second))
        }
    }

    @Test func admitsUpToLimitThenWaits() {
        var limiter = RateLimiter(limit: 3)
        let start = 1_000 * Self.second

        #expect(limiter.admit(key: "rsk_a", nowNanos: start) == nil)
        #expect(limiter.admit(key: "rsk_a", nowNanos: start + 10 * Self.second) == nil)
        #expect(limiter.admit(key: "rsk_a", nowNanos: start + 20 * Self.second) == nil)
        #expect(limiter.admit(key: "rsk_a", nowNanos: start + 30 * Self.second) == 30)
        #expect(limiter.admit(key: "rsk_a", nowNanos: start + 60 * Self.second) == nil)
    }

    @Test func rejectedRequestsAreNotCounted() {
        var limiter = RateLimiter(limit: 1)
        let start = 1_000 * Self.second
        _ = limiter.admit(key: "rsk_a", nowNanos: start)
        for step in 1...50 {
            _ = limiter.admit(key: "rsk_a", nowNanos: start + UInt64(step) * Self.second)
        }

        #expect(limiter.admit(key: "rsk_a", nowNanos: start + 60 * Self.second) == nil)
    }

    @Test func limitOfZeroAdmitsEverything() {
        var limiter = RateLimiter(limit: 0)

        #expect(limiter.admit(key: "rsk_a", nowNanos: 5) == nil)
    }

    /// Random bursts and pauses over three keys, long enough for the ring buffers
    /// to wrap around and grow many times.
    @Test(arguments: [1, 2, 7, 100])
    func matchesReferenceModel(limit: Int) {
        var limiter = RateLimiter(limit: limit)
        var reference = NaiveLimiter(limit: limit)
        var random = SeededGenerator(seed: UInt64(limit))
        var now = 10 * Self.second
        var mismatches = 0
        for _ in 0..<20_000 {
            let pause = random.next() % 8 == 0 ? random.next() % (30 * Self.second) : random.next() % (Self.second / 4)
            now += pause
            let key = ["rsk_a", "rsk_b", "rsk_c"][Int(random.next() % 3)]
            if limiter.admit(key: key, nowNanos: now) != reference.admit(key: key, nowNanos: now) {
                mismatches += 1
            }
        }

        #expect(mismatches == 0)
    }
}
