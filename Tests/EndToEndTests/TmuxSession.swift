import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tmux server of its own (`tmux -L <unique socket>`) with one detached
/// session running `sh`, for driving the dashboard as a user would.
final class TmuxSession {
    /// The shell prompt in the session, so a test can tell the shell is back.
    static let prompt = "e2e$"

    let socket: String
    let session = "e2e"
    /// A private directory for the dashboard's logs, audit file and pid file.
    let directory: URL

    /// Starts the server with a `width`×`height` window. The shell's
    /// environment has no Citrus key or base URL, and its XDG directories and
    /// HOME point into `directory`, so no file of the real user is read.
    init(width: Int = 120, height: Int = 40) throws {
        socket = "citrus-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let path = directory.path
        let shell = [
            "env", "-u", "CITRUS_API_KEY", "-u", "CITRUS_BASE_URL", "-u", "CITRUS_FLEET_CONFIG",
            "HOME=\(path)", "XDG_STATE_HOME=\(path)/state", "XDG_DATA_HOME=\(path)/data",
            "XDG_CONFIG_HOME=\(path)/config", "PS1=\(Self.prompt) ", "sh",
        ]
        do {
            try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", session] + shell)
            _ = try waitFor("the shell prompt", timeout: 10) { $0.contains { $0.hasPrefix(Self.prompt) } }
        } catch {
            kill()
            throw error
        }
    }

    /// Stops the tmux server and everything it runs, and removes the
    /// directory and the server's socket file, which tmux 3.3 leaves behind.
    func kill() {
        _ = try? ProcessRunner.run(["tmux", "-L", socket, "kill-server"], timeout: 10)
        try? FileManager.default.removeItem(at: directory)
        let socketDirectory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(socketDirectory)/tmux-\(getuid())/\(socket)")
    }

    /// Types `text` literally, without pressing Enter.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", session, "-l", text])
    }

    /// Presses keys by tmux name: `Enter`, `Escape`, `Up`, `C-c`, `j`.
    func press(_ keys: String...) throws {
        try press(keys)
    }

    func press(_ keys: [String]) throws {
        try tmux(["send-keys", "-t", session] + keys)
    }

    /// Runs a shell command line in the session.
    func run(_ commandLine: String) throws {
        try type(commandLine)
        try press("Enter")
    }

    /// Resizes the window, as when the user resizes the terminal.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Returns the visible rows of the pane, without colors.
    func capture() throws -> [String] {
        let result = try ProcessRunner.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", session], timeout: 10)
        guard result.status == 0 else { throw E2EError("tmux capture-pane failed: \(result.output)") }
        var lines = result.output.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Polls the pane every 100 ms until `condition` holds, and returns the
    /// rows that satisfied it.
    ///
    /// - Throws: `E2EError` with the last screen when `timeout` seconds pass.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 20, _ condition: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var lines: [String] = []
        while Date() < deadline {
            lines = try capture()
            if condition(lines) { return lines }
            usleep(100_000)
        }
        throw E2EError("Timed out after \(Int(timeout)) s waiting for \(what). The screen showed:\n\(lines.joined(separator: "\n"))")
    }

    private func tmux(_ arguments: [String]) throws {
        let result = try ProcessRunner.run(["tmux", "-L", socket] + arguments, timeout: 10)
        guard result.status == 0 else {
            throw E2EError("tmux \(arguments.joined(separator: " ")) failed with status \(result.status): \(result.output)")
        }
    }
}
