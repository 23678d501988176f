import CitrusAPI
import FleetCore

/// The columns of the fleet table and their widths for a screen width.
public struct TableColumns: Equatable, Sendable {
    public static let iccidWidth = 20
    public static let statusWidth = 10
    public static let walletWidth = 10
    public static let chargedWidth = 11
    public static let throttleWidth = 8
    /// The label column never gets narrower than this; optional columns are
    /// dropped first.
    public static let minimumLabelWidth = 6

    public var labelWidth: Int
    public var showsCharged: Bool
    public var showsThrottle: Bool

    /// Fits the columns to `width`: the label takes what is left, and the
    /// charged and throttle columns go, in that order, when it would get
    /// narrower than `minimumLabelWidth`.
    public static func fitting(width: Int) -> TableColumns {
        // A leading space, then a space before every column after the ICCID.
        let fixed = 1 + iccidWidth + 1 + 1 + statusWidth + 1 + walletWidth
        var columns = TableColumns(labelWidth: 0, showsCharged: true, showsThrottle: true)
        var used = fixed + 1 + chargedWidth + 1 + throttleWidth
        if width - used < minimumLabelWidth {
            columns.showsCharged = false
            used -= 1 + chargedWidth
        }
        if width - used < minimumLabelWidth {
            columns.showsThrottle = false
            used -= 1 + throttleWidth
        }
        columns.labelWidth = max(minimumLabelWidth, width - used)
        return columns
    }
}

/// The table of SIMs: column headings, one row per SIM from `scrollTop`,
/// and the selected row highlighted.
public enum FleetTableView {
    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let layout = state.layout
        let columns = TableColumns.fitting(width: layout.width)

        buffer.fill(y: layout.tableHeadingRow, style: theme.tableRow)
        drawCells(headingCells, row: layout.tableHeadingRow, columns: columns, into: &buffer) { _ in theme.tableHeading }

        if state.fleet.count == 0 {
            let message = state.lastSweepCompletedAt == nil
                ? "Loading the fleet…"
                : "This reseller account has no SIMs yet."
            buffer.put(message, x: 1, y: layout.tableBodyTop, style: theme.tableRow)
            return
        }

        for offset in 0..<layout.tableBodyHeight {
            let row = state.scrollTop + offset
            guard let sim = state.fleet.row(at: row) else { break }
            let y = layout.tableBodyTop + offset
            buffer.fill(y: y, style: theme.tableRow)
            drawCells(cells(for: sim, columns: columns), row: y, columns: columns, into: &buffer) { column in
                style(of: column, sim: sim, lowWallet: state.metrics.lowWalletThreshold, theme: theme)
            }
            if row == state.selectedRow {
                buffer.restyle(y: y, style: theme.tableSelection)
            }
        }
    }

    enum Column {
        case iccid, label, status, wallet, charged, throttle
    }

    private static let headingCells: [Column: String] = [
        .iccid: "ICCID", .label: "LABEL", .status: "STATUS", .wallet: "WALLET USD",
        .charged: "CHARGED USD", .throttle: "THROTTLE",
    ]

    private static func cells(for esim: SIMRow, columns: TableColumns) -> [Column: String] {
        let noWallet = esim.groupID != nil ? "group" : "-"
        return [
            .iccid: esim.iccid,
            .label: esim.label ?? "",
            .status: esim.status.rawValue,
            .wallet: esim.walletBalance.map(DisplayFormat.usd) ?? noWallet,
            .charged: esim.totalDataCharged.map(DisplayFormat.usd) ?? noWallet,
            .throttle: esim.throttleSpeed.shortName,
        ]
    }

    /// Writes the cells of one row left to right. Money columns are right-aligned.
    private static func drawCells(
        _ texts: [Column: String], row y: Int, columns: TableColumns, into buffer: inout ScreenBuffer,
        style: (Column) -> CellStyle
    ) {
        var layout: [(Column, Int, Bool)] = [
            (.iccid, TableColumns.iccidWidth, false),
            (.label, columns.labelWidth, false),
            (.status, TableColumns.statusWidth, false),
            (.wallet, TableColumns.walletWidth, true),
        ]
        if columns.showsCharged { layout.append((.charged, TableColumns.chargedWidth, true)) }
        if columns.showsThrottle { layout.append((.throttle, TableColumns.throttleWidth, false)) }

        var x = 1
        for (column, width, alignsRight) in layout {
            let text = texts[column] ?? ""
            let fitted = alignsRight ? TextLayout.padLeft(text, toWidth: width) : TextLayout.padRight(text, toWidth: width)
            buffer.put(fitted, x: x, y: y, style: style(column), maxWidth: width)
            x += width + 1
        }
    }

    private static func style(of column: Column, sim esim: SIMRow, lowWallet: Money, theme: Theme) -> CellStyle {
        switch column {
        case .status:
            switch esim.status {
            case .suspended: return theme.esimSuspended
            case .terminated: return theme.esimTerminated
            default: return theme.tableRow
            }
        case .wallet:
            guard let wallet = esim.walletBalance else { return theme.tableRow }
            if wallet <= .zero { return theme.walletDepleted }
            if wallet < lowWallet { return theme.walletLow }
            return theme.tableRow
        default:
            return theme.tableRow
        }
    }
}
