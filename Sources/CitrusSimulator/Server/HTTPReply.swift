import Foundation

/// The server's handling of one request: the response, or a way of failing to send one.
/// Fault injection uses the failing kinds to imitate a server that times out or resets.
public struct HTTPReply: Sendable {
    public enum Action: Sendable {
        /// Send the response.
        case respond(HTTPResponse)
        /// Send nothing, keep the connection open until the client closes it, the hold time
        /// passes or the server stops, and then close it.
        case holdThenClose(Duration)
        /// Close the connection with a TCP reset (`SO_LINGER` 0) and send nothing.
        case reset
    }

    public var action: Action
    /// A pause before the action, e.g. injected latency. A stopping server skips the rest of it.
    public var delay: Duration

    public init(_ action: Action, delay: Duration = .zero) {
        self.action = action
        self.delay = delay
    }

    public static func respond(_ response: HTTPResponse) -> HTTPReply {
        HTTPReply(.respond(response))
    }
}

/// One line of the request log: what was requested and how it ended. Never carries headers,
/// so the `Authorization` header cannot reach a log.
public struct HTTPRequestLogEntry: Sendable {
    /// The request method, or `-` when the request could not be parsed.
    public var method: String
    /// The decoded path without the query, or `-` when the request could not be parsed.
    public var path: String
    /// The status sent, or nil when no response was sent (held or reset connections).
    public var status: Int?
    /// The way the exchange ended when no status was sent, e.g. `held` or `reset`.
    public var outcome: String?
    /// Time from the complete request to the last byte of the response.
    public var duration: Duration

    /// The entry as one log line, e.g. `GET /api/v2/reseller/esim/list 200 1.3 ms`.
    /// Control characters in the path are escaped, so a crafted path cannot drive a terminal.
    public var line: String {
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        let result = status.map(String.init) ?? outcome ?? "-"
        return "\(method) \(VisibleText.escapingControls(path)) \(result) \(String(format: "%.1f", milliseconds)) ms"
    }
}
