import CitrusAPI
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dashboard's log file. The UI owns the terminal, so nothing is logged
/// there. Lines are `time level message`; the API key is never passed in.
final class FileLog: CitrusLogSink, @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let lock = NSLock()

    /// Opens `path` for appending with owner-only permissions, creating its
    /// directory (mode 0700) when missing, or returns nil when that fails.
    init?(path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Returns the log's default path: `$XDG_STATE_HOME/citrus-fleet/citrus-fleet.log`,
    /// or `~/.local/state/citrus-fleet/citrus-fleet.log` when the variable is
    /// unset or not an absolute path.
    static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/citrus-fleet/citrus-fleet.log"
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return home + "/.local/state/citrus-fleet/citrus-fleet.log"
        }
        return "/tmp/citrus-fleet-\(getuid()).log"
    }

    func log(_ level: CitrusLogLevel, _ message: String) {
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        let line = "\(time) \(level) \(message)\n"
        lock.lock()
        defer { lock.unlock() }
        _ = line.utf8CString.withUnsafeBufferPointer { buffer in
            write(descriptor, buffer.baseAddress, buffer.count - 1)
        }
    }

    func info(_ message: String) { log(.info, message) }
    func warning(_ message: String) { log(.warning, message) }
    func error(_ message: String) { log(.error, message) }
}
