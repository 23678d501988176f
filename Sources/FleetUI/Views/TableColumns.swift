import FleetCore

/// The columns of the fleet table and their widths for a screen width.
public struct TableColumns: Equatable, Sendable {
    public enum Column: CaseIterable, Sendable {
        case iccid, label, status, wallet, burn, eta, charged, throttle

        /// The heading, without the sort arrow.
        var heading: String {
            switch self {
            case .iccid: return "ICCID"
            case .label: return "LABEL"
            case .status: return "STATUS"
            case .wallet: return "WALLET USD"
            case .burn: return "BURN/H"
            case .eta: return "ETA $0"
            case .charged: return "CHARGED USD"
            case .throttle: return "THROTTLE"
            }
        }

        /// Money, rates and durations are right-aligned.
        var alignsRight: Bool {
            switch self {
            case .wallet, .burn, .eta, .charged: return true
            case .iccid, .label, .status, .throttle: return false
            }
        }

        /// The sort key of the column.
        var sortKey: FleetSortKey {
            switch self {
            case .iccid: return .iccid
            case .label: return .label
            case .status: return .status
            case .wallet: return .wallet
            case .burn: return .burn
            case .eta: return .eta
            case .charged: return .charged
            case .throttle: return .throttle
            }
        }

        /// The fixed width in columns; the label takes what is left. Each
        /// fits its heading and a sort arrow, and the widest value:
        /// `$123.45/h`, `unknown`, `terminated`, `100,000.00`.
        var fixedWidth: Int {
            switch self {
            case .iccid: return 20
            case .label: return 0
            case .status: return 10
            case .wallet: return 11
            case .burn: return 9
            case .eta: return 7
            case .charged: return 12
            case .throttle: return 9
            }
        }
    }

    /// The label column never gets narrower than this; optional columns are
    /// dropped first.
    public static let minimumLabelWidth = 6
    /// The optional columns, least important first, each with the label
    /// width below which it is dropped. Charged and throttle give way to a
    /// readable label; the burn rate and ETA only to the minimum one.
    static let optionalColumns: [(column: Column, labelWidth: Int)] = [
        (.charged, 14), (.throttle, 14), (.burn, minimumLabelWidth), (.eta, minimumLabelWidth),
    ]

    /// The columns shown, left to right.
    public var shown: [Column]
    public var labelWidth: Int

    /// Returns the width of `column` on screen.
    public func width(of column: Column) -> Int {
        column == .label ? labelWidth : column.fixedWidth
    }

    /// Fits the columns to `width`: the label takes what is left, and the
    /// optional columns go, least important first, while the label would get
    /// narrower than their limit (see `optionalColumns`).
    public static func fitting(width: Int) -> TableColumns {
        var shown = Column.allCases
        // A leading space, then a space between columns.
        func used(_ columns: [Column]) -> Int {
            columns.reduce(1) { $0 + $1.fixedWidth } + columns.count - 1
        }
        for (column, labelWidth) in optionalColumns where width - used(shown) < labelWidth {
            shown.removeAll { $0 == column }
        }
        return TableColumns(shown: shown, labelWidth: max(minimumLabelWidth, width - used(shown)))
    }
}
