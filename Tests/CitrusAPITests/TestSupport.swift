import CitrusAPI
import Foundation

/// A `BudgetClock` that moves only when a test calls `advance(by:)`.
final class ManualClock: BudgetClock, @unchecked Sendable {
    private struct Sleeper {
        var id: UInt64
        var deadline: Double
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current: Double = 1000
    private var sleepers: [Sleeper] = []
    private var nextID: UInt64 = 0

    func now() -> Double {
        lock.withLock { current }
    }

    func sleep(until deadline: Double) async throws {
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = lock.withLock {
                    if deadline <= current { return true }
                    sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled: Sleeper? = lock.withLock {
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    func advance(by seconds: Double) {
        let due: [Sleeper] = lock.withLock {
            current += seconds
            let due = sleepers.filter { $0.deadline <= current }
            sleepers.removeAll { $0.deadline <= current }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

/// A thread-safe list for recording what concurrent tasks did.
final class LockedList<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) {
        lock.withLock { items.append(item) }
    }

    var all: [Element] {
        lock.withLock { items }
    }

    var count: Int {
        lock.withLock { items.count }
    }
}

/// A log sink that keeps every line.
final class RecordingLogSink: CitrusLogSink, @unchecked Sendable {
    let lines = LockedList<String>()

    func log(_ level: CitrusLogLevel, _ message: String) {
        lines.append("\(level): \(message)")
    }
}

/// Polls `condition` until it is true or `timeout` seconds pass, and returns its last value.
func eventually(timeout: Double = 10, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}

/// Returns every run of grants that breaks a token bucket's limit: between grants
/// `i` and `j`, at most `capacity` plus `perSecond × (times[j] − times[i])` grants.
/// `times` must be sorted and come from the budget's own clock, so no slack is
/// needed beyond 1e-6 of a grant for the refill arithmetic.
func bucketLimitViolations(_ times: [Double], capacity: Int, perSecond: Double) -> [String] {
    var violations: [String] = []
    for start in times.indices {
        for end in start..<times.count {
            let granted = end - start + 1
            let allowed = Double(capacity) + (times[end] - times[start]) * perSecond
            if Double(granted) > allowed + 1e-6 {
                violations.append("\(granted) grants in \(times[end] - times[start]) s from grant \(start); allowed \(allowed)")
            }
        }
    }
    return violations
}
