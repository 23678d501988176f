import CitrusAPI
import Foundation

extension AuditLog {
    /// Returns the SIMs whose last fund in the audit log may have been applied
    /// without the operator seeing the result, with that fund's amount.
    /// Such a fund is recorded as `unknown`, or has a `sending` record with no
    /// outcome after it (the program was killed). A later fund to the same SIM
    /// recorded as `applied` settles it. Lines that are not fund records are skipped.
    public static func unresolvedFunds(inLines text: Substring) -> [String: Money] {
        var unresolved: [String: Money] = [:]
        // Funds sent whose outcome has not been read yet, by request id.
        var open: [String: (iccid: String, amount: Money)] = [:]
        for line in text.split(separator: "\n") where line.contains("\"action\":\"fund\"") {
            // Only fund lines are parsed: the log is read before the dashboard starts.
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["action"] as? String == "fund",
                  let iccid = object["iccid"] as? String,
                  let requestID = object["request_id"] as? String,
                  let outcome = object["outcome"] as? String else { continue }
            let amount = (object["amount"] as? String).flatMap { try? Money.parseAmount($0) }
            switch outcome {
            case "sending":
                if let amount { open[requestID] = (iccid, amount) }
            case "applied":
                open[requestID] = nil
                unresolved[iccid] = nil
            case "failed":
                open[requestID] = nil
            case "unknown":
                open[requestID] = nil
                if let amount { unresolved[iccid] = amount }
            default:
                continue
            }
        }
        for fund in open.values {
            unresolved[fund.iccid] = fund.amount
        }
        return unresolved
    }

    /// Returns `unresolvedFunds(inLines:)` for the file at `url`, reading at
    /// most its last `maximumBytes`, or nothing when the file cannot be read.
    /// NOTE: a fund recorded before that tail is not seen.
    public static func unresolvedFunds(at url: URL, maximumBytes: Int = 8 << 20) -> [String: Money] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [:] }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return [:] }
        let start = size > UInt64(maximumBytes) ? size - UInt64(maximumBytes) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return [:] }
        var text = Substring(String(decoding: data, as: UTF8.self))
        // A tail that starts inside a line loses that partial line.
        if start > 0, let newline = text.firstIndex(of: "\n") { text = text[text.index(after: newline)...] }
        return unresolvedFunds(inLines: text)
    }
}
