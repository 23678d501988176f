import CitrusAPI
import Foundation

/// Estimates burn rates and ETAs from wallet readings.
///
/// The estimate uses the newest segment of the history: readings within
/// `window` of the newest one, after the last rise larger than display noise
/// (a fund). It needs `minimumReadings` over at least `minimumSpan`, else the
/// rate is unknown.
///
/// Each displayed figure may sit up to `noiseCents` below the exact one, so a
/// displayed drop of d cents over the segment means an exact drop below
/// d + `noiseCents`. The result follows from that:
///
/// - When the wallet dropped at least `noiseCents` over the segment, the rate
///   is the least-squares slope of the wallet, so a single one-cent step from
///   the round-down display moves it less than a first-to-last difference
///   would. Rises within the noise are kept.
/// - Otherwise, when the charged total rose at least `noiseCents`, the rate
///   is that rise over the span.
/// - Otherwise, when the charged total has not risen for `idleSpan` and the
///   wallet has not dropped, the SIM is idle: `.notDraining`.
/// - Otherwise only an upper bound is known: `.below`, the smaller of the
///   wallet's and the charged total's (drop + `noiseCents`) over the span.
///
/// NOTE: a fund of `noiseCents` or less looks like display noise, so it does
/// not split the segment and can make a bound too low. Citrus does not say
/// how it rounds `total_data_charged_usd`; the charged total is assumed to
/// be as precise as the wallet, as it is in the simulator.
public struct BurnRateEstimator: Sendable {
    public var configuration: MetricsConfiguration

    public init(configuration: MetricsConfiguration = MetricsConfiguration()) {
        self.configuration = configuration
    }

    /// Estimates the burn rate from readings ordered oldest to newest.
    /// `chargeFlatSeconds` is how long the charged total has read the same
    /// as of the newest reading, or nil when unknown (it can exceed the
    /// history the readings cover).
    public func burnRate<Readings: BidirectionalCollection>(
        of readings: Readings, chargeFlatSeconds: Int32? = nil
    ) -> BurnRate where Readings.Element == WalletReading {
        guard let segment = Segment(readings, configuration: configuration) else { return .unknown }

        let span = segment.span
        guard segment.count >= configuration.minimumReadings, span >= configuration.minimumSpan else {
            return .unknown
        }
        guard let slopeCentsPerSecond = segment.slopeCentsPerSecond else { return .unknown }

        let noise = Double(configuration.noiseCents)
        let hours = Double(span) / 3600
        let margin = noise / hours
        let walletDrop = Int64(segment.oldest.cents) - Int64(segment.newest.cents)
        if walletDrop >= Int64(configuration.noiseCents) {
            return .estimated(centsPerHour: max(0, -slopeCentsPerSecond * 3600), marginCentsPerHour: margin)
        }

        let chargeRise = segment.chargeRise
        if let chargeRise, chargeRise >= Int64(configuration.noiseCents) {
            return .estimated(centsPerHour: Double(chargeRise) / hours, marginCentsPerHour: margin)
        }

        if let chargeFlatSeconds, chargeFlatSeconds >= configuration.idleSpan, chargeRise == 0, walletDrop <= 0 {
            return .notDraining
        }

        var bound = (Double(max(0, walletDrop)) + noise) / hours
        if let chargeRise {
            bound = min(bound, (Double(max(0, chargeRise)) + noise) / hours)
        }
        return .below(centsPerHour: bound)
    }

    /// Estimates when a wallet read as `wallet` at `readAt` reaches `mark`,
    /// burning at `rate`. Subtracts the reporting lag, because the reading
    /// shows the wallet as it was that long before `readAt`. An upper bound
    /// of the rate gives a lower bound of the time (`.after`).
    public func eta(wallet: Money, readAt: Date, mark: Money, rate: BurnRate) -> WalletETA {
        if wallet <= mark {
            return .at(readAt)
        }
        switch rate {
        case .unknown:
            return .unknown
        case .notDraining:
            return .never
        case .estimated(let centsPerHour, _):
            guard centsPerHour > 0 else { return .never }
            return .at(time(wallet: wallet, readAt: readAt, mark: mark, centsPerHour: centsPerHour))
        case .below(let centsPerHour):
            guard centsPerHour > 0 else { return .never }
            return .after(time(wallet: wallet, readAt: readAt, mark: mark, centsPerHour: centsPerHour))
        }
    }

    private func time(wallet: Money, readAt: Date, mark: Money, centsPerHour: Double) -> Date {
        let hours = Double((wallet - mark).cents) / centsPerHour
        let seconds = hours * 3600 - Double(configuration.reportingLag)
        return readAt.addingTimeInterval(max(0, seconds))
    }
}

/// The newest segment of a reading history: the readings within the window
/// of the newest one and after the last fund, with the sums of a
/// least-squares fit of the wallet against time.
private struct Segment {
    let newest: WalletReading
    private(set) var oldest: WalletReading
    private(set) var count = 0
    private var sumT = 0.0, sumC = 0.0, sumTT = 0.0, sumTC = 0.0

    /// Collects the segment, or returns nil for an empty history.
    init?<Readings: BidirectionalCollection>(_ readings: Readings, configuration: MetricsConfiguration)
    where Readings.Element == WalletReading {
        guard let newest = readings.last else { return nil }
        self.newest = newest
        self.oldest = newest

        var newer: WalletReading?
        for reading in readings.reversed() {
            if newest.seconds - reading.seconds > configuration.window { break }
            if let newer, newer.cents - reading.cents > configuration.noiseCents { break }
            add(reading)
            newer = reading
        }
    }

    private mutating func add(_ reading: WalletReading) {
        // Times relative to the newest reading keep the sums small and exact enough.
        let t = Double(reading.seconds - newest.seconds)
        let c = Double(reading.cents)
        sumT += t
        sumC += c
        sumTT += t * t
        sumTC += t * c
        count += 1
        oldest = reading
    }

    /// Seconds from the oldest to the newest reading.
    var span: Int32 { newest.seconds - oldest.seconds }

    /// The least-squares slope of the wallet in cents per second (negative
    /// while draining), or nil when every reading has the same time.
    var slopeCentsPerSecond: Double? {
        let n = Double(count)
        let variance = sumTT - sumT * sumT / n
        guard variance > 0 else { return nil }
        return (sumTC - sumT * sumC / n) / variance
    }

    /// How many cents the charged total rose over the segment, or nil when
    /// the newest or oldest reading lacks one.
    var chargeRise: Int64? {
        guard newest.chargedCents != WalletReading.unknownCharge,
              oldest.chargedCents != WalletReading.unknownCharge else { return nil }
        return Int64(newest.chargedCents) - Int64(oldest.chargedCents)
    }
}
