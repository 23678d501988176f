import CitrusAPI
import FleetCore
import Foundation

/// Marks on the fleet table: Space marks or unmarks the selected SIM, `*`
/// marks every SIM the filter shows, `U` clears every mark.
extension AppState {
    /// Marks or unmarks the selected SIM and moves the selection down, as
    /// Space does in htop and k9s.
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
    /// pass over the shown rows, so it runs only when marks or the order change.
    mutating func refreshMarkCounts() {
        guard !marked.isEmpty else {
            markCounts = MarkCounts()
            return
        }
        var shownLive = 0
        for handle in fleet.visible where marked.contains(handle) && !fleet.store.row(handle).isGone {
            shownLive += 1
        }
        let gone = marked.filter { fleet.store.row($0).isGone }.count
        markCounts = MarkCounts(total: marked.count, hiddenByFilter: marked.count - shownLive - gone, gone: gone)
    }

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
