import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The failure to open or write an append-only file (the audit log, the events file).
public struct AppendOnlyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String {
        "Could not write \(path): \(reason). Check that the directory exists and is writable, or set another path in the configuration."
    }
}

/// A file that lines are appended to with one `write(2)` each, optionally
/// followed by `fsync(2)`, so every line is on disk (or at least in the
/// kernel) before the call returns. The file and a missing parent directory
/// are created readable by the owner only. Safe to use from any thread.
final class AppendOnlyFile: @unchecked Sendable {
    let url: URL
    private let syncEachLine: Bool
    private let lock = NSLock()
    private var descriptor: Int32
    private var failure: AppendOnlyFileError?

    init(url: URL, syncEachLine: Bool) throws(AppendOnlyFileError) {
        self.url = url
        self.syncEachLine = syncEachLine
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AppendOnlyFileError(path: directory.path, reason: "the directory could not be created (\(error.localizedDescription))")
        }
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AppendOnlyFileError(path: url.path, reason: String(cString: strerror(errno)))
        }
        self.descriptor = fd
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The first write failure, if any. Later lines are still attempted.
    var lastFailure: AppendOnlyFileError? {
        lock.withLock { failure }
    }

    /// Appends `line` and a newline in one write. Returns false and records
    /// the failure when the write fails or is short.
    @discardableResult
    func append(_ line: String) -> Bool {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        return lock.withLock {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                let reason = written < 0 ? String(cString: strerror(errno)) : "short write of \(written) of \(bytes.count) bytes"
                failure = failure ?? AppendOnlyFileError(path: url.path, reason: reason)
                return false
            }
            if syncEachLine && fsync(descriptor) != 0 {
                failure = failure ?? AppendOnlyFileError(path: url.path, reason: "fsync failed: \(String(cString: strerror(errno)))")
                return false
            }
            return true
        }
    }
}
