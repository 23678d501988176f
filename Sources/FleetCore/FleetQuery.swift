import CitrusAPI

/// An operator's filter over the fleet, parsed from text such as
/// `status:active wallet<5 label:trip -ref:EMP-*`.
///
/// Terms are separated by spaces and all must match (AND). A leading `-`
/// negates a term. Double quotes group words: `"new york"`, `label:"new york"`.
///
/// | term | matches |
/// |---|---|
/// | `berlin` | free text in the label, end-user reference or ICCID |
/// | `status:active` | status `pending`, `active`, `suspended` or `terminated` |
/// | `throttle:limited`, `throttle:none`, `throttle:500` | any cap, no cap, a cap in kbps |
/// | `label:berlin`, `ref:EMP-*`, `group:grp_1`, `iccid:8910*` | the field; `*` and `?` make it a whole-value pattern, otherwise a substring |
/// | `wallet<5`, `wallet>=20` | the wallet in dollars (`<`, `<=`, `>`, `>=`, `=`) |
/// | `eta<2h` | time until the wallet reaches $0: `90s`, `30m`, `2h`, `1d` |
/// | `burn>0.5` | burn rate in dollars per hour |
/// | `stale`, `low`, `depleted`, `gone` | not seen for two sweeps; wallet below the low mark; at $0; missing from a sweep |
///
/// Text matching ignores ASCII case. To search for a word that is a flag
/// (such as `low`), quote it: `"low"`. Gone SIMs match only a query that
/// mentions `gone`.
public struct FleetQuery: Sendable, Hashable {
    /// The text the query was parsed from.
    public let text: String
    public let terms: [FleetQueryTerm]

    /// The query that matches every SIM that is not gone.
    public static let all = FleetQuery(text: "", terms: [])

    public init(text: String, terms: [FleetQueryTerm]) {
        self.text = text
        self.terms = terms
    }

    /// Parses a query strictly. Throws an error that names the term and the fix.
    public static func parse(_ text: String) throws(FleetQueryError) -> FleetQuery {
        try FleetQueryParser.parse(text)
    }

    /// Whether the query mentions `gone`, so gone SIMs are included.
    public var includesGone: Bool {
        terms.contains { $0.predicate == .gone }
    }
}

/// One term of a query, possibly negated.
public struct FleetQueryTerm: Sendable, Hashable {
    public var negated: Bool
    public var predicate: FleetQueryPredicate

    public init(negated: Bool = false, _ predicate: FleetQueryPredicate) {
        self.negated = negated
        self.predicate = predicate
    }
}

/// A comparison operator of `wallet`, `eta` and `burn` terms.
public enum QueryComparison: String, Sendable, Hashable {
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case equal = "="

    func compare<Value: Comparable>(_ value: Value, _ limit: Value) -> Bool {
        switch self {
        case .less: return value < limit
        case .lessOrEqual: return value <= limit
        case .greater: return value > limit
        case .greaterOrEqual: return value >= limit
        case .equal: return value == limit
        }
    }
}

/// The throttle a `throttle:` term matches.
public enum ThrottleFilter: Sendable, Hashable {
    /// `throttle:none`: no cap.
    case none
    /// `throttle:limited`: any cap.
    case limited
    /// `throttle:500`: exactly this cap.
    case speed(ThrottleSpeed)
}

/// A text pattern, matched ignoring ASCII case. With `*` or `?` it must
/// match the whole value; otherwise it matches any substring.
public struct TextPattern: Sendable, Hashable {
    /// The pattern as typed.
    public let text: String
    /// The pattern folded to lowercase, as UTF-8.
    let folded: [UInt8]
    public let isWildcard: Bool

    public init(_ text: String) {
        self.text = text
        self.folded = TextMatching.fold(text)
        self.isWildcard = text.contains("*") || text.contains("?")
    }

    /// Whether `value` matches, ignoring ASCII case.
    public func matches(_ value: String) -> Bool {
        TextMatching.matches(self, value)
    }
}

/// The test of one term.
public enum FleetQueryPredicate: Sendable, Hashable {
    /// Free text in the label, reference or ICCID.
    case text(TextPattern)
    case status(ESIMStatus)
    case throttle(ThrottleFilter)
    case label(TextPattern)
    case reference(TextPattern)
    case group(TextPattern)
    case iccid(TextPattern)
    /// The wallet against an amount; SIMs without a wallet never match.
    case wallet(QueryComparison, Money)
    /// Seconds until the wallet reaches $0; unknown ETAs never match, and a
    /// wallet that never drains counts as infinitely far. A lower bound
    /// (`> 8d`) counts as its bound, the earliest time it allows, so `eta<2h`
    /// matches `> 1h30m` (it may run out within 2 h) but not `> 8d`.
    case eta(QueryComparison, seconds: Int)
    /// Burn rate in cents per hour; unknown rates never match, and SIMs that
    /// do not drain burn 0. An upper bound (`< $0.05/h`) counts as its bound,
    /// the fastest rate it allows, so `burn>0.5` does not match it.
    case burn(QueryComparison, centsPerHour: Double)
    case stale
    case low
    case depleted
    case gone
}
