#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Failures of the UI's own plumbing, before the dashboard can draw.
public enum DashboardSetupError: Error, CustomStringConvertible {
    case wakeUpPipe(errno: Int32)
    case notATerminal
    case terminalUnavailable(term: String)

    public var description: String {
        switch self {
        case .wakeUpPipe(let code):
            return "Could not create the UI wake-up pipe: \(String(cString: strerror(code)))."
        case .notATerminal:
            return "The dashboard needs a terminal: standard input and standard output must both be a TTY. Run it in a terminal window, not through a pipe."
        case .terminalUnavailable(let term):
            return "Could not start the terminal UI for TERM=\"\(term)\". Set TERM to a terminal type with a terminfo entry, such as xterm-256color."
        }
    }
}

/// A thread-safe queue of events for the UI loop. Background tasks post
/// into it from any thread; each post writes one byte to a pipe, which wakes
/// the UI loop from `poll()`.
public final class Mailbox: @unchecked Sendable {
    /// The read end of the wake-up pipe, polled by the UI loop.
    public let wakeUpReadFD: Int32
    /// The write end of the wake-up pipe. Signal handlers write to it too.
    public let wakeUpWriteFD: Int32

    private let lock = NSLock()
    private var events: [AppEvent] = []

    public init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw DashboardSetupError.wakeUpPipe(errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeUpReadFD = fds[0]
        wakeUpWriteFD = fds[1]
    }

    deinit {
        close(wakeUpReadFD)
        close(wakeUpWriteFD)
    }

    /// Queues `event` and wakes the UI loop.
    public func post(_ event: AppEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
        wake()
    }

    /// Removes and returns every queued event, oldest first.
    public func drain() -> [AppEvent] {
        lock.lock()
        defer { lock.unlock() }
        let drained = events
        events.removeAll(keepingCapacity: true)
        return drained
    }

    /// Writes one byte to the pipe. A full pipe already guarantees a wake-up,
    /// so EAGAIN is ignored.
    public func wake() {
        var byte: UInt8 = 0
        _ = write(wakeUpWriteFD, &byte, 1)
    }

    /// Reads and discards every byte waiting in the pipe.
    func consumeWakeUps() {
        var scratch = [UInt8](repeating: 0, count: 256)
        while read(wakeUpReadFD, &scratch, scratch.count) > 0 {}
    }
}
