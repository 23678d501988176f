import CitrusAPI
import Foundation

/// The audit log of every mutating request: one JSON object per line,
/// written with `write(2)` and `fsync(2)` per entry, so an entry is on disk
/// before the request goes out. The API key is never written: records from
/// `CitrusClient` carry none, and their texts are redacted by the client.
///
/// Pass `sink` as the `audit:` argument of `CitrusClient`. Each line contains
/// `time`, `request_id`, `action`, `iccid`, `amount` (dollars, as a decimal
/// string), `outcome` (`sending`, `applied`, `failed`, `unknown`), and when
/// they apply `attempt`, `error_code`, `http_status`, `reason` and `detail`:
///
/// ```
/// {"time":"2026-12-04T19:46:09Z","request_id":"…","action":"fund","iccid":"8910…","amount":"20.00","outcome":"sending","attempt":1}
/// ```
public final class AuditLog: Sendable {
    /// The file the entries are appended to.
    public let url: URL
    private let file: AppendOnlyFile

    /// Opens (or creates, with owner-only permissions) the log at `url`.
    public init(url: URL) throws(AppendOnlyFileError) {
        self.url = url
        self.file = try AppendOnlyFile(url: url, syncEachLine: true)
    }

    /// The sink to pass to `CitrusClient(configuration:audit:)`.
    public var sink: CitrusAuditSink {
        { [self] record in self.record(record) }
    }

    /// The first write failure, if any, for the status line.
    public var lastFailure: AppendOnlyFileError? {
        file.lastFailure
    }

    /// Writes one record as a line. Returns false if the write failed.
    @discardableResult
    public func record(_ record: AuditRecord) -> Bool {
        file.append(Self.line(for: record))
    }

    /// Returns the JSON line of one record, without the newline.
    public static func line(for record: AuditRecord) -> String {
        var fields: [(String, JSONValue)] = [
            ("time", .string(timeFormatter(record.time))),
            ("request_id", .string(record.requestID.uuidString.lowercased())),
            ("action", .string(record.action.rawValue)),
        ]
        if let iccid = record.iccid { fields.append(("iccid", .string(iccid))) }
        if let amount = record.amount { fields.append(("amount", .string(amount.plainDecimalString))) }
        fields.append(("outcome", .string(record.phase.name)))
        switch record.phase {
        case .sending(let attempt):
            fields.append(("attempt", .number(attempt)))
        case .applied:
            break
        case .failed(let code, let httpStatus):
            fields.append(("error_code", .string(code)))
            if let httpStatus { fields.append(("http_status", .number(httpStatus))) }
        case .unknown(let reason):
            fields.append(("reason", .string(reason)))
        }
        if let detail = record.detail { fields.append(("detail", .string(detail))) }
        return JSONValue.object(fields)
    }

    /// The audit log's default place: `$XDG_DATA_HOME/citrus-fleet/audit.jsonl`,
    /// or `~/.local/share/citrus-fleet/audit.jsonl` when the variable is unset
    /// or not an absolute path (per the XDG Base Directory specification).
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        FleetPaths.dataDirectory(environment: environment).appendingPathComponent("audit.jsonl")
    }

    static func timeFormatter(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// The few JSON values the log lines need, written by hand so the field
/// order is fixed and money stays an exact decimal string.
enum JSONValue {
    case string(String)
    case number(Int)

    var encoded: String {
        switch self {
        case .string(let text): return Self.quote(text)
        case .number(let value): return String(value)
        }
    }

    static func object(_ fields: [(String, JSONValue)]) -> String {
        "{" + fields.map { "\(quote($0.0)):\($0.1.encoded)" }.joined(separator: ",") + "}"
    }

    /// Escapes a string per RFC 8259: quote, backslash and every control
    /// character, so API text cannot break a line or forge a field.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
