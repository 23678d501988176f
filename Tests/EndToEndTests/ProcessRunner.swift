import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The output of a finished child process.
struct ProcessResult {
    var status: Int32
    var output: String
}

/// Runs child processes with `posix_spawn`.
///
/// Foundation's `Process` passes on the signal mask of the calling thread,
/// and the test runner's threads block most signals. A tmux server started
/// with that mask never receives SIGCHLD or SIGTERM and hangs, so children
/// here start with an empty mask and default signal actions.
enum ProcessRunner {
    /// Runs `arguments` (looked up on PATH) with standard output and standard
    /// error merged and standard input from /dev/null, and waits at most
    /// `timeout` seconds.
    static func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> ProcessResult {
        var pipeDescriptors: [Int32] = [-1, -1]
        guard pipe(&pipeDescriptors) == 0 else {
            throw E2EError("pipe() failed: \(String(cString: strerror(errno))).")
        }
        let (readEnd, writeEnd) = (pipeDescriptors[0], pipeDescriptors[1])

        let pid: pid_t
        do {
            pid = try spawn(arguments, outputDescriptor: writeEnd)
        } catch {
            close(readEnd)
            close(writeEnd)
            throw error
        }
        close(writeEnd)

        let output = OutputCollector()
        let readerDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            output.readToEnd(readEnd)
            close(readEnd)
            readerDone.signal()
        }

        guard let status = waitForExit(pid, timeout: timeout) else {
            kill(pid, SIGKILL)
            _ = waitForExit(pid, timeout: 5)
            throw E2EError("\(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s and was killed. Output read so far:\n\(output.text)")
        }
        // A daemon the child started (the tmux server) may hold the pipe
        // open; its output is not needed.
        _ = readerDone.wait(timeout: .now() + 2)
        return ProcessResult(status: status, output: output.text)
    }

    /// Returns whether `command` is on PATH.
    static func isInstalled(_ command: String) -> Bool {
        (try? run(["sh", "-c", "command -v \(command)"], timeout: 10))?.status == 0
    }

    private static func spawn(_ arguments: [String], outputDescriptor: Int32) throws -> pid_t {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&fileActions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&fileActions, outputDescriptor, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptySet = sigset_t()
        sigemptyset(&emptySet)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptySet)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &fileActions, &attributes, &cArguments, environ)
        guard result == 0 else {
            throw E2EError("Could not start \(arguments[0]): \(String(cString: strerror(result))).")
        }
        return pid
    }

    /// Returns the exit status (128 + N for a signal), or nil after `timeout` seconds.
    private static func waitForExit(_ pid: pid_t, timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                let signal = status & 0x7F
                return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
            }
            if result < 0 && errno != EINTR { return -1 }
            usleep(10_000)
        }
        return nil
    }
}

/// The bytes a reader thread collects from a pipe.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func readToEnd(_ descriptor: Int32) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            lock.lock()
            data.append(contentsOf: chunk[0..<count])
            lock.unlock()
        }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A failed step of an end-to-end scenario, with what the screen showed.
struct E2EError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
