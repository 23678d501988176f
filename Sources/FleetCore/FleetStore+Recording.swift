import CitrusAPI
import Foundation

/// The effect of recording one reading on a SIM's record.
enum RecordChange {
    case added
    case changed
    case unchanged
}

extension FleetStore {
    /// Records one page of `GET /esim/list` observed at `observedAt` (fleet
    /// clock) and returns what changed: new SIMs, changed SIMs with their
    /// full reading, unchanged ICCIDs (for mirrors) and derived events.
    /// Costs O(page size).
    public mutating func applyPage(_ esims: [ESIM], observedAt: Date) -> FleetChangeBatch {
        var batch = FleetChangeBatch(observedAt: observedAt)
        for esim in esims {
            let change = record(esim, at: observedAt, events: &batch.events)
            append(change, esim, to: &batch)
        }
        return batch
    }

    /// Records one SIM read outside a sweep (the open detail view, or the
    /// result of an operation). It counts as a sighting but not as part of
    /// the current sweep.
    public mutating func applyReading(_ esim: ESIM, observedAt: Date) -> FleetChangeBatch {
        var batch = FleetChangeBatch(observedAt: observedAt)
        let change = record(esim, at: observedAt, events: &batch.events, countsForSweep: false)
        append(change, esim, to: &batch)
        return batch
    }

    /// Starts a sweep: SIMs that the pages until `completeSweep` do not
    /// contain are then marked gone.
    public mutating func beginSweep() {
        sweepGeneration &+= 1
    }

    /// Ends a complete sweep: every SIM not seen since `beginSweep` is marked
    /// gone and listed in `removed`, with a gone event each. Costs O(fleet),
    /// once per sweep.
    public mutating func completeSweep(at time: Date) -> FleetChangeBatch {
        var batch = FleetChangeBatch(sweepCompletedAt: time, observedAt: time)
        for slot in 0..<Int32(iccids.count) {
            let index = Int(slot)
            guard seenSweep[index] != sweepGeneration, !flags[index].contains(.gone) else { continue }
            markGone(slot)
            batch.removed.append(iccids[index])
            batch.events.append(FleetEvent(
                kind: .gone, time: time, iccid: iccids[index], label: strings.string(labelIDs[index]),
                after: wallets[index] == Self.noMoney ? nil : Money(cents: wallets[index])))
        }
        return batch
    }

    /// Applies a batch made by another store (the refresh loop's), so this
    /// store mirrors it. Events are taken from the batch, not derived again.
    public mutating func apply(_ batch: FleetChangeBatch) {
        var ignoredEvents: [FleetEvent] = []
        let time = batch.observedAt ?? batch.sweepCompletedAt ?? Date()
        for esim in [batch.added, batch.changed].joined() {
            _ = record(esim, at: time, events: &ignoredEvents, countsForSweep: false)
        }
        for iccid in batch.unchanged {
            touch(iccid, at: time)
        }
        for iccid in batch.removed {
            if let slot = slotsByICCID[iccid] { markGone(slot) }
        }
        if let balance = batch.resellerBalance {
            _ = recordResellerBalance(balance, at: time)
        }
    }

    // MARK: Records

    private func append(_ change: RecordChange, _ esim: ESIM, to batch: inout FleetChangeBatch) {
        switch change {
        case .added: batch.added.append(esim)
        case .changed: batch.changed.append(esim)
        case .unchanged: batch.unchanged.append(esim.iccid)
        }
    }

    mutating func record(_ esim: ESIM, at time: Date, events: inout [FleetEvent], countsForSweep: Bool = true) -> RecordChange {
        let now = seconds(since: time)
        guard let slot = slotsByICCID[esim.iccid] else {
            let slot = insert(esim, at: now)
            if countsForSweep { seenSweep[Int(slot)] = sweepGeneration }
            return .added
        }

        let index = Int(slot)
        let wasGone = flags[index].contains(.gone)
        let previous = snapshot(slot)
        let previousCharge = charged[index]
        let changed = overwrite(slot, with: esim)
        if charged[index] != previousCharge { chargeChangedAt[index] = now }
        deriveEvents(slot, previous: previous, time: time, into: &events)

        flags[index].remove(.gone)
        lastSeen[index] = max(lastSeen[index], now)
        if countsForSweep { seenSweep[index] = sweepGeneration }
        appendReading(slot, at: now)

        if wasGone { return .added }
        return changed ? .changed : .unchanged
    }

    /// Records a sighting with no new data: the wallet read the same again.
    mutating func touch(_ iccid: String, at time: Date) {
        guard let slot = slotsByICCID[iccid] else { return }
        let now = seconds(since: time)
        lastSeen[Int(slot)] = max(lastSeen[Int(slot)], now)
        appendReading(slot, at: now)
    }

    mutating func markGone(_ slot: Int32) {
        flags[Int(slot)].insert(.gone)
    }

    private mutating func insert(_ esim: ESIM, at now: Int32) -> Int32 {
        let slot = Int32(iccids.count)
        slotsByICCID[esim.iccid] = slot
        iccids.append(esim.iccid)
        statusCodes.append(0)
        throttleCodes.append(0)
        euiccCodes.append(0)
        labelIDs.append(StringTable.none)
        referenceIDs.append(StringTable.none)
        groupIDs.append(StringTable.none)
        wallets.append(Self.noMoney)
        charged.append(Self.noMoney)
        chargeChangedAt.append(now)
        lastSeen.append(now)
        activatedTimes.append(Self.noTime)
        createdTimes.append(Self.noTime)
        flags.append([])
        seenSweep.append(0)
        historyStart.append(0)
        historyCount.append(0)
        history.append(contentsOf: repeatElement(WalletReading(seconds: 0, cents: 0), count: configuration.historyCapacity))
        burnRates.append(.nan)

        _ = overwrite(slot, with: esim)
        setBaselineLatches(slot)
        appendReading(slot, at: now)
        return slot
    }

