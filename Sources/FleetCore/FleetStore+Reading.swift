import CitrusAPI
import Foundation

/// One SIM as the fleet table shows it, read from a `FleetStore`.
public struct SIMRow: Sendable, Hashable {
    public var handle: SIMHandle
    public var iccid: String
    public var status: ESIMStatus
    public var throttleSpeed: ThrottleSpeed
    public var euiccState: EUICCState?
    /// Unsanitized API text: sanitize before drawing.
    public var label: String?
    /// Unsanitized API text: sanitize before drawing.
    public var endUserReference: String?
    public var groupID: String?
    /// The wallet as last read (rounded down by Citrus), nil in a group.
    public var walletBalance: Money?
    public var totalDataCharged: Money?
    public var activatedAt: Date?
    public var createdAt: Date?
    /// The last time any read returned this SIM (fleet clock).
    public var lastSeen: Date
    /// Missing from a complete sweep.
    public var isGone: Bool
    public var metrics: SIMMetrics

    /// Whether the SIM has not been seen for longer than `staleAfter` seconds.
    public func isStale(now: Date, staleAfter: TimeInterval) -> Bool {
        now.timeIntervalSince(lastSeen) > staleAfter
    }
}

/// Totals over the SIMs of a store that are not gone.
public struct FleetTotals: Sendable, Hashable {
    /// SIMs not gone.
    public var simCount: Int
    /// SIMs missing from a complete sweep.
    public var goneCount: Int
    public var countsByStatus: [ESIMStatus: Int]
    /// SIMs with a wallet above $0 and below the low mark, terminated ones excluded.
    public var lowCount: Int
    /// SIMs with a wallet at $0, terminated ones excluded.
    public var depletedCount: Int
    /// SIMs not seen for longer than the stale threshold.
    public var staleCount: Int
    /// The sum of every wallet read (terminated SIMs excluded: Citrus forfeits their wallets).
    public var totalWallet: Money
    /// The sum of the measured burn rates of active SIMs, in cents per hour.
    /// Upper bounds are left out (see `boundedSpendCentsPerHour`), and SIMs
    /// at $0 add nothing because they no longer drain.
    public var spendCentsPerHour: Double
    /// Active SIMs with a wallet whose burn rate is still unknown.
    public var unknownBurnCount: Int
    /// Active SIMs with a wallet that drains too slowly to measure yet, so
    /// only an upper bound of its burn rate is known (`BurnRate.below`).
    public var boundedBurnCount: Int
    /// The sum of those upper bounds in cents per hour. Together those SIMs
    /// spend less than this.
    public var boundedSpendCentsPerHour: Double
    /// The reseller balance as last read, and when (fleet clock).
    public var resellerBalance: Money?
    public var resellerBalanceReadAt: Date?
    /// The reseller balance's own drain, estimated from its readings like a
    /// wallet's. It falls only when money leaves it (funds, provisioning fees).
    public var resellerBurnRate: BurnRate
    /// When the reseller balance is expected to reach $0 at that drain.
    public var resellerETA: WalletETA

    /// Spend per hour as money, rounded to the cent.
    public var spendPerHour: Money {
        Money(cents: Int64(spendCentsPerHour.rounded()))
    }
}

extension FleetStore {
    /// Returns the table row of one SIM.
    public func row(_ handle: SIMHandle) -> SIMRow {
        let index = Int(handle.index)
        let raw = unknownRaw[handle.index]
        return SIMRow(
            handle: handle,
            iccid: iccids[index],
            status: CompactCodes.status(statusCodes[index], raw: raw?.status),
            throttleSpeed: CompactCodes.throttle(throttleCodes[index], raw: raw?.throttle),
            euiccState: CompactCodes.euiccState(euiccCodes[index], raw: raw?.euiccState),
            label: strings.string(labelIDs[index]),
            endUserReference: strings.string(referenceIDs[index]),
            groupID: strings.string(groupIDs[index]),
            walletBalance: money(wallets[index]),
            totalDataCharged: money(charged[index]),
            activatedAt: optionalDate(activatedTimes[index]),
            createdAt: optionalDate(createdTimes[index]),
            lastSeen: date(lastSeen[index]),
            isGone: flags[index].contains(.gone),
            metrics: metrics(handle))
    }

    /// Returns the row of the SIM with this ICCID, or nil if the store never saw it.
    public func row(iccid: String) -> SIMRow? {
        handle(for: iccid).map(row)
    }

    /// Returns the burn rate and ETAs of one SIM.
    public func metrics(_ handle: SIMHandle) -> SIMMetrics {
        let index = Int(handle.index)
        let wallet = wallets[index]
        guard wallet != Self.noMoney else {
            return SIMMetrics(burnRate: .notDraining, etaToLow: .never, etaToZero: .never)
        }
        let rate = burnRate(index)
        let readAt = newestReadingTime(index)
        let money = Money(cents: wallet)
        return SIMMetrics(
            burnRate: rate,
            etaToLow: estimator.eta(wallet: money, readAt: readAt, mark: configuration.lowWalletThreshold, rate: rate),
            etaToZero: estimator.eta(wallet: money, readAt: readAt, mark: .zero, rate: rate))
    }

