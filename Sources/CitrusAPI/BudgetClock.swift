import Foundation

/// The time source of a `RequestBudget`. Tests inject a manual clock so that
/// refills and pauses happen without waiting.
public protocol BudgetClock: Sendable {
    /// Seconds on a monotonic scale with an arbitrary origin.
    func now() -> Double
    /// Suspends until `now() >= deadline`. Throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Double) async throws
}

/// The real monotonic clock (`ContinuousClock`).
public struct MonotonicBudgetClock: BudgetClock {
    private let origin: ContinuousClock.Instant

    public init() {
        origin = ContinuousClock.now
    }

    public func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    public func sleep(until deadline: Double) async throws {
        let remaining = deadline - now()
        guard remaining > 0 else { return }
        try await Task.sleep(for: .seconds(remaining))
    }
}
