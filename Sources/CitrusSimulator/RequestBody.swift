import CitrusAPI

/// Reads and validates JSON request bodies; every failure is 400 `VALIDATION_ERROR`
/// naming the field and the fix.
enum RequestBody {
    /// Parses the body as a JSON object. An empty body counts as `{}`.
    static func object(_ request: HTTPRequest) throws(APIError) -> JSONValue {
        let isBlank = request.body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if isBlank { return .object([]) }
        let value: JSONValue
        do {
            value = try JSONValue.parse(request.body)
        } catch {
            throw .validation("The request body is not valid JSON: \(error). Send a JSON object.")
        }
        guard case .object = value else {
            throw .validation("The request body is \(value.typeName). Send a JSON object.")
        }
        return value
    }

    /// Reads a string field that may be absent or null.
    static func optionalString(_ body: JSONValue, _ name: String, maximumLength: Int) throws(APIError) -> String? {
        guard let value = body[name] else { return nil }
        switch value {
        case .null:
            return nil
        case .string(let text):
            guard text.count <= maximumLength else {
                throw .validation("Field \(name) is \(text.count) characters long. Send at most \(maximumLength).")
            }
            return text
        default:
            throw .validation("Field \(name) is \(value.typeName). Send a string.")
        }
    }

    /// Reads a required string field.
    static func requiredString(_ body: JSONValue, _ name: String) throws(APIError) -> String {
        guard let value = body[name] else { throw .validation("Field \(name) is missing.") }
        guard case .string(let text) = value else {
            throw .validation("Field \(name) is \(value.typeName). Send a string.")
        }
        return text
    }

    /// Reads the fund `amount`: a JSON number of USD from 0.01 to 10000 with at
    /// most two decimals, checked on the exact decimal text, never through `Double`.
    static func fundAmountCents(_ body: JSONValue) throws(APIError) -> Int64 {
        guard let value = body["amount"] else {
            throw .validation("Field amount is missing. Send the amount in USD as a number, such as {\"amount\": 20}.")
        }
        guard case .number(let text) = value else {
            throw .validation("Field amount is \(value.typeName). Send the amount in USD as a number, such as 20 or 12.50.")
        }
        guard let cents = exactCents(text) else {
            throw .validation("Amount \(text) has more than two decimals or is too large. Send whole cents from 0.01 to 10000, such as 12.34.")
        }
        guard cents >= Money.minimumFund.cents, cents <= Money.maximumFund.cents else {
            throw .validation("Amount \(text) is out of range. Send from 0.01 to 10000 USD.")
        }
        return cents
    }

    /// Converts a JSON number to exact cents, handling fractions and exponents.
    /// Returns nil when it is not a whole number of cents or does not fit.
    static func exactCents(_ text: String) -> Int64? {
        var characters = Substring(text)
        var negative = false
        if characters.first == "-" {
            negative = true
            characters = characters.dropFirst()
        }
        var mantissa = characters
        var exponent = 0
        if let marker = characters.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = characters[..<marker]
            guard let parsed = Int(characters[characters.index(after: marker)...].prefix(7)), abs(parsed) < 1_000 else { return nil }
            exponent = parsed
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        var digits = Array((whole + fraction).drop(while: { $0 == "0" }))
        // The value is digits × 10^(exponent − fraction.count); cents move the point two places.
        var scale = exponent - fraction.count + 2
        while scale < 0 {
            guard let last = digits.last else { scale = 0; break }
            guard last == "0" else { return nil }
            digits.removeLast()
            scale += 1
        }
        if digits.isEmpty { return 0 }
        guard digits.count + scale <= 15, var cents = Int64(String(digits)) else { return nil }
        for _ in 0..<scale { cents *= 10 }
        return negative ? -cents : cents
    }

    /// Reads the throttle `speed`, one of the speeds Citrus accepts.
    static func throttleSpeed(_ body: JSONValue) throws(APIError) -> ThrottleSpeed {
        let allowed = ThrottleSpeed.allCases.map(\.rawValue).joined(separator: ", ")
        guard let value = body["speed"] else {
            throw .validation("Field speed is missing. Send one of \(allowed).")
        }
        guard case .string(let text) = value else {
            throw .validation("Field speed is \(value.typeName). Send one of \(allowed).")
        }
        let speed = ThrottleSpeed(rawValue: text)
        if case .unknown = speed {
            throw .validation("Speed \"\(text)\" is not a known throttle speed. Send one of \(allowed).")
        }
        return speed
    }
}
