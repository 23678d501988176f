import CitrusAPI
import FleetCore
import Foundation

/// The order of the fleet table: a sort column, or the order in which the
/// sweeps first saw the SIMs, in either direction.
public struct TableSort: Equatable, Sendable {
    /// The column, or nil for the order first seen.
    public var key: FleetSortKey?
    public var ascending: Bool

    public init(_ key: FleetSortKey?, ascending: Bool = true) {
        self.key = key
        self.ascending = ascending
    }

    /// The order in which the sweeps first saw the SIMs (the API's list order).
    public static let firstSeen = TableSort(nil)
}

/// The dashboard's copy of the fleet: a mirror of the refresh loop's
/// `FleetStore`, kept by applying the same change batches, plus the filter,
/// the sort and the resulting order of the rows.
///
/// The store keeps compact records (no QR codes), so a mirror of 100,000 SIMs
/// stays small. The visible order and the totals cost a pass over the fleet
/// and an O(n log n) sort. So they are computed only in `refreshOrder(now:)`,
/// which the reducer calls after batches, a new filter or a new sort, and
/// never per frame. Drawing reads only the rows on screen.
public struct FleetModel: Sendable {
    public private(set) var store: FleetStore
    /// The filter; `.all` shows every SIM that is not gone.
    public private(set) var query: FleetQuery = .all
    public private(set) var sort: TableSort = .firstSeen
    /// The SIMs shown, in display order, as of the last `refreshOrder(now:)`.
    public private(set) var visible: [SIMHandle] = []
    /// Totals over the whole fleet (not only the filtered rows), as of the
    /// last `refreshOrder(now:)`.
    public private(set) var totals: FleetTotals
    /// SIMs not seen for longer than this are stale (fleet-clock seconds).
    /// Nil until the refresh loop reports its first sweep progress.
    public private(set) var staleAfter: TimeInterval?
    /// Whether a batch, filter or sort changed since the order was computed.
    public private(set) var needsRefresh = false

    /// Creates an empty mirror with the refresh loop's metrics rules.
    public init(metrics: MetricsConfiguration = MetricsConfiguration(), epoch: Date = Date()) {
        store = FleetStore(configuration: metrics, epoch: epoch)
        totals = store.totals(now: epoch, staleAfter: .infinity)
    }

    /// The number of rows shown.
    public var count: Int { visible.count }

    /// The stale threshold to use now: `staleAfter`, or never before the first sweep.
    public var effectiveStaleAfter: TimeInterval {
        staleAfter ?? .infinity
    }

    /// Returns the row at `index` of the visible order, or nil outside the table.
    public func row(at index: Int) -> SIMRow? {
        guard visible.indices.contains(index) else { return nil }
        return store.row(visible[index])
    }

    /// Returns the row of a SIM by ICCID, shown or not, or nil if it was never seen.
    public func row(iccid: String) -> SIMRow? {
        store.row(iccid: iccid)
    }

    /// Returns the position of `iccid` in the visible order, or nil when it is not shown.
    /// Costs one pass over the visible rows.
    public func index(of iccid: String) -> Int? {
        guard let handle = store.handle(for: iccid) else { return nil }
        return visible.firstIndex(of: handle)
    }

    // MARK: Changes

    /// Applies a batch from the refresh loop to the mirror. The visible order
    /// is computed again at the next `refreshOrder(now:)`.
    public mutating func apply(_ batch: FleetChangeBatch) {
        store.apply(batch)
        if let sweep = batch.sweep, sweep.staleAfterSeconds != staleAfter {
            staleAfter = sweep.staleAfterSeconds
            needsRefresh = true
        }
        let touchesSIMs = !batch.added.isEmpty || !batch.changed.isEmpty || !batch.removed.isEmpty
            || !batch.unchanged.isEmpty || batch.resellerBalance != nil
        if touchesSIMs { needsRefresh = true }
    }

    /// Records a SIM as an operation returned it, observed at `time` (fleet clock).
    public mutating func record(_ esim: ESIM, at time: Date) {
        store.apply(FleetChangeBatch(changed: [esim], observedAt: time))
        needsRefresh = true
    }

    public mutating func setQuery(_ query: FleetQuery) {
        guard query != self.query else { return }
        self.query = query
        needsRefresh = true
    }

    public mutating func setSort(_ sort: TableSort) {
        guard sort != self.sort else { return }
        self.sort = sort
        needsRefresh = true
    }

    /// Computes the visible order and the totals at `now` (fleet clock):
    /// the SIMs matching the filter, sorted stably. Costs a pass over the
    /// fleet plus the sort of the matching SIMs.
    public mutating func refreshOrder(now: Date) {
        let staleAfter = effectiveStaleAfter
        let matching = store.select(query, now: now, staleAfter: staleAfter)
        if let key = sort.key {
            visible = store.sort(matching, by: FleetSortOrder(key, ascending: sort.ascending), now: now)
        } else {
            visible = sort.ascending ? matching : matching.reversed()
        }
        totals = store.totals(now: now, staleAfter: staleAfter)
        needsRefresh = false
    }
}
