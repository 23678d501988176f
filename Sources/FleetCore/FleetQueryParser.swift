import CitrusAPI

/// A query parse failure. Each description names the term and the fix.
public enum FleetQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    case unclosedQuote(term: String)
    case loneNegation
    case unknownField(term: String, field: String)
    case unknownComparisonField(term: String)
    case invalidComparison(term: String, field: String)
    case missingValue(term: String, field: String)
    case invalidStatus(term: String, value: String)
    case invalidThrottle(term: String, value: String)
    case invalidAmount(term: String, value: String)
    case invalidDuration(term: String, value: String)
    case invalidBurnRate(term: String, value: String)

    public var description: String {
        switch self {
        case .unclosedQuote(let term):
            return "Unclosed quote in \(term): end the text with a second \", such as label:\"new york\"."
        case .loneNegation:
            return "A lone \"-\" negates nothing: put it right before a term, such as -status:active."
        case .unknownField(let term, let field):
            return "Unknown field \"\(field)\" in \(term): use status:, throttle:, label:, ref:, group: or iccid:, or put the text in quotes to search for it."
        case .unknownComparisonField(let term):
            return "Unknown field in \"\(term)\": compare wallet, eta or burn, such as wallet<5, eta<2h or burn>0.5."
        case .invalidComparison(let term, let field):
            let example = Self.example(field)
            return "Unknown field \"\(term)\": use \(field)<\(example), \(field)<=\(example), \(field)>\(example), \(field)>=\(example) or \(field)=\(example)."
        case .missingValue(let term, let field):
            return "Missing value in \(term): use \(field)\(Self.example(field: field)), such as \(field)\(Self.exampleValue(field))."
        case .invalidStatus(let term, let value):
            return "Unknown status \"\(value)\" in \(term): use status:pending, status:active, status:suspended or status:terminated."
        case .invalidThrottle(let term, let value):
            return "Unknown throttle \"\(value)\" in \(term): use throttle:none, throttle:limited or a speed in kbps (100, 500, 1000, 2000, 3000, 5000), such as throttle:500."
        case .invalidAmount(let term, let value):
            return "Invalid amount \"\(value)\" in \(term): use dollars with at most two decimals, such as wallet<5 or wallet>=2.50."
        case .invalidDuration(let term, let value):
            return "Invalid duration \"\(value)\" in \(term): use a whole number with s, m, h or d, such as eta<90s, eta<30m, eta<2h or eta<1d."
        case .invalidBurnRate(let term, let value):
            return "Invalid burn rate \"\(value)\" in \(term): use dollars per hour, such as burn>0.5."
        }
    }

    private static func example(_ field: String) -> String {
        switch field {
        case "eta": return "2h"
        case "burn": return "0.5"
        default: return "5"
        }
    }

    private static func example(field: String) -> String {
        ["wallet", "eta", "burn"].contains(field) ? "<VALUE" : ":TEXT"
    }

    private static func exampleValue(_ field: String) -> String {
        switch field {
        case "wallet": return "<5"
        case "eta": return "<2h"
        case "burn": return ">0.5"
        case "status": return ":active"
        case "throttle": return ":limited"
        case "ref": return ":EMP-*"
        case "group": return ":grp_1"
        case "iccid": return ":8910*"
        default: return ":berlin"
        }
    }
}

/// The parser behind `FleetQuery.parse`.
enum FleetQueryParser {
    static let textFields: Set<String> = ["status", "throttle", "label", "ref", "reference", "group", "iccid"]
    static let comparisonFields = ["wallet", "eta", "burn"]
    static let flags: [String: FleetQueryPredicate] = ["stale": .stale, "low": .low, "depleted": .depleted, "gone": .gone]

    /// A token: its text with quotes removed, and whether any part was quoted.
    struct Token {
        var raw: String
        var negated: Bool
        var field: String?
        var value: String
        var quoted: Bool
    }

    static func parse(_ text: String) throws(FleetQueryError) -> FleetQuery {
        var terms: [FleetQueryTerm] = []
        for token in try tokenize(text) {
            terms.append(FleetQueryTerm(negated: token.negated, try predicate(token)))
        }
        return FleetQuery(text: text, terms: terms)
    }

    // MARK: Tokens

