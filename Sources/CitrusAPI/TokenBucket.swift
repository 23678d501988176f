/// The pure state of the request budget: a token bucket plus a log of the
/// grants in the last 60 seconds. Times are seconds on a monotonic scale.
///
/// The bucket refills at `requestsPerMinute / 60` tokens per second up to
/// `capacity`, which smooths bursts. The grant log makes the budget a hard
/// limit: no 60-second window ever contains more than `requestsPerMinute`
/// grants, even right after a full bucket was spent.
struct TokenBucket: Sendable {
    /// Length of the window that `requestsPerMinute` applies to, in seconds.
    static let windowLength: Double = 60
    /// Slack for floating-point refill arithmetic, in tokens.
    private static let epsilon: Double = 1e-9
    /// Added to computed wake-up times, in seconds, so that a grant at the
    /// computed time is never a rounding error early.
    private static let wakeUpMargin: Double = 1e-6

    let requestsPerMinute: Int
    let capacity: Int
    private(set) var tokens: Double
    private var lastRefill: Double
    /// Grant times in the last `windowLength` seconds, oldest first.
    private(set) var recentGrants: [Double] = []
    private(set) var pausedUntil: Double?

    init(requestsPerMinute: Int, capacity: Int, now: Double) {
        precondition(requestsPerMinute > 0 && capacity > 0)
        self.requestsPerMinute = requestsPerMinute
        self.capacity = capacity
        self.tokens = Double(capacity)
        self.lastRefill = now
    }

    private var refillPerSecond: Double { Double(requestsPerMinute) / Self.windowLength }

    /// Refills tokens for the time since the last call and drops grants that
    /// left the window.
    mutating func advance(to now: Double) {
        if now > lastRefill {
            tokens = min(Double(capacity), tokens + (now - lastRefill) * refillPerSecond)
            lastRefill = now
        }
        let windowStart = now - Self.windowLength
        if let firstKept = recentGrants.firstIndex(where: { $0 > windowStart }) {
            if firstKept > 0 { recentGrants.removeFirst(firstKept) }
        } else {
            recentGrants.removeAll()
        }
        if let pausedUntil, pausedUntil <= now { self.pausedUntil = nil }
    }

    /// Whole grants possible at `now` (after `advance(to: now)`): the lesser of
    /// the whole tokens and the room left in the window; zero while paused.
    func available(at now: Double) -> Int {
        if let pausedUntil, pausedUntil > now { return 0 }
        let wholeTokens = Int((tokens + Self.epsilon).rounded(.down))
        let windowRoom = requestsPerMinute - recentGrants.count
        return max(0, min(wholeTokens, windowRoom))
    }

    /// Spends one token and logs the grant. Call only when `available(at:)` is at least 1.
    mutating func take(at now: Double) {
        tokens = max(0, tokens - 1)
        recentGrants.append(now)
    }

    /// Stops all grants until `until`. A pause never shortens an existing one.
    mutating func pause(until: Double) {
        pausedUntil = max(pausedUntil ?? until, until)
    }

    /// The earliest time at which `count` grants will be available, assuming no
    /// grant is taken meanwhile. `count` must not exceed `capacity` or `requestsPerMinute`.
    func earliestTime(toHave count: Int, after now: Double) -> Double {
        let missingTokens = Double(count) - tokens
        let tokenTime = missingTokens > Self.epsilon ? now + missingTokens / refillPerSecond + Self.wakeUpMargin : now

        var windowTime = now
        let excess = recentGrants.count + count - requestsPerMinute
        if excess > 0 {
            // The `excess` oldest grants must leave the window first.
            windowTime = recentGrants[excess - 1] + Self.windowLength + Self.wakeUpMargin
        }

        let pauseTime = pausedUntil ?? now
        return max(tokenTime, windowTime, pauseTime, now)
    }
}
