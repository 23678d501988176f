import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reason the API key or the base URL was rejected. Messages name the path, the
/// variable or the URL, and the fix; they never contain the key.
public struct CredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Finds the Citrus API key and checks where requests may go.
///
/// The key comes from, in this order: the key file given with `--api-key-file`,
/// the `CITRUS_API_KEY` environment variable, or the file `api-key` in the
/// configuration directory. A key file must be a regular file that neither the
/// group nor others can read or write (mode `0600` or `0400`). A key is never
/// accepted as a command-line value.
public enum CitrusCredentials {
    public static let environmentVariable = "CITRUS_API_KEY"
    /// The key file's name inside the configuration directory.
    public static let keyFileName = "api-key"
    /// A key file larger than this is not a key file, in bytes.
    static let maximumKeyFileSize = 4096

    /// Loads the API key, or returns nil when none of the sources has one (the
    /// dashboard then runs against its built-in simulator).
    ///
    /// - Parameters:
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    ///   - keyFilePath: the value of `--api-key-file`; when set, the file must
    ///     exist and hold a key.
    ///   - configDirectory: the configuration directory; its `api-key` file is
    ///     used only when it exists.
    public static func loadAPIKey(environment: [String: String], keyFilePath: String? = nil, configDirectory: String? = nil) throws(CredentialsError) -> String? {
        if let keyFilePath {
            return try readKeyFile(at: keyFilePath)
        }
        if let value = environment[environmentVariable] {
            return try checkedKey(value, source: "The environment variable \(environmentVariable)")
        }
        if let configDirectory {
            let path = (configDirectory as NSString).appendingPathComponent(keyFileName)
            if FileManager.default.fileExists(atPath: path) {
                return try readKeyFile(at: path)
            }
        }
        return nil
    }

    /// Reads and checks one key file.
    public static func readKeyFile(at path: String) throws(CredentialsError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw CredentialsError("Cannot read the API key file \(path): \(reason). Create it with the key on one line and run chmod 600 \(path).")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CredentialsError("The API key file \(path) is not a regular file. Point --api-key-file at a file that contains only the key.")
        }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            let octal = String(permissions, radix: 8)
            throw CredentialsError("The API key file \(path) has mode \(octal), so other users can read it. Run chmod 600 \(path).")
        }
        guard info.st_size <= maximumKeyFileSize else {
            throw CredentialsError("The API key file \(path) is \(info.st_size) bytes, too large for a key. It must hold only the key.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialsError("Cannot read the API key file \(path). Check that your user owns it.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CredentialsError("The API key file \(path) is not UTF-8 text. It must hold only the key.")
        }
        return try checkedKey(text, source: "The API key file \(path)")
    }

    /// Trims surrounding whitespace and checks that the key can go into an
    /// `Authorization` header. `source` names where the key came from.
    static func checkedKey(_ raw: String, source: String) throws(CredentialsError) -> String {
        let key = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else {
            throw CredentialsError("\(source) is empty. Put the Citrus API key (rsk_…) in it.")
        }
        if let problem = keyProblem(key) {
            throw CredentialsError("\(source) \(problem)")
        }
        return key
    }

    /// Describes what makes `key` unusable in a header, or nil when it is fine.
    /// The description never quotes the key.
    static func keyProblem(_ key: String) -> String? {
        if key.isEmpty {
            return "is empty. Set the Citrus API key (rsk_…)."
        }
        if key.lowercased().hasPrefix("bearer ") {
            return "starts with \"Bearer \". Keep only the key itself (rsk_…)."
        }
        let allowed = key.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
        if !allowed {
            return "contains spaces, line breaks or non-ASCII characters. A Citrus API key (rsk_…) is one word of printable ASCII."
        }
        return nil
    }

    /// Checks that requests to `url` are allowed: `https://` to any host, or
    /// `http://` to a loopback host only (127.0.0.0/8, `::1`, `localhost`).
    public static func checkBaseURL(_ url: URL) throws(CredentialsError) {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw CredentialsError("The Citrus base URL \(url.absoluteString) is not an absolute URL. Use https://citrusmobile.com/api/v2/reseller.")
        }
        switch scheme {
        case "https":
            return
        case "http":
            guard isLoopback(host: host) else {
                throw CredentialsError("The Citrus base URL \(url.absoluteString) uses plain http:// to \(host), which would send the API key unencrypted. Use https://, or http:// only to 127.0.0.1 or localhost (the simulator).")
            }
        default:
            throw CredentialsError("The Citrus base URL \(url.absoluteString) has scheme \(scheme). Use https:// (or http:// to 127.0.0.1 for the simulator).")
        }
    }

    /// True for `localhost`, any 127.x.y.z address and `::1`.
    public static func isLoopback(host rawHost: String) -> Bool {
        var host = rawHost.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        if host == "localhost" || host == "localhost." { return true }

        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, host, &ipv6) == 1 {
            var loopback = in6_addr()
            _ = inet_pton(AF_INET6, "::1", &loopback)
            return withUnsafeBytes(of: &ipv6) { lhs in withUnsafeBytes(of: &loopback) { rhs in lhs.elementsEqual(rhs) } }
        }

        // inet_pton accepts only the dotted-quad form, so "127.1" or "0x7f.1" are not loopback here.
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 {
            let address = UInt32(bigEndian: ipv4.s_addr)
            return address >> 24 == 127
        }
        return false
    }
}

extension CitrusClient {
    /// Loads the API key by the rules of `CitrusCredentials.loadAPIKey`: the key
    /// file, then `CITRUS_API_KEY`, then `api-key` in the configuration directory.
    public static func loadAPIKey(environment: [String: String], keyFilePath: String? = nil, configDirectory: String? = nil) throws(CredentialsError) -> String? {
        try CitrusCredentials.loadAPIKey(environment: environment, keyFilePath: keyFilePath, configDirectory: configDirectory)
    }
}
