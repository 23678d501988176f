import CitrusAPI
import FleetCore

/// The dashboard's own copy of the fleet: SIMs by ICCID plus their display
/// order. Change batches update it in place, so a sweep of a large fleet
/// costs the size of the batch, not of the fleet.
public struct FleetModel: Sendable {
    public private(set) var esimsByICCID: [String: ESIM] = [:]
    /// ICCIDs in display order: the order in which the sweeps first saw them.
    public private(set) var order: [String] = []

    public init(esims: [ESIM] = []) {
        for esim in esims { upsert(esim) }
    }

    public var count: Int { order.count }

    /// The SIM shown at `row`, or nil outside the table.
    public func esim(atRow row: Int) -> ESIM? {
        guard order.indices.contains(row) else { return nil }
        return esimsByICCID[order[row]]
    }

    /// Inserts a SIM at the end of the order, or replaces the reading of a
    /// SIM already present without moving it.
    public mutating func upsert(_ esim: ESIM) {
        if esimsByICCID.updateValue(esim, forKey: esim.iccid) == nil {
            order.append(esim.iccid)
        }
    }

    /// Applies the SIMs added, changed and removed in `batch`.
    ///
    /// - Returns: whether any SIM was removed, which shifts rows.
    @discardableResult
    public mutating func apply(_ batch: FleetChangeBatch) -> Bool {
        for esim in batch.added { upsert(esim) }
        for esim in batch.changed { upsert(esim) }
        guard !batch.removed.isEmpty else { return false }

        var removed = Set<String>()
        for iccid in batch.removed where esimsByICCID.removeValue(forKey: iccid) != nil {
            removed.insert(iccid)
        }
        guard !removed.isEmpty else { return false }
        order.removeAll { removed.contains($0) }
        return true
    }

    /// The row of `iccid`, found by a linear search.
    public func row(of iccid: String) -> Int? {
        order.firstIndex(of: iccid)
    }
}
