#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write end of the shutdown pipe. The signal handler only writes one byte to it, which
/// is async-signal-safe, and the main thread does the shutdown work after reading the byte.
nonisolated(unsafe) private var shutdownPipeWriteEnd: Int32 = -1

/// Turns SIGINT and SIGTERM into a byte on a pipe, so the main thread can wait for them.
struct ShutdownSignal {
    private let readEnd: Int32

    /// Installs the handlers and unblocks both signals, which a parent may have blocked
    /// (children inherit the signal mask, and Dispatch worker threads block most signals).
    /// Call it before any server thread starts, so the threads inherit the unblocked mask.
    static func install() -> ShutdownSignal? {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return nil }
        shutdownPipeWriteEnd = descriptors[1]

        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)

        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = { signalNumber in
                var byte = UInt8(truncatingIfNeeded: signalNumber)
                _ = write(shutdownPipeWriteEnd, &byte, 1)
            }
            #else
            action.__sigaction_u.__sa_handler = { signalNumber in
                var byte = UInt8(truncatingIfNeeded: signalNumber)
                _ = write(shutdownPipeWriteEnd, &byte, 1)
            }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
        return ShutdownSignal(readEnd: descriptors[0])
    }

    /// Blocks until SIGINT or SIGTERM arrives, and returns the signal's name.
    func wait() -> String {
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) != 1 {
            if errno != EINTR { return "a read error on the signal pipe" }
        }
        return Int32(byte) == SIGINT ? "SIGINT" : "SIGTERM"
    }
}
