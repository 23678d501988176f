import CitrusAPI
import Foundation

/// Estimates burn rates and ETAs from wallet readings.
///
/// The estimate uses the newest segment of the history: readings within
/// `window` of the newest one, after the last rise larger than display noise
/// (a fund). It needs `minimumReadings` over at least `minimumSpan`, else the
/// rate is unknown. The rate is the least-squares slope of the segment, so a
/// single one-cent step from Citrus's round-down display moves it less than a
/// first-to-last difference would. Rises within the noise are kept, and a
/// slope that comes out rising is reported as zero.
public struct BurnRateEstimator: Sendable {
    public var configuration: MetricsConfiguration

    public init(configuration: MetricsConfiguration = MetricsConfiguration()) {
        self.configuration = configuration
    }

    /// Estimates the burn rate from readings ordered oldest to newest.
    public func burnRate<Readings: BidirectionalCollection>(of readings: Readings) -> BurnRate
    where Readings.Element == WalletReading {
        guard let newest = readings.last else { return .unknown }

        var count = 0
        var oldest = newest
        var sumT = 0.0, sumC = 0.0, sumTT = 0.0, sumTC = 0.0
        var newer: WalletReading?
        for reading in readings.reversed() {
            if newest.seconds - reading.seconds > configuration.window { break }
            if let newer, newer.cents - reading.cents > configuration.noiseCents { break }

            // Times relative to the newest reading keep the sums small and exact enough.
            let t = Double(reading.seconds - newest.seconds)
            let c = Double(reading.cents)
            sumT += t
            sumC += c
            sumTT += t * t
            sumTC += t * c
            count += 1
            oldest = reading
            newer = reading
        }

        let span = newest.seconds - oldest.seconds
        guard count >= configuration.minimumReadings, span >= configuration.minimumSpan else {
            return .unknown
        }

        let n = Double(count)
        let variance = sumTT - sumT * sumT / n
        guard variance > 0 else { return .unknown }
        let slopeCentsPerSecond = (sumTC - sumT * sumC / n) / variance
        let rate = max(0, -slopeCentsPerSecond * 3600)
        let margin = Double(configuration.noiseCents) * 3600 / Double(span)
        return .estimated(centsPerHour: rate, marginCentsPerHour: margin)
    }

    /// Estimates when a wallet read as `wallet` at `readAt` reaches `mark`,
    /// burning at `rate`. Subtracts the reporting lag, because the reading
    /// shows the wallet as it was that long before `readAt`.
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
            let hours = Double((wallet - mark).cents) / centsPerHour
            let seconds = hours * 3600 - Double(configuration.reportingLag)
            return .at(readAt.addingTimeInterval(max(0, seconds)))
        }
    }
}
