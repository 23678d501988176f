import Foundation

/// A snapshot of a `RequestBudget` for display.
public struct BudgetState: Sendable, Hashable {
    /// The configured budget in requests per minute.
    public var requestsPerMinute: Int
    /// The bucket size: the largest burst, in requests.
    public var capacity: Int
    /// Whole tokens in the bucket now.
    public var tokens: Int
    /// Requests that can start right now: the tokens, limited by the room left
    /// in the last 60 seconds and zero while paused.
    public var available: Int
    /// Requests granted in the last 60 seconds.
    public var grantedLastMinute: Int
    public var interactiveWaiting: Int
    public var backgroundWaiting: Int
    /// When a pause after a 429 ends, as wall-clock time; nil when not paused.
    public var pausedUntil: Date?

    public init(requestsPerMinute: Int, capacity: Int, tokens: Int, available: Int, grantedLastMinute: Int,
                interactiveWaiting: Int, backgroundWaiting: Int, pausedUntil: Date?) {
        self.requestsPerMinute = requestsPerMinute
        self.capacity = capacity
        self.tokens = tokens
        self.available = available
        self.grantedLastMinute = grantedLastMinute
        self.interactiveWaiting = interactiveWaiting
        self.backgroundWaiting = backgroundWaiting
        self.pausedUntil = pausedUntil
    }

    public var isPaused: Bool { pausedUntil != nil }
}

