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

/// Runs `operation` as a task and blocks the calling thread until it ends.
/// Call it only inside `offCooperativePool`, never on the cooperative pool.
func waitBlocking<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do {
            box.set(.success(try await operation()))
        } catch {
            box.set(.failure(error))
        }
        done.signal()
    }
    done.wait()
    return try box.get()
}

/// The result of a `waitBlocking` task, handed from the task to the waiting thread.
private final class BlockingResult<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) {
        lock.withLock { result = value }
    }

    func get() throws -> T {
        try lock.withLock { result! }.get()
    }
}
