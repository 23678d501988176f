import Foundation

/// Decodes Citrus's error envelope `{"error": "CODE", "message": "text"}`. Also
/// accepts `code` for `error`, `detail` for `message`, an `error` object holding
/// `code` and `message`, and a non-JSON body (kept, truncated, as the message).
enum ErrorEnvelope {
    private struct Wire: Decodable {
        var code: String?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case error, code, message, detail
        }

        private struct Nested: Decodable {
            var code: String?
            var message: String?
            var detail: String?
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let nested = try? container.decodeIfPresent(Nested.self, forKey: .error)
            code = (try? container.decodeIfPresent(String.self, forKey: .error))
                ?? (try? container.decodeIfPresent(String.self, forKey: .code))
                ?? nested?.code
            message = (try? container.decodeIfPresent(String.self, forKey: .message))
                ?? (try? container.decodeIfPresent(String.self, forKey: .detail))
                ?? nested?.message ?? nested?.detail
        }
    }

    /// The maximum length of an error body kept as the message, in characters.
    static let maximumMessageLength = 200

    static func error(status: Int, body: Data, retryAfterHeader: String?, endpoint: String, now: Date = Date()) -> CitrusError {
        let wire = try? JSONDecoder().decode(Wire.self, from: body)
        let codeText = wire?.code.flatMap { $0.isEmpty ? nil : $0 }
        let code = codeText.map(CitrusErrorCode.init(rawValue:)) ?? fallbackCode(status: status)
        var message = wire?.message ?? ""
        if message.isEmpty {
            let raw = String(decoding: body.prefix(maximumMessageLength * 4), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            message = raw.isEmpty ? "HTTP \(status) with an empty body" : raw
        }
        if message.count > maximumMessageLength {
            message = String(message.prefix(maximumMessageLength)) + "…"
        }
        let retryAfter = retryAfterHeader.flatMap { parseRetryAfter($0, now: now) }
        return .api(status: status, code: code, message: message, retryAfter: retryAfter, endpoint: endpoint)
    }

    /// Parses `Retry-After` as delay-seconds or as an HTTP date (RFC 9110).
    /// Returns nil for anything else; negative delays become 0.
    static func parseRetryAfter(_ header: String, now: Date = Date()) -> TimeInterval? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite {
            return max(0, seconds)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    private static func fallbackCode(status: Int) -> CitrusErrorCode {
        switch status {
        case 401, 403: return .invalidAPIKey
        case 402: return .insufficientBalance
        case 429: return .rateLimited
        default: return .other("HTTP_\(status)")
        }
    }
}

/// Decodes list responses in every shape Citrus may use: the envelope with
/// `esims` and `total`, the envelope without `total`, or a bare array.
enum ListDecoding {
    private struct Envelope: Decodable {
        var esims: [ESIM]
        var total: Int?
        var limit: Int?
        var offset: Int?

        enum CodingKeys: String, CodingKey {
            case esims, data, total, limit, offset
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if container.contains(.esims) || !container.contains(.data) {
                esims = try container.decode([ESIM].self, forKey: .esims)
            } else {
                esims = try container.decode([ESIM].self, forKey: .data)
            }
            total = try container.decodeLenientIntIfPresent(forKey: .total)
            limit = try container.decodeLenientIntIfPresent(forKey: .limit)
            offset = try container.decodeLenientIntIfPresent(forKey: .offset)
        }
    }

    static func decodePage(_ data: Data, limit: Int, offset: Int, endpoint: String = "GET /esim/list") throws -> ESIMPage {
        let isArray = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) == UInt8(ascii: "[")
        if isArray {
            let esims = try CitrusClient.decode([ESIM].self, from: data, endpoint: endpoint)
            return ESIMPage(esims: esims, total: nil, limit: limit, offset: offset)
        }
        let envelope = try CitrusClient.decode(Envelope.self, from: data, endpoint: endpoint)
        // The requested limit and offset are what the next page is computed from;
        // the echoed ones are kept only when they are plausible.
        let echoedLimit = envelope.limit.flatMap { $0 > 0 ? $0 : nil } ?? limit
        let echoedOffset = envelope.offset.flatMap { $0 >= 0 ? $0 : nil } ?? offset
        let total = envelope.total.flatMap { $0 >= 0 ? $0 : nil }
        return ESIMPage(esims: envelope.esims, total: total, limit: echoedLimit, offset: echoedOffset)
    }

    /// Turns a `DecodingError` into a `CitrusError` that names the field.
    static func describe(_ error: DecodingError, endpoint: String) -> CitrusError {
        func path(_ codingPath: [CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "(body)" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .decoding(endpoint: endpoint, field: path(context.codingPath + [key]), reason: "missing")
        case .typeMismatch(let type, let context):
            return .decoding(endpoint: endpoint, field: path(context.codingPath), reason: "expected \(type)")
        case .valueNotFound(let type, let context):
            return .decoding(endpoint: endpoint, field: path(context.codingPath), reason: "expected \(type), found null")
        case .dataCorrupted(let context):
            return .decoding(endpoint: endpoint, field: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .decoding(endpoint: endpoint, field: "(body)", reason: "\(error)")
        }
    }
}