    /// Returns the wallet readings of one SIM, oldest first, with their times.
    public func walletHistory(_ handle: SIMHandle) -> [(time: Date, wallet: Money)] {
        readings(handle.index).map { (date($0.seconds), Money(cents: Int64($0.cents))) }
    }

    /// Computes the totals over the SIMs not gone. `staleAfter` is in seconds of the
    /// fleet clock (see `SweepProgress.staleAfterSeconds`). Costs O(fleet).
    public func totals(now: Date, staleAfter: TimeInterval) -> FleetTotals {
        var totals = FleetTotals(
            simCount: 0, goneCount: 0, countsByStatus: [:], lowCount: 0, depletedCount: 0,
            staleCount: 0, totalWallet: .zero, spendCentsPerHour: 0, unknownBurnCount: 0,
            boundedBurnCount: 0, boundedSpendCentsPerHour: 0,
            resellerBalance: reseller.balance?.balance, resellerBalanceReadAt: reseller.readAt,
            resellerBurnRate: .unknown, resellerETA: .unknown)

        let staleLimit = staleSecondsLimit(now: now, staleAfter: staleAfter)
        let low = configuration.lowWalletThreshold.cents
        let terminated = CompactCodes.code(.terminated)
        let active = CompactCodes.code(.active)
        var statusCounts = [Int](repeating: 0, count: 256)
        var walletCents: Int64 = 0

        for index in 0..<iccids.count {
            if flags[index].contains(.gone) {
                totals.goneCount += 1
                continue
            }
            totals.simCount += 1
            let status = statusCodes[index]
            statusCounts[Int(status)] += 1
            if lastSeen[index] < staleLimit { totals.staleCount += 1 }

            let wallet = wallets[index]
            guard wallet != Self.noMoney, status != terminated else { continue }
            walletCents += wallet
            if wallet <= 0 {
                totals.depletedCount += 1
            } else if wallet < low {
                totals.lowCount += 1
            }
            if status == active {
                let rate = burnRates[index]
                if rate.isNaN {
                    totals.unknownBurnCount += 1
                } else if flags[index].contains(.burnIsBound) {
                    totals.boundedBurnCount += 1
                    totals.boundedSpendCentsPerHour += Double(rate)
                } else {
                    totals.spendCentsPerHour += Double(rate)
                }
            }
        }

        totals.totalWallet = Money(cents: walletCents)
        totals.countsByStatus = statusDictionary(statusCounts)
        if let balance = reseller.balance?.balance, let readAt = reseller.readAt {
            let rate = estimator.burnRate(of: reseller.history)
            totals.resellerBurnRate = rate
            totals.resellerETA = estimator.eta(wallet: balance, readAt: readAt, mark: .zero, rate: rate)
        }
        return totals
    }

    // MARK: Helpers shared with queries

    func money(_ cents: Int64) -> Money? {
        cents == Self.noMoney ? nil : Money(cents: cents)
    }

    /// Returns the burn rate of a slot, taking its status into account: only
    /// active SIMs drain. It is recomputed from the history, so it carries the exact margin.
    func burnRate(_ index: Int) -> BurnRate {
        guard wallets[index] != Self.noMoney, statusCodes[index] == CompactCodes.code(.active) else {
            return .notDraining
        }
        return estimateBurnRate(Int32(index))
    }

    func newestReadingSeconds(_ index: Int) -> Int32 {
        let count = Int(historyCount[index])
        guard count > 0 else { return lastSeen[index] }
        return readings(Int32(index))[count - 1].seconds
    }

    func newestReadingTime(_ index: Int) -> Date {
        date(newestReadingSeconds(index))
    }

    func staleSecondsLimit(now: Date, staleAfter: TimeInterval) -> Int32 {
        let limit = now.addingTimeInterval(-staleAfter).timeIntervalSince(epoch).rounded(.down)
        return Int32(clamping: Int64(max(Double(Int32.min + 1), min(Double(Int32.max), limit))))
    }

    private func statusDictionary(_ counts: [Int]) -> [ESIMStatus: Int] {
        var result: [ESIMStatus: Int] = [:]
        for code in 0..<256 where counts[code] > 0 {
            if code == Int(CompactCodes.unknownCode) {
                // Unknown statuses are counted per raw value.
                for (slot, raw) in unknownRaw where !flags[Int(slot)].contains(.gone) {
                    if CompactCodes.code(CompactCodes.status(statusCodes[Int(slot)], raw: raw.status)) == CompactCodes.unknownCode {
                        result[.unknown(raw.status ?? ""), default: 0] += 1
                    }
                }
            } else {
                result[CompactCodes.status(UInt8(code), raw: nil)] = counts[code]
            }
        }
        return result
    }
}
