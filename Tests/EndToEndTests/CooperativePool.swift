import Foundation

/// Runs `body` on a thread of its own and waits for it without blocking.
///
/// The end-to-end tests block while they poll tmux and wait for processes.
/// Swift Testing runs test functions on the cooperative thread pool, which
/// has one thread per core (two on CI), so a blocking test there starves the
/// tasks that other suites' tests depend on and makes them time out.
func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}
