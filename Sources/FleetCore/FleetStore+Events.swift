import CitrusAPI
import Foundation

/// The reseller account as the store last read it, with a history for its ETA.
struct ResellerState: Sendable {
    var balance: ResellerBalance?
    var readAt: Date?
    /// Reseller balances can exceed an Int32 of cents only above $21 million;
    /// such readings are clamped.
    var history: [WalletReading] = []
    var lowLatched = false

    /// Readings kept for the reseller balance ETA: one per sweep, coalesced
    /// like a SIM's history.
    static let capacity = 64
}

extension FleetStore {
    /// The fields of a record that events compare.
    struct EventState {
        var status: UInt8
        var wallet: Int64
        var activated: Int32
    }

    func snapshot(_ slot: Int32) -> EventState {
        let index = Int(slot)
        return EventState(status: statusCodes[index], wallet: wallets[index], activated: activatedTimes[index])
    }

    /// Sets the latches of a SIM seen for the first time, so a SIM that is
    /// already low or depleted at its first reading fires no crossing event.
    mutating func setBaselineLatches(_ slot: Int32) {
        let index = Int(slot)
        let wallet = wallets[index]
        guard wallet != Self.noMoney else { return }
        if wallet < configuration.lowWalletThreshold.cents { flags[index].insert(.lowLatched) }
        if wallet <= 0 { flags[index].insert(.depletedLatched) }
    }

    /// Compares the record in `slot` (already overwritten with the new
    /// reading) with `previous` and appends the events between them.
    mutating func deriveEvents(_ slot: Int32, previous: EventState, time: Date, into events: inout [FleetEvent]) {
        let index = Int(slot)
        let iccid = iccids[index]
        let label = strings.string(labelIDs[index])
        let wallet = wallets[index]
        let walletMoney = wallet == Self.noMoney ? nil : Money(cents: wallet)
        let previousMoney = previous.wallet == Self.noMoney ? nil : Money(cents: previous.wallet)
        func event(_ kind: FleetEvent.Kind, before: Money? = nil) {
            events.append(FleetEvent(kind: kind, time: time, iccid: iccid, label: label, before: before, after: walletMoney))
        }

        let status = statusCodes[index]
        let pending = CompactCodes.code(.pending)
        let active = CompactCodes.code(.active)
        let suspended = CompactCodes.code(.suspended)
        let terminated = CompactCodes.code(.terminated)
        var activatedFired = false
        if status != previous.status {
            if status == terminated {
                event(.terminated)
            } else if status == suspended {
                event(.suspended)
            } else if status == active && previous.status == suspended {
                event(.resumed)
            } else if status == active && previous.status == pending {
                event(.activated)
                activatedFired = true
            }
        }
        if !activatedFired && previous.activated == Self.noTime && activatedTimes[index] != Self.noTime {
            event(.activated)
        }

        guard wallet != Self.noMoney else { return }
        let noise = Int64(configuration.noiseCents)
        let low = configuration.lowWalletThreshold.cents
        var funded = false
        if previous.wallet != Self.noMoney && wallet - previous.wallet > noise {
            event(.funded, before: previousMoney)
            funded = true
        }

        if flags[index].contains(.lowLatched) {
            // Re-arm after a fund to the mark or above, or a clear rise above it.
            if wallet >= low && (funded || wallet >= low + noise) { flags[index].remove(.lowLatched) }
        } else if wallet < low {
            event(.balanceLow, before: previousMoney)
            flags[index].insert(.lowLatched)
        }

        if flags[index].contains(.depletedLatched) {
            if wallet > noise { flags[index].remove(.depletedLatched) }
        } else if wallet <= 0 {
            event(.depleted, before: previousMoney)
            flags[index].insert(.depletedLatched)
        }
    }

    // MARK: Reseller balance

    /// Records the reseller balance read at `time` and returns the
    /// "reseller balance low" event when it crossed below its mark.
    public mutating func recordResellerBalance(_ balance: ResellerBalance, at time: Date) -> [FleetEvent] {
        let previous = reseller.balance?.balance
        let isFirst = reseller.balance == nil
        reseller.balance = balance
        reseller.readAt = time
        appendResellerReading(balance.balance, at: seconds(since: time))

        let mark = configuration.lowResellerBalanceThreshold
        if balance.balance >= mark {
            reseller.lowLatched = false
            return []
        }
        guard !reseller.lowLatched else { return [] }
        reseller.lowLatched = true
        guard !isFirst else { return [] }
        return [FleetEvent(kind: .resellerBalanceLow, time: time, iccid: nil, before: previous, after: balance.balance)]
    }

    private mutating func appendResellerReading(_ balance: Money, at now: Int32) {
        let reading = WalletReading(seconds: now, cents: WalletReading.clampedCents(balance.cents))
        if let newest = reseller.history.last, now < newest.seconds { return }
        let count = reseller.history.count
        if count >= 2 && reseller.history[count - 1].seconds - reseller.history[count - 2].seconds < configuration.historySpacing {
            reseller.history[count - 1] = reading
            return
        }
        if count >= ResellerState.capacity { reseller.history.removeFirst() }
        reseller.history.append(reading)
    }
}
