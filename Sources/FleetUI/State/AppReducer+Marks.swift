import CitrusAPI
import FleetCore
import Foundation

/// Marks on the fleet table: Space marks or unmarks the selected SIM, `*`
/// marks every SIM the filter shows, `U` clears every mark.
extension AppState {
    /// Marks or unmarks the selected SIM and moves the selection down, so
    /// repeated presses mark a run of rows. Space tags and U untags all in
    /// htop(1) too.
    mutating func toggleMarkOnSelection() {
        guard let sim = selectedSIM else {
            status = StatusMessage("No SIM to mark: the fleet is empty or still loading.", kind: .error)
            return
        }
        if marked.remove(sim.handle) == nil { marked.insert(sim.handle) }
        refreshMarkCounts()
        moveSelection(to: selectedRow + 1)
    }

    /// Marks every SIM the current filter shows, keeping the marks of hidden SIMs.
    mutating func markAllShown() {
        guard fleet.count > 0 else {
            status = StatusMessage("No SIM to mark: no SIM matches the filter.", kind: .error)
            return
        }
        marked.formUnion(fleet.visible)
        refreshMarkCounts()
        status = StatusMessage("Marked \(DisplayFormat.sims(fleet.count)) shown; \(markCounts.text).", kind: .info)
    }

    mutating func clearMarks() {
        guard !marked.isEmpty else { return }
        let count = marked.count
        marked.removeAll()
        refreshMarkCounts()
        status = StatusMessage("Unmarked \(DisplayFormat.sims(count)).", kind: .info)
    }

    /// Returns whether the SIM at `handle` is marked.
    public func isMarked(_ handle: SIMHandle) -> Bool {
        marked.contains(handle)
    }

    /// Counts the marked SIMs that are gone or hidden by the filter. Costs a
    /// pass over the shown rows and, when any SIM is gone, a pass over the
    /// fleet's flags, so it runs only when marks or the order change.
    mutating func refreshMarkCounts() {
        guard !marked.isEmpty else {
            markCounts = MarkCounts()
            return
        }
        let gone = goneHandles()
        var shownLive = 0
        for handle in fleet.visible where marked.contains(handle) && !gone.contains(handle) {
            shownLive += 1
        }
        let markedGone = gone.count < marked.count
            ? gone.filter(marked.contains).count
            : marked.filter(gone.contains).count
        markCounts = MarkCounts(total: marked.count, hiddenByFilter: marked.count - shownLive - markedGone, gone: markedGone)
    }

    /// Returns the handles of the gone SIMs, or none without reading the
    /// store when the totals count no gone SIM.
    private func goneHandles() -> Set<SIMHandle> {
        guard fleet.totals.goneCount > 0 else { return [] }
        guard let query = Self.goneQuery else {
            return Set(marked.filter { fleet.store.row($0).isGone })
        }
        return Set(fleet.store.select(query, now: now, staleAfter: fleet.effectiveStaleAfter))
    }

    /// The filter that selects gone SIMs, the same one the `/` prompt parses.
    private static let goneQuery = try? FleetQuery.parse("gone")

    /// Returns the marked SIMs as rows: the shown ones in the table's order,
    /// then the hidden ones in the order first seen.
    func markedRows() -> [SIMRow] {
        var rows: [SIMRow] = []
        rows.reserveCapacity(marked.count)
        var remaining = marked
        for handle in fleet.visible where remaining.remove(handle) != nil {
            rows.append(fleet.store.row(handle))
        }
        for handle in remaining.sorted() {
            rows.append(fleet.store.row(handle))
        }
        return rows
    }
}
