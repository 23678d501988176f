import Foundation

/// Decoding helpers that accept the plausible variants of a field: numbers
/// sent as numbers or as numeric strings, and null for absent.
extension KeyedDecodingContainer {
    /// The largest amount accepted from the server, in dollars. Anything larger is
    /// a corrupt response, and it would overflow `Money`'s `Int64` cents.
    static var maximumDecodedDollars: Decimal { Decimal(1_000_000_000_000) }

    /// Decodes a decimal number sent as a JSON number or a numeric string.
    func decodeLenientDecimalIfPresent(forKey key: Key) throws -> Decimal? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let number = try? decode(Decimal.self, forKey: key) {
            return try checkedDecimal(number, forKey: key)
        }
        if let text = try? decode(String.self, forKey: key) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let isPlain = !trimmed.isEmpty && trimmed.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }
            if isPlain, let number = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")) {
                return try checkedDecimal(number, forKey: key)
            }
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text.prefix(40))\" is not a number")
        }
        throw DecodingError.typeMismatch(Decimal.self, .init(codingPath: codingPath + [key], debugDescription: "expected a number"))
    }

    private func checkedDecimal(_ number: Decimal, forKey key: Key) throws -> Decimal {
        guard !number.isNaN, abs(number) <= Self.maximumDecodedDollars else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(number) is out of range")
        }
        return number
    }

    /// Decodes a dollar amount rounded down to the cent, as Citrus displays wallets.
    func decodeMoneyIfPresent(forKey key: Key) throws -> Money? {
        try decodeLenientDecimalIfPresent(forKey: key).map(Money.init(roundingDown:))
    }

    /// Decodes a dollar amount that must be present.
    func decodeMoney(forKey key: Key) throws -> Money {
        guard let money = try decodeMoneyIfPresent(forKey: key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing amount"))
        }
        return money
    }

    /// Decodes an integer sent as a JSON number or a numeric string.
    func decodeLenientIntIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key), let value = Int(text.trimmingCharacters(in: .whitespaces)) {
            return value
        }
        throw DecodingError.typeMismatch(Int.self, .init(codingPath: codingPath + [key], debugDescription: "expected an integer"))
    }

    /// Decodes a boolean sent as `true`/`false`, `0`/`1` or `"true"`/`"false"`.
    func decodeLenientBoolIfPresent(forKey key: Key) throws -> Bool? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Bool.self, forKey: key) { return value }
        if let value = try? decode(Int.self, forKey: key), value == 0 || value == 1 { return value == 1 }
        if let text = try? decode(String.self, forKey: key) {
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        throw DecodingError.typeMismatch(Bool.self, .init(codingPath: codingPath + [key], debugDescription: "expected a boolean"))
    }

    /// Decodes an ISO-8601 timestamp, with or without fractional seconds.
    func decodeDateIfPresent(forKey key: Key) throws -> Date? {
        try decodeIfPresent(CitrusDate.self, forKey: key)?.date
    }
}
