import Foundation

/// The host and port that libcurl opens a TCP connection to for a URL: the
/// proxy named by the standard environment variables, or the URL's own host.
///
/// libcurl 7.88 reads `http_proxy` (lower case only) for `http://` URLs and
/// `https_proxy` or `HTTPS_PROXY` for `https://` URLs. It falls back to
/// `all_proxy` or `ALL_PROXY`. `no_proxy` or `NO_PROXY` lists the hosts that
/// bypass the proxy, with `*` for all. A proxy without a port uses 1080, libcurl's default.
/// NOTE: CIDR ranges in `no_proxy` (such as `10.0.0.0/8`) are compared as
/// plain names, so such a host is probed through the proxy.
struct ConnectTarget: Equatable, Sendable {
    var host: String
    var port: Int
    /// True when the connection goes to a proxy rather than to the API host.
    var isProxy: Bool

    var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return isProxy ? "proxy \(shownHost):\(port)" : "\(shownHost):\(port)"
    }

    /// Returns where a request to `url` connects, or nil when the URL has no host.
    static func resolve(_ url: URL, environment: [String: String]) -> ConnectTarget? {
        guard let scheme = url.scheme?.lowercased(), let rawHost = url.host, !rawHost.isEmpty else { return nil }
        let host = unbracketed(rawHost)
        let port = url.port ?? (scheme == "https" ? 443 : 80)

        let names = scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]
        let proxyText = (names + ["all_proxy", "ALL_PROXY"])
            .lazy.compactMap { environment[$0] }
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let proxyText, !bypassesProxy(host, environment: environment),
              let proxy = proxyEndpoint(proxyText) else {
            return ConnectTarget(host: host, port: port, isProxy: false)
        }
        return ConnectTarget(host: proxy.host, port: proxy.port, isProxy: true)
    }

    /// Returns whether `host` is listed in `no_proxy` (or `NO_PROXY`): an exact name,
    /// a domain suffix (`example.com` and `.example.com` both cover
    /// `api.example.com`), or `*`.
    static func bypassesProxy(_ host: String, environment: [String: String]) -> Bool {
        guard let list = environment["no_proxy"] ?? environment["NO_PROXY"] else { return false }
        let name = host.lowercased()
        for rawEntry in list.split(separator: ",") {
            var entry = rawEntry.trimmingCharacters(in: .whitespaces).lowercased()
            if entry == "*" { return true }
            entry = unbracketed(entry)
            while entry.hasPrefix(".") { entry.removeFirst() }
            if entry.isEmpty { continue }
            if name == entry || name.hasSuffix("." + entry) { return true }
        }
        return false
    }

    /// Returns the host and port of a proxy written as `host:port`, `http://host:port`,
    /// `socks5://user:pass@host` and the like.
    static func proxyEndpoint(_ text: String) -> (host: String, port: Int)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty else {
            return nil
        }
        let defaultPort = components.scheme?.lowercased() == "https" ? 443 : 1080
        return (unbracketed(host), components.port ?? defaultPort)
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
