/// The rows of each part of the dashboard on a screen of a given size.
///
/// Rows from the top: the header, the column headings, the table body, then
/// the status line and the key-hint footer at the bottom.
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
    public var tableHeadingRow: Int { 1 }
    public var tableBodyTop: Int { 2 }
    /// Rows available for SIMs.
    public var tableBodyHeight: Int { max(0, height - 4) }
    public var statusRow: Int { height - 2 }
    public var footerRow: Int { height - 1 }
}