    /// Splits on unquoted whitespace. `-` at the start of a token negates it;
    /// `field:"a b"` keeps the field and the quoted value.
    static func tokenize(_ text: String) throws(FleetQueryError) -> [Token] {
        var tokens: [Token] = []
        var characters = Array(text)[...]
        while let first = characters.first {
            if first.isWhitespace {
                characters.removeFirst()
                continue
            }

            var raw = ""
            var current = ""
            var quoted = false
            var inQuote = false
            var field: String?
            while let character = characters.first, inQuote || !character.isWhitespace {
                characters.removeFirst()
                raw.append(character)
                if character == "\"" {
                    inQuote.toggle()
                    quoted = true
                } else if character == ":" && !inQuote && field == nil && !quoted {
                    field = current
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if inQuote { throw .unclosedQuote(term: raw) }

            var negated = false
            if let name = field, name.hasPrefix("-") {
                negated = true
                field = String(name.dropFirst())
            } else if field == nil, raw.hasPrefix("-") {
                negated = true
                if current.hasPrefix("-") { current.removeFirst() }
            }
            if negated && field == nil && current.isEmpty && !quoted { throw .loneNegation }
            tokens.append(Token(raw: raw, negated: negated, field: field?.lowercased(), value: current, quoted: quoted))
        }
        return tokens
    }

    // MARK: Terms

    static func predicate(_ token: Token) throws(FleetQueryError) -> FleetQueryPredicate {
        if let field = token.field {
            return try fieldPredicate(field, token)
        }
        if token.quoted {
            return .text(TextPattern(token.value))
        }
        let lowered = token.value.lowercased()
        if let flag = flags[lowered] {
            return flag
        }
        if let comparison = try comparisonPredicate(token, lowered: lowered) {
            return comparison
        }
        if token.value.contains(where: { "<>=".contains($0) }) {
            throw .unknownComparisonField(term: token.raw)
        }
        return .text(TextPattern(token.value))
    }

    static func fieldPredicate(_ field: String, _ token: Token) throws(FleetQueryError) -> FleetQueryPredicate {
        if comparisonFields.contains(field) {
            throw .invalidComparison(term: token.raw, field: field)
        }
        guard textFields.contains(field) else {
            throw .unknownField(term: token.raw, field: field)
        }
        let value = token.value
        guard !value.isEmpty else {
            throw .missingValue(term: token.raw, field: field == "reference" ? "ref" : field)
        }
        switch field {
        case "status":
            let status = ESIMStatus(rawValue: value.lowercased())
            if case .unknown = status { throw .invalidStatus(term: token.raw, value: value) }
            return .status(status)
        case "throttle":
            return .throttle(try throttleFilter(value, term: token.raw))
        case "label":
            return .label(TextPattern(value))
        case "ref", "reference":
            return .reference(TextPattern(value))
        case "group":
            return .group(TextPattern(value))
        default:
            return .iccid(TextPattern(value))
        }
    }

    static func throttleFilter(_ value: String, term: String) throws(FleetQueryError) -> ThrottleFilter {
        let lowered = value.lowercased()
        switch lowered {
        case "none", "no_limit", "unlimited": return .none
        case "limited", "any": return .limited
        default: break
        }
        var digits = lowered
        for suffix in ["kbps", "k"] where digits.hasSuffix(suffix) {
            digits.removeLast(suffix.count)
            break
        }
        if let kbps = Int(digits), let speed = ThrottleSpeed.allCases.first(where: { $0.kilobitsPerSecond == kbps }) {
            return .speed(speed)
        }
        let named = ThrottleSpeed(rawValue: value.uppercased())
        if case .unknown = named { throw .invalidThrottle(term: term, value: value) }
        return named == .noLimit ? .none : .speed(named)
    }

    /// Parses `wallet<5`, `eta>=2h`, `burn>0.5`. Returns nil when the token
    /// does not start with a comparison field followed by punctuation.
    static func comparisonPredicate(_ token: Token, lowered: String) throws(FleetQueryError) -> FleetQueryPredicate? {
        guard let field = comparisonFields.first(where: { lowered.hasPrefix($0) }) else { return nil }
        let rest = token.value.dropFirst(field.count)
        guard let next = rest.first else { return nil }
        if next.isLetter || next.isNumber { return nil }

        let comparison: QueryComparison
        if rest.hasPrefix("<=") { comparison = .lessOrEqual }
        else if rest.hasPrefix(">=") { comparison = .greaterOrEqual }
        else if rest.hasPrefix("<") { comparison = .less }
        else if rest.hasPrefix(">") { comparison = .greater }
        else if rest.hasPrefix("=") { comparison = .equal }
        else { throw .invalidComparison(term: token.raw, field: field) }

        let value = String(rest.dropFirst(comparison.rawValue.count))
        guard !value.isEmpty else { throw .missingValue(term: token.raw, field: field) }
        switch field {
        case "wallet":
            guard let amount = parseDollars(value, maximumDecimals: 2) else { throw .invalidAmount(term: token.raw, value: value) }
            return .wallet(comparison, Money(cents: Int64(amount.rounded())))
        case "eta":
            guard let seconds = parseDuration(value) else { throw .invalidDuration(term: token.raw, value: value) }
            return .eta(comparison, seconds: seconds)
        default:
            guard let cents = parseDollars(value, maximumDecimals: 4) else { throw .invalidBurnRate(term: token.raw, value: value) }
            return .burn(comparison, centsPerHour: cents)
        }
    }

    /// Parses a non-negative dollar amount strictly (digits, one optional
    /// dot, an optional leading `$`) into cents. Rejects signs, exponents,
    /// grouping commas and `NaN`.
    static func parseDollars(_ text: String, maximumDecimals: Int) -> Double? {
        var text = Substring(text)
        if text.hasPrefix("$") { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty || !fraction.isEmpty, parts.count == 1 || !fraction.isEmpty else { return nil }
        guard whole.count <= 12, fraction.count <= maximumDecimals else { return nil }
        guard whole.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let wholeValue = Double(whole.isEmpty ? "0" : whole) ?? 0
        let fractionValue = fraction.isEmpty ? 0 : (Double(fraction) ?? 0) / pow10(fraction.count)
        return (wholeValue + fractionValue) * 100
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// Parses `90s`, `30m`, `2h`, `1d` into seconds.
    static func parseDuration(_ text: String) -> Int? {
        guard let unit = text.last, let seconds = ["s": 1, "m": 60, "h": 3600, "d": 86400][unit.lowercased()] else {
            return nil
        }
        let number = text.dropLast()
        guard !number.isEmpty, number.count <= 9, number.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(number) else {
            return nil
        }
        return value * seconds
    }
}
