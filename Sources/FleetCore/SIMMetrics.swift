import CitrusAPI
import Foundation

/// How fast a wallet drains, estimated from its reading history.
public enum BurnRate: Sendable, Hashable {
    /// Too little history to say: fewer readings than the minimum, or a
    /// shorter span than the minimum since the last fund. Shown as "unknown".
    case unknown
    /// The wallet does not drain: the SIM is not active, or has no wallet of
    /// its own (a shared-balance group).
    case notDraining
    /// An estimate in cents per hour of the fleet clock. It is a rate, not an
    /// amount of money, so it is a `Double`. `marginCentsPerHour` is how far
    /// Citrus's round-down display alone could move the estimate.
    case estimated(centsPerHour: Double, marginCentsPerHour: Double)

    /// The estimate in cents per hour, or nil when unknown or not draining.
    public var centsPerHour: Double? {
        if case .estimated(let rate, _) = self { return rate }
        return nil
    }

    /// The rate as `$0.53/h`, `unknown` or `—` (not draining).
    public var formatted: String {
        switch self {
        case .unknown:
            return "unknown"
        case .notDraining:
            return "—"
        case .estimated(let rate, _):
            let cents = Int64(rate.rounded())
            return Money(cents: cents).formatted() + "/h"
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

    /// Seconds from `now` until the mark: 0 when already reached, nil when
    /// unknown, `.infinity` when never.
    public func seconds(from now: Date) -> Double? {
        switch self {
        case .unknown: return nil
        case .never: return .infinity
        case .at(let date): return max(0, date.timeIntervalSince(now))
        }
    }

    /// A short form for tables: `now`, `45m`, `3h20m`, `2d4h`, `never`, `unknown`.
    public func formatted(from now: Date) -> String {
        switch self {
        case .unknown: return "unknown"
        case .never: return "never"
        case .at(let date):
            let seconds = Int(date.timeIntervalSince(now))
            if seconds <= 0 { return "now" }
            let minutes = seconds / 60
            if minutes < 60 { return "\(max(1, minutes))m" }
            let hours = minutes / 60
            if hours < 48 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
            return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h"
        }
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