    /// Writes the compact form of `esim` into `slot`; returns whether any
    /// stored field changed.
    private mutating func overwrite(_ slot: Int32, with esim: ESIM) -> Bool {
        let index = Int(slot)
        var changed = false
        func set<Value: Equatable>(_ column: inout [Value], _ value: Value) {
            if column[index] != value {
                column[index] = value
                changed = true
            }
        }

        set(&statusCodes, CompactCodes.code(esim.status))
        set(&throttleCodes, CompactCodes.code(esim.throttleSpeed))
        set(&euiccCodes, CompactCodes.code(esim.euiccState))
        set(&labelIDs, strings.intern(esim.label))
        set(&referenceIDs, strings.intern(esim.endUserReference))
        set(&groupIDs, strings.intern(esim.groupID))
        set(&wallets, esim.walletBalance?.cents ?? Self.noMoney)
        set(&charged, esim.totalDataCharged?.cents ?? Self.noMoney)
        set(&activatedTimes, optionalSeconds(esim.activatedAt))
        set(&createdTimes, optionalSeconds(esim.createdAt))

        let raw = UnknownRawValues(
            status: CompactCodes.rawUnknown(esim.status),
            throttle: CompactCodes.rawUnknown(esim.throttleSpeed),
            euiccState: CompactCodes.rawUnknown(esim.euiccState))
        if raw.status != nil || raw.throttle != nil || raw.euiccState != nil {
            if unknownRaw[slot] != raw { changed = true }
            unknownRaw[slot] = raw
        } else if unknownRaw.removeValue(forKey: slot) != nil {
            changed = true
        }
        return changed
    }

    // MARK: History

    /// Appends the slot's current wallet to its history at `now`. While the
    /// newest reading is less than `historySpacing` after the one before it,
    /// a new reading replaces it, so older readings stay at least that far
    /// apart and the ring keeps both the latest value and a long span.
    /// Readings older than the newest are dropped.
    mutating func appendReading(_ slot: Int32, at now: Int32) {
        let index = Int(slot)
        let cents = wallets[index]
        guard cents != Self.noMoney else { return }

        let capacity = configuration.historyCapacity
        let base = index * capacity
        let start = Int(historyStart[index])
        let count = Int(historyCount[index])
        let charge = charged[index] == Self.noMoney ? WalletReading.unknownCharge : WalletReading.clampedCharge(charged[index])
        let reading = WalletReading(seconds: now, cents: WalletReading.clampedCents(cents), chargedCents: charge)

        if count > 0 {
            let newestPosition = base + (start + count - 1) % capacity
            let newest = history[newestPosition]
            if now < newest.seconds { return }
            if count >= 2 {
                let second = history[base + (start + count - 2) % capacity]
                if newest.seconds - second.seconds < configuration.historySpacing {
                    history[newestPosition] = reading
                    updateBurnRate(slot)
                    return
                }
            }
        }
        if count < capacity {
            history[base + (start + count) % capacity] = reading
            historyCount[index] = UInt8(count + 1)
        } else {
            history[base + start] = reading
            historyStart[index] = UInt8((start + 1) % capacity)
        }
        updateBurnRate(slot)
    }

    /// Stores the slot's burn rate for queries, sorting and totals: the
    /// worst case it allows, with a flag when that is only an upper bound.
    private mutating func updateBurnRate(_ slot: Int32) {
        let index = Int(slot)
        let rate = estimateBurnRate(slot)
        burnRates[index] = rate.worstCaseCentsPerHour.map(Float.init) ?? .nan
        if case .below = rate {
            flags[index].insert(.burnIsBound)
        } else {
            flags[index].remove(.burnIsBound)
        }
    }

    /// Estimates the slot's burn rate from its history and from how long its
    /// charged total has been flat, whatever its status.
    func estimateBurnRate(_ slot: Int32) -> BurnRate {
        let index = Int(slot)
        let history = readings(slot)
        var chargeFlatSeconds: Int32?
        if charged[index] != Self.noMoney, let newest = history.last {
            chargeFlatSeconds = newest.seconds - chargeChangedAt[index]
        }
        return estimator.burnRate(of: history, chargeFlatSeconds: chargeFlatSeconds)
    }

    /// Returns the slot's readings, oldest first, without copying.
    func readings(_ slot: Int32) -> HistoryView {
        let index = Int(slot)
        return HistoryView(
            storage: history, base: index * configuration.historyCapacity,
            start: Int(historyStart[index]), count: Int(historyCount[index]),
            capacity: configuration.historyCapacity)
    }
}

/// A ring of readings inside the store's flat history array, oldest first.
struct HistoryView: BidirectionalCollection {
    let storage: [WalletReading]
    let base: Int
    let start: Int
    let count: Int
    let capacity: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    func index(after i: Int) -> Int { i + 1 }
    func index(before i: Int) -> Int { i - 1 }
    subscript(position: Int) -> WalletReading {
        storage[base + (start + position) % capacity]
    }
}
