import CitrusAPI
import Foundation

/// How fast a wallet drains, estimated from its reading history.
public enum BurnRate: Sendable, Hashable {
    /// Too little history to say: fewer readings than the minimum, or a
    /// shorter span than the minimum since the last fund or change of the
    /// usage rate. Shown as "unknown".
    case unknown
    /// The wallet does not drain: the SIM is not active, has no wallet of its
    /// own (a shared-balance group), reads $0 (Citrus cuts data there), or is
    /// idle (its charged total has not risen for
    /// `MetricsConfiguration.idleSpan` and its wallet has not dropped).
    case notDraining
    /// An estimate in cents per hour of the fleet clock. It is a rate, not an
    /// amount of money, so it is a `Double`. `marginCentsPerHour` is how far
    /// Citrus's round-down display alone could move the estimate.
    case estimated(centsPerHour: Double, marginCentsPerHour: Double)
    /// An upper bound in cents per hour: the wallet drains slower than this,
    /// possibly not at all. The wallet and charged total moved too few cents
    /// over the span to measure a rate yet.
    case below(centsPerHour: Double)

    /// The measured estimate in cents per hour, or nil when unknown, not
    /// draining or only bounded.
    public var centsPerHour: Double? {
        if case .estimated(let rate, _) = self { return rate }
        return nil
    }

    /// The fastest rate this value allows, in cents per hour: the estimate,
    /// the upper bound, 0 when not draining, or nil when unknown. Queries,
    /// sorting and ETAs use it, so a bound errs towards running out early.
    public var worstCaseCentsPerHour: Double? {
        switch self {
        case .unknown: return nil
        case .notDraining: return 0
        case .estimated(let rate, _): return rate
        case .below(let bound): return bound
        }
    }

    /// The rate as `$0.53/h`, `< $0.05/h` (a bound, rounded up to the cent),
    /// `unknown` or `—` (not draining).
    public var formatted: String {
        switch self {
        case .unknown:
            return "unknown"
        case .notDraining:
            return "—"
        case .estimated(let rate, _):
            let cents = Int64(rate.rounded())
            return Money(cents: cents).formatted() + "/h"
        case .below(let bound):
            let cents = max(1, Int64(bound.rounded(.up)))
            return "< " + Money(cents: cents).formatted() + "/h"
        }
    }
}

/// When a wallet is expected to reach a mark ($5 or $0).
public enum WalletETA: Sendable, Hashable {
    /// The burn rate is unknown, so the time is too.
    case unknown
    /// The wallet does not drain (or drains at zero), so it never gets there.
    case never
    /// The wallet is expected to reach the mark at this time of the fleet
    /// clock. A time in the past means it has probably already reached it.
    case at(Date)
    /// A lower bound: the wallet is expected to reach the mark no earlier
    /// than this time, because only an upper bound of its burn rate is known.
    case after(Date)

    /// Seconds from `now` until the mark: 0 when already reached, nil when
    /// unknown, `.infinity` when never, and the lower bound for `.after`.
    public func seconds(from now: Date) -> Double? {
        switch self {
        case .unknown: return nil
        case .never: return .infinity
        case .at(let date): return max(0, date.timeIntervalSince(now))
        case .after(let date): return max(0, date.timeIntervalSince(now))
        }
    }

    /// A short form for tables: `now`, `45m`, `3h20m`, `2d4h`, `never`,
    /// `unknown`, and lower bounds as `> 45m`, `> 35h`, `> 8d7h` or `> 41d`.
    public func formatted(from now: Date) -> String {
        switch self {
        case .unknown:
            return "unknown"
        case .never:
            return "never"
        case .at(let date):
            let seconds = Int(date.timeIntervalSince(now))
            if seconds <= 0 { return "now" }
            return Self.duration(minutes: max(1, seconds / 60))
        case .after(let date):
            let seconds = max(0, Int(date.timeIntervalSince(now)))
            return "> " + Self.lowerBound(minutes: seconds / 60)
        }
    }

    /// Formats whole minutes as `45m`, `3h20m` or `2d4h`, dropping the rest.
    private static func duration(minutes: Int) -> String {
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 48 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h"
    }

    /// Formats whole minutes more coarsely than `duration`, as `45m`, `35h`,
    /// `8d7h`, `41d` or `57y`, rounding down, so `> ` and the bound fit in 7
    /// columns and stay true.
    private static func lowerBound(minutes: Int) -> String {
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if days >= 365 { return "\(min(days / 365, 9_999))y" }
        if days >= 10 || hours % 24 == 0 { return "\(days)d" }
        return "\(days)d\(hours % 24)h"
    }
}

/// The estimates of one SIM, derived from its wallet history.
public struct SIMMetrics: Sendable, Hashable {
    public var burnRate: BurnRate
    /// When the wallet is expected to drop below the low mark ($5 by default).
    public var etaToLow: WalletETA
    /// When the wallet is expected to reach $0, where Citrus cuts data.
    public var etaToZero: WalletETA

    public init(burnRate: BurnRate, etaToLow: WalletETA, etaToZero: WalletETA) {
        self.burnRate = burnRate
        self.etaToLow = etaToLow
        self.etaToZero = etaToZero
    }

    /// Metrics of a SIM with no usable estimate.
    public static let unknown = SIMMetrics(burnRate: .unknown, etaToLow: .unknown, etaToZero: .unknown)
}
