/// The rows of each part of the dashboard on a screen of a given size.
///
/// Rows from the top: the header (title, fleet totals, the view's filter and
/// sort), the column headings, the table body, then the status line and the
/// key-hint footer at the bottom.
public struct ScreenLayout: Equatable, Sendable {
    /// The smallest screen the dashboard draws on; below it, a message asks
    /// for a larger terminal.
    public static let minimumWidth = 60
    public static let minimumHeight = 10

    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
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
    /// Rows available for SIMs.
    public var tableBodyHeight: Int { max(0, height - 6) }
    public var statusRow: Int { height - 2 }
    public var footerRow: Int { height - 1 }
}
