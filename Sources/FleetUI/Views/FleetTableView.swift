import CitrusAPI
import FleetCore
import Foundation

/// The table of SIMs: column headings with the sort arrow, one row per SIM
/// from `scrollTop`, and the selected row highlighted. Only the rows on
/// screen are read from the fleet model.
public enum FleetTableView {
    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let layout = state.layout
        let columns = TableColumns.fitting(width: layout.width)

        buffer.fill(y: layout.tableHeadingRow, style: theme.tableRow)
        drawCells(headings(columns, sort: state.fleet.sort), row: layout.tableHeadingRow, columns: columns, into: &buffer) { _ in
            theme.tableHeading
        }

        if state.fleet.count == 0 {
            buffer.put(emptyMessage(state), x: 1, y: layout.tableBodyTop, style: theme.tableRow, maxWidth: layout.width - 2)
            return
        }

        let staleAfter = state.fleet.effectiveStaleAfter
        for offset in 0..<layout.tableBodyHeight {
            let row = state.scrollTop + offset
            guard let sim = state.fleet.row(at: row) else { break }
            let y = layout.tableBodyTop + offset
            let isFaded = sim.isGone || sim.isStale(now: state.now, staleAfter: staleAfter)
            let rowStyle = isFaded ? theme.tableStale : theme.tableRow
            buffer.fill(y: y, style: rowStyle)
            drawCells(cells(for: sim, now: state.now), row: y, columns: columns, into: &buffer) { column in
                style(of: column, sim: sim, rowStyle: rowStyle, lowWallet: state.metrics.lowWalletThreshold, theme: theme)
            }
            if state.isMarked(sim.handle) {
                buffer.put(markGlyph, x: 0, y: y, style: theme.headerFilter)
            }
            if row == state.selectedRow {
                buffer.restyle(y: y, style: theme.tableSelection)
            }
        }
    }

    /// The mark in the gutter left of a marked row. The table starts in
    /// column 1, so the gutter costs no width.
    static let markGlyph = "*"

    /// Returns the line shown in place of rows when none match.
    static func emptyMessage(_ state: AppState) -> String {
        if state.fleet.totals.simCount > 0 || state.fleet.store.count > 0 {
            return "No SIM matches the filter \"\(state.fleet.query.text)\". Press Esc to clear it, or / to change it."
        }
        return state.lastSweepCompletedAt == nil ? "Loading the fleet…" : "This reseller account has no SIMs yet."
    }

    /// Returns the headings, with ▲ or ▼ on the sorted column.
    static func headings(_ columns: TableColumns, sort: TableSort) -> [TableColumns.Column: String] {
        var texts: [TableColumns.Column: String] = [:]
        for column in columns.shown {
            texts[column] = column.heading
        }
        if let key = sort.key, let sorted = columns.shown.first(where: { $0.sortKey == key }) {
            texts[sorted] = sorted.heading + (sort.ascending ? "▲" : "▼")
        }
        return texts
    }

    /// Returns the text of each cell of one SIM. API text (the label) is sanitized when drawn.
    static func cells(for sim: SIMRow, now: Date) -> [TableColumns.Column: String] {
        let noWallet = sim.groupID != nil ? "group" : "-"
        let hasWallet = sim.walletBalance != nil
        return [
            .iccid: sim.iccid,
            .label: sim.label ?? "",
            .status: sim.isGone ? "gone" : sim.status.rawValue,
            .wallet: sim.walletBalance.map(DisplayFormat.usd) ?? noWallet,
            .burn: hasWallet ? sim.metrics.burnRate.formatted : "—",
            .eta: hasWallet ? sim.metrics.etaToZero.formatted(from: now) : "—",
            .charged: sim.totalDataCharged.map(DisplayFormat.usd) ?? noWallet,
            .throttle: sim.throttleSpeed.shortName,
        ]
    }

    /// Writes the cells of one row left to right, each fitted to its column.
    private static func drawCells(
        _ texts: [TableColumns.Column: String], row y: Int, columns: TableColumns, into buffer: inout ScreenBuffer,
        style: (TableColumns.Column) -> CellStyle
    ) {
        var x = 1
        for column in columns.shown {
            let width = columns.width(of: column)
            let text = texts[column] ?? ""
            let fitted = column.alignsRight ? TextLayout.padLeft(text, toWidth: width) : TextLayout.padRight(text, toWidth: width)
            buffer.put(fitted, x: x, y: y, style: style(column), maxWidth: width)
            x += width + 1
        }
    }

    private static func style(
        of column: TableColumns.Column, sim: SIMRow, rowStyle: CellStyle, lowWallet: Money, theme: Theme
    ) -> CellStyle {
        switch column {
        case .status:
            if sim.isGone { return theme.esimGone }
            switch sim.status {
            case .suspended: return theme.esimSuspended
            case .terminated: return theme.esimTerminated
            default: return rowStyle
            }
        case .wallet:
            guard let wallet = sim.walletBalance, sim.status != .terminated else { return rowStyle }
            if wallet <= .zero { return theme.walletDepleted }
            if wallet < lowWallet { return theme.walletLow }
            return rowStyle
        default:
            return rowStyle
        }
    }
}
