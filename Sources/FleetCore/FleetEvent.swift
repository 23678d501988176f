import CitrusAPI
import Foundation

/// Something that happened to a SIM or to the reseller account, derived from
/// two successive readings. The first reading of a SIM only sets the baseline
/// and produces no events.
public struct FleetEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// The SIM became active for the first time (status left `pending`,
        /// or `activated_at` appeared).
        case activated
        /// The wallet crossed below the low mark. Fires once per crossing, as
        /// Citrus's `esim.balance_low` does, and again only after a fund lifts
        /// the wallet to the mark or above.
        case balanceLow = "balance_low"
        /// The wallet reached $0, where Citrus cuts data.
        case depleted
        /// Data was suspended (status `suspended`).
        case suspended
        /// Data resumed (status back to `active` from `suspended`).
        case resumed
        /// The SIM was terminated.
        case terminated
        /// The wallet rose by more than display noise.
        case funded
        /// The SIM was missing from a complete sweep.
        case gone
        /// The reseller balance crossed below its low mark.
        case resellerBalanceLow = "reseller_balance_low"
    }

    public var kind: Kind
    /// The observation time on the fleet clock.
    public var time: Date
    /// The SIM, or nil for reseller account events.
    public var iccid: String?
    /// The SIM's label at the time, for display. Unsanitized API text.
    public var label: String?
    /// The wallet (or reseller balance) before the change, when it applies.
    public var before: Money?
    /// The wallet (or reseller balance) after the change, when it applies.
    public var after: Money?

    public init(kind: Kind, time: Date, iccid: String?, label: String? = nil, before: Money? = nil, after: Money? = nil) {
        self.kind = kind
        self.time = time
        self.iccid = iccid
        self.label = label
        self.before = before
        self.after = after
    }

    /// The wallet change (`after − before`), when both are known.
    public var amount: Money? {
        guard let before, let after else { return nil }
        return after - before
    }

    /// The event as a sentence without the SIM, for views that show the
    /// ICCID and label in columns of their own: "Wallet is low: $4.99.".
    public var summary: String {
        let wallet = after.map { " Wallet \($0)." } ?? ""
        switch kind {
        case .activated:
            return "Activated."
        case .balanceLow:
            return "Wallet is low: \(after.map(\.description) ?? "unknown")."
        case .depleted:
            return "Wallet is depleted; Citrus has cut data."
        case .suspended:
            return "Suspended.\(wallet)"
        case .resumed:
            return "Resumed.\(wallet)"
        case .terminated:
            return "Terminated."
        case .funded:
            let added = amount.map { "+\($0)" } ?? "funds"
            return "Funded \(added).\(wallet)"
        case .gone:
            return "Gone: missing from a complete sweep."
        case .resellerBalanceLow:
            return "Reseller balance is low: \(after.map(\.description) ?? "unknown")."
        }
    }

    /// A plain sentence for the events view. Label text is not sanitized
    /// here: the UI sanitizes every API string before drawing it.
    public var message: String {
        let subject = iccid.map { id in label.map { "\(id) (\($0))" } ?? id } ?? "Reseller account"
        let wallet = after.map { " Wallet \($0)." } ?? ""
        switch kind {
        case .activated:
            return "\(subject) activated."
        case .balanceLow:
            return "\(subject) wallet is low: \(after.map(\.description) ?? "unknown")."
        case .depleted:
            return "\(subject) wallet is depleted; Citrus has cut data."
        case .suspended:
            return "\(subject) suspended.\(wallet)"
        case .resumed:
            return "\(subject) resumed.\(wallet)"
        case .terminated:
            return "\(subject) terminated."
        case .funded:
            let added = amount.map { "+\($0)" } ?? "funds"
            return "\(subject) funded \(added).\(wallet)"
        case .gone:
            return "\(subject) is gone: it was missing from a complete sweep."
        case .resellerBalanceLow:
            return "Reseller balance is low: \(after.map(\.description) ?? "unknown")."
        }
    }
}

extension FleetEvent: Codable {
    enum CodingKeys: String, CodingKey {
        case kind = "event"
        case time
        case iccid
        case label
        case before = "before_usd"
        case after = "after_usd"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        let timeText = try container.decode(String.self, forKey: .time)
        guard let parsed = CitrusDate.parse(timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "\"\(timeText)\" is not an ISO-8601 time")
        }
        time = parsed
        iccid = try container.decodeIfPresent(String.self, forKey: .iccid)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        before = try container.decodeIfPresent(Decimal.self, forKey: .before).flatMap(Money.init(exactly:))
        after = try container.decodeIfPresent(Decimal.self, forKey: .after).flatMap(Money.init(exactly:))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(CitrusDate.format(time), forKey: .time)
        try container.encodeIfPresent(iccid, forKey: .iccid)
        try container.encodeIfPresent(label, forKey: .label)
        try container.encodeIfPresent(before?.decimalDollars, forKey: .before)
        try container.encodeIfPresent(after?.decimalDollars, forKey: .after)
    }
}