/// The client's request budget: one token bucket with two lanes.
///
/// - Interactive requests are always granted before background ones, in
///   arrival order within a lane.
/// - A background request is granted only when no interactive request waits
///   and the grant leaves at least `interactiveReserve` requests available.
///   So up to `interactiveReserve` operator actions start without waiting for
///   a refill after a sweep. Exceptions: during a 429 pause every request
///   waits, and further actions in the same burst may wait for a refill.
///   The reserve shrinks to `requestsPerMinute - 1` when the budget is smaller.
/// - No 60-second window contains more than `requestsPerMinute` grants.
/// - `rateLimited(retryAfter:)` pauses every grant for `Retry-After` seconds,
///   or for an exponential backoff (2 s doubling to 60 s) when it is absent.
public actor RequestBudget {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// The first pause after a 429 without `Retry-After`, in seconds.
    public static let initialRateLimitBackoff: Double = 2
    /// The maximum pause after a 429 without `Retry-After`, in seconds.
    public static let maximumRateLimitBackoff: Double = 60

    public nonisolated let requestsPerMinute: Int
    public nonisolated let capacity: Int
    public nonisolated let interactiveReserve: Int
    private let clock: any BudgetClock
    private var bucket: TokenBucket
    private var interactive: [Waiter] = []
    private var background: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var timer: Task<Void, Never>?
    private var timerDeadline: Double?
    private var nextBackoff: Double = RequestBudget.initialRateLimitBackoff

    /// Creates a budget of `requestsPerMinute` (at least 1).
    ///
    /// - Parameters:
    ///   - burstSeconds: the bucket contains this many seconds of refill, so a burst
    ///     after a quiet spell stays far below the per-minute budget.
    ///   - interactiveReserve: requests that background traffic leaves untouched.
    public init(requestsPerMinute: Int = 60, burstSeconds: Double = 5, interactiveReserve: Int = 1,
                clock: any BudgetClock = MonotonicBudgetClock()) {
        let rate = max(1, requestsPerMinute)
        let reserve = max(0, interactiveReserve)
        let burst = Int((Double(rate) * max(0, burstSeconds) / 60).rounded(.up))
        // Background needs `reserve + 1` tokens at once, so the bucket must fit them,
        // but never more than the per-minute budget.
        let capacity = min(rate, max(burst, reserve + 1, 1))
        self.requestsPerMinute = rate
        self.capacity = capacity
        self.interactiveReserve = min(reserve, max(0, capacity - 1))
        self.clock = clock
        self.bucket = TokenBucket(requestsPerMinute: rate, capacity: capacity, now: clock.now())
    }

    /// Waits for a token in `lane`. Throws `CancellationError` if the calling task
    /// is cancelled while waiting; the token is then not spent.
    public func acquire(_ lane: RequestLane) async throws {
        try Task.checkCancellation()
        let id = nextWaiterID
        nextWaiterID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enqueue(Waiter(id: id, continuation: continuation), lane: lane)
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Pauses every grant after a 429 and returns the pause in seconds:
    /// `retryAfter` when the server sent it, else the next backoff step.
    @discardableResult
    public func rateLimited(retryAfter: Double?) -> Double {
        let pause: Double
        if let retryAfter, retryAfter >= 0, retryAfter.isFinite {
            pause = min(retryAfter, 3600)
        } else {
            pause = nextBackoff
            nextBackoff = min(nextBackoff * 2, Self.maximumRateLimitBackoff)
        }
        let now = clock.now()
        bucket.advance(to: now)
        bucket.pause(until: now + pause)
        dispatch()
        return pause
    }

    /// Resets the 429 backoff after a request that was not rate limited.
    public func succeeded() {
        nextBackoff = Self.initialRateLimitBackoff
    }

    /// Returns the state for display.
    public func state() -> BudgetState {
        let now = clock.now()
        bucket.advance(to: now)
        let pausedUntil = bucket.pausedUntil.map { Date().addingTimeInterval($0 - now) }
        return BudgetState(
            requestsPerMinute: requestsPerMinute,
            capacity: capacity,
            tokens: Int(bucket.tokens.rounded(.down)),
            available: bucket.available(at: now),
            grantedLastMinute: bucket.recentGrants.count,
            interactiveWaiting: interactive.count,
            backgroundWaiting: background.count,
            pausedUntil: pausedUntil)
    }

    /// Returns the grant times kept for the 60-second window, oldest first, on
    /// the budget's clock. Tests check the bucket's limit on these exact times.
    func recentGrantTimes() -> [Double] {
        bucket.recentGrants
    }

    // MARK: Queue

    private func enqueue(_ waiter: Waiter, lane: RequestLane) {
        // The continuation body runs on this actor before any other message, so a
        // cancellation that is already set is seen here and a later one finds the waiter queued.
        if Task.isCancelled {
            waiter.continuation.resume(throwing: CancellationError())
            return
        }
        switch lane {
        case .interactive: interactive.append(waiter)
        case .background: background.append(waiter)
        }
        dispatch()
    }

    private func cancelWaiter(_ id: UInt64) {
        if let index = interactive.firstIndex(where: { $0.id == id }) {
            interactive.remove(at: index).continuation.resume(throwing: CancellationError())
        } else if let index = background.firstIndex(where: { $0.id == id }) {
            background.remove(at: index).continuation.resume(throwing: CancellationError())
        }
        dispatch()
    }

    /// Grants every waiter that can go now, then arms the timer for the next grant.
    private func dispatch() {
        let now = clock.now()
        bucket.advance(to: now)

        while true {
            let available = bucket.available(at: now)
            if !interactive.isEmpty, available >= 1 {
                bucket.take(at: now)
                interactive.removeFirst().continuation.resume()
            } else if interactive.isEmpty, !background.isEmpty, available >= 1 + interactiveReserve {
                bucket.take(at: now)
                background.removeFirst().continuation.resume()
            } else {
                break
            }
        }

        armTimer(now: now)
    }

    private func armTimer(now: Double) {
        let needed: Int
        if !interactive.isEmpty {
            needed = 1
        } else if !background.isEmpty {
            needed = 1 + interactiveReserve
        } else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        let deadline = bucket.earliestTime(toHave: needed, after: now)
        if let timerDeadline, timer != nil, abs(timerDeadline - deadline) < 1e-6 { return }

        timer?.cancel()
        timerDeadline = deadline
        let clock = self.clock
        timer = Task { [weak self] in
            do {
                try await clock.sleep(until: deadline)
            } catch {
                return
            }
            await self?.timerFired(deadline: deadline)
        }
    }

    private func timerFired(deadline: Double) {
        guard timerDeadline == deadline else { return }
        timer = nil
        timerDeadline = nil
        dispatch()
    }
}
