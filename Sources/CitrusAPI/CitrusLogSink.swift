/// How much a log line matters.
public enum CitrusLogLevel: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
    case debug
    case info
    case warning
    case error

    public static func < (lhs: CitrusLogLevel, rhs: CitrusLogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        }
    }
}

/// The destination of the client's log lines: retries with the endpoint and the
/// error, 429 pauses, unknown fund outcomes. The client removes the API key
/// from every message before it gets here.
public protocol CitrusLogSink: Sendable {
    func log(_ level: CitrusLogLevel, _ message: String)
}
