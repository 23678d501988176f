import Foundation

/// Decodes Citrus's error envelope `{"error", "message"}`, also accepting
/// `code` for `error`, `detail` for `message`, and a non-JSON body.
enum ErrorEnvelope {
    private struct Wire: Decodable {
        var error: String?
        var code: String?
        var message: String?
        var detail: String?
    }

    /// The longest piece of a non-JSON error body kept as the message.
    static let maximumRawMessageLength = 200

    static func error(status: Int, body: Data, retryAfterHeader: String?, endpoint: String) -> CitrusError {
        let wire = try? JSONDecoder().decode(Wire.self, from: body)
        let codeText = wire?.error ?? wire?.code
        let code = codeText.map(CitrusErrorCode.init(rawValue:)) ?? fallbackCode(status: status)
        var message = wire?.message ?? wire?.detail ?? ""
        if message.isEmpty {
            let raw = String(decoding: body.prefix(maximumRawMessageLength), as: UTF8.self)
            message = raw.isEmpty ? "HTTP \(status) with an empty body" : raw
        }
        let retryAfter = retryAfterHeader.flatMap { TimeInterval($0.trimmingCharacters(in: .whitespaces)) }
        return .api(status: status, code: code, message: message, retryAfter: retryAfter, endpoint: endpoint)
    }

    private static func fallbackCode(status: Int) -> CitrusErrorCode {
        switch status {
        case 401, 403: return .invalidAPIKey
        case 402: return .insufficientBalance
        case 404: return .esimNotFound
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
    }

    static func decodePage(_ data: Data, limit: Int, offset: Int) throws -> ESIMPage {
        let endpoint = "GET /esim/list"
        let decoder = JSONDecoder()
        if let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }), first == UInt8(ascii: "[") {
            let esims = try CitrusClient.decode([ESIM].self, from: data, endpoint: endpoint)
            return ESIMPage(esims: esims, total: nil, limit: limit, offset: offset)
        }
        do {
            let envelope = try decoder.decode(Envelope.self, from: data)
            return ESIMPage(esims: envelope.esims, total: envelope.total, limit: envelope.limit ?? limit, offset: envelope.offset ?? offset)
        } catch let error as DecodingError {
            throw describe(error, endpoint: endpoint)
        }
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
