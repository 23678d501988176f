import CitrusAPI
import Foundation

/// Estimates burn rates and ETAs from wallet readings.
///
/// The estimate uses the newest segment of the history: readings within
/// `window` of the newest one, after the last rise larger than display noise
/// (a fund), and after the last change of the usage rate (a reading off the
/// line through the newer ones). The window widens to the span of the newest
/// `minimumReadings` readings, up to `maximumWindow`, so readings taken an
/// hour apart still give a rate. It needs `minimumReadings` over at least
/// `minimumSpan`, else the rate is unknown. With enough history, a wallet
/// read at $0 or below is `.notDraining`, because Citrus cuts data there.
///
/// Citrus rounds each displayed figure down to the cent, so a displayed drop
/// of d cents over the segment means an exact drop below d +
/// `resolutionCents`. The result follows from that:
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
///   wallet's and the charged total's (drop + `resolutionCents`) over the span.
///
/// NOTE: the bound assumes that Citrus's offset below the exact wallet (up
/// to about 5 cents after a fund) stays the same until the next fund, as in
/// the simulator. If it varies, set `resolutionCents` to `noiseCents`. A fund
/// of `noiseCents` or less does not split the segment and can make a bound
/// too low. The charged total is assumed to be rounded like the wallet.
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
        let window = effectiveWindow(of: readings)
        guard let segment = Segment(readings, window: window, configuration: configuration) else { return .unknown }

        let span = segment.span
        guard segment.count >= configuration.minimumReadings, span >= configuration.minimumSpan else {
            return .unknown
        }
        // Citrus cuts data at $0, so an empty wallet cannot drain further.
        // NOTE: this follows the minimum-history rule above, so a SIM first
        // read at $0 shows "unknown" until it has enough readings.
        if segment.newest.cents <= 0 { return .notDraining }
        guard let slopeCentsPerSecond = segment.slopeCentsPerSecond else { return .unknown }

        // Rates multiply by 3600 before dividing by the span, so whole figures stay exact.
        let spanSeconds = Double(span)
        let margin = Double(configuration.noiseCents) * 3600 / spanSeconds
        let walletDrop = Int64(segment.oldest.cents) - Int64(segment.newest.cents)
        if walletDrop >= Int64(configuration.noiseCents) {
            return .estimated(centsPerHour: max(0, -slopeCentsPerSecond * 3600), marginCentsPerHour: margin)
        }

        let chargeRise = segment.chargeRise
        if let chargeRise, chargeRise >= Int64(configuration.noiseCents) {
            return .estimated(centsPerHour: Double(chargeRise) * 3600 / spanSeconds, marginCentsPerHour: margin)
        }

        if let chargeFlatSeconds, chargeFlatSeconds >= configuration.idleSpan, chargeRise == 0, walletDrop <= 0 {
            return .notDraining
        }

        let resolution = Int64(configuration.resolutionCents)
        var boundCents = max(0, walletDrop) + resolution
        if let chargeRise {
            boundCents = min(boundCents, max(0, chargeRise) + resolution)
        }
        let bound = Double(boundCents) * 3600 / spanSeconds
        return .below(centsPerHour: bound)
    }

    /// Returns `window`, widened to cover the newest `minimumReadings`
    /// readings when they lie further apart (slow sweeps), but to at most
    /// `maximumWindow`.
    func effectiveWindow<Readings: BidirectionalCollection>(of readings: Readings) -> Int32
    where Readings.Element == WalletReading {
        guard let newest = readings.last, configuration.minimumReadings > 1 else { return configuration.window }
        var position = readings.endIndex
        for _ in 0..<configuration.minimumReadings {
            guard position != readings.startIndex else { return configuration.window }
            position = readings.index(before: position)
        }
        let span = newest.seconds - readings[position].seconds
        return max(configuration.window, min(span, configuration.maximumWindow))
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
/// of the newest one, after the last fund and on one line, with the sums of
/// a least-squares fit of the wallet against time.
private struct Segment {
    let newest: WalletReading
    private(set) var oldest: WalletReading
    private(set) var count = 0
    private var sumT = 0.0, sumC = 0.0, sumTT = 0.0, sumTC = 0.0

    /// Collects the segment, or returns nil for an empty history.
    ///
    /// Walking back from the newest reading, it stops at the window, at a
    /// fund, or at the first reading off the line fitted to the newer ones.
    /// That last stop drops the readings from before a change of the usage
    /// rate, such as a traveler's from one hour to the next. A reading is off
    /// the line when it lies more than `noiseCents`, plus `resolutionCents`
    /// for each span of the newer readings it lies back, from the line.
    init?<Readings: BidirectionalCollection>(_ readings: Readings, window: Int32, configuration: MetricsConfiguration)
    where Readings.Element == WalletReading {
        guard let newest = readings.last else { return nil }
        self.newest = newest
        self.oldest = newest

        var newer: WalletReading?
        for reading in readings.reversed() {
            if newest.seconds - reading.seconds > window { break }
            if let newer, newer.cents - reading.cents > configuration.noiseCents { break }
            if isOffTheLine(reading, configuration: configuration) { break }
            add(reading)
            newer = reading
        }
    }

    /// Checks whether an older reading departs from the line fitted to the
    /// readings collected so far. Needs two readings at different times.
    private func isOffTheLine(_ reading: WalletReading, configuration: MetricsConfiguration) -> Bool {
        guard count >= 2, span > 0, let slope = slopeCentsPerSecond else { return false }
        let n = Double(count)
        let intercept = (sumC - slope * sumT) / n
        let t = Double(reading.seconds - newest.seconds)
        let deviation = abs(Double(reading.cents) - (intercept + slope * t))
        let reach = Double(newest.seconds - reading.seconds) / Double(span)
        let tolerance = Double(configuration.noiseCents) + Double(configuration.resolutionCents) * reach
        return deviation > tolerance
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
