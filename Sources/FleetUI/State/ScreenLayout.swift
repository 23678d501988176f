/// The rows of each part of the dashboard on a screen of a given size.
///
/// Rows from the top: the header (title, fleet totals, the view's filter and
/// sort), the column headings, the table body, the events pane when it is
/// open, then the status line and the key-hint footer at the bottom.
public struct ScreenLayout: Equatable, Sendable {
    /// The smallest screen the dashboard draws on. Below it, a message requests
    /// a larger terminal.
    public static let minimumWidth = 60
    public static let minimumHeight = 10

    public var width: Int
    public var height: Int
    /// Whether the events pane takes the bottom part of the body.
    public var showsEvents: Bool

    public init(width: Int, height: Int, showsEvents: Bool = false) {
        self.width = width
        self.height = height
        self.showsEvents = showsEvents
    }

    public var isTooSmall: Bool {
        width < Self.minimumWidth || height < Self.minimumHeight
    }

    public var headerRow: Int { 0 }
    /// The fleet totals under the title.
    public var totalsRow: Int { 1 }
    /// The rows shown, the filter and the sort.
    public var viewRow: Int { 2 }
    public var tableHeadingRow: Int { 3 }
    public var tableBodyTop: Int { 4 }
    /// Rows between the column headings and the status line.
    private var bodyHeight: Int { max(0, height - 6) }
    /// Rows available for SIMs.
    public var tableBodyHeight: Int { bodyHeight - eventsPaneHeight }
    /// Rows of the events pane, its title row included: a third of the
    /// body, at least 3, and 0 when the pane is closed. The table keeps at
    /// least one row.
    public var eventsPaneHeight: Int {
        guard showsEvents else { return 0 }
        return max(0, min(bodyHeight - 1, max(3, bodyHeight / 3)))
    }
    /// The title row of the events pane.
    public var eventsPaneTop: Int { tableBodyTop + tableBodyHeight }
    public var statusRow: Int { height - 2 }
    public var footerRow: Int { height - 1 }
}
