/// The styles of every part of the dashboard. Each property has a built-in
/// default; a theme file overrides some of them by key (see `ThemeFile`).
public struct Theme: Equatable, Sendable {
    /// The header row: product name, balance, sweep age.
    public var header = CellStyle(foreground: .white, background: .blue, bold: true)
    /// The DEMO badge shown while the dashboard talks to the built-in simulator.
    public var demoBadge = CellStyle(foreground: .black, background: .yellow, bold: true)
    /// A refresh failure shown in the header.
    public var headerError = CellStyle(foreground: .white, background: .red, bold: true)
    /// The header's totals row and view row.
    public var headerTotals = CellStyle.plain
    /// The active filter in the header's view row.
    public var headerFilter = CellStyle(foreground: .cyan, bold: true)
    /// The row of column headings above the table.
    public var tableHeading = CellStyle(bold: true, underline: true)
    /// An ordinary table row.
    public var tableRow = CellStyle.plain
    /// The selected table row.
    public var tableSelection = CellStyle(reverse: true)
    /// A row not seen for longer than the stale threshold, or gone.
    public var tableStale = CellStyle(dim: true)
    /// The status cell of a suspended SIM.
    public var esimSuspended = CellStyle(foreground: .yellow)
    /// The status cell of a terminated SIM.
    public var esimTerminated = CellStyle(dim: true)
    /// The status cell of a SIM missing from a complete sweep.
    public var esimGone = CellStyle(foreground: .red, dim: true)
    /// A wallet below the low mark ($5 unless the configuration sets another).
    public var walletLow = CellStyle(foreground: .yellow, bold: true)
    /// A wallet at $0, which Citrus cuts off.
    public var walletDepleted = CellStyle(foreground: .red, bold: true)
    /// The field names of the detail view.
    public var detailLabel = CellStyle(bold: true)
    /// The title row of the events pane.
    public var eventsHeading = CellStyle(bold: true, reverse: true)
    /// The status line after an action that succeeded.
    public var statusOK = CellStyle(foreground: .green)
    /// The status line after an action that failed.
    public var statusError = CellStyle(foreground: .red, bold: true)
    /// The status line for an outcome that needs the operator's attention,
    /// such as a fund whose response was lost.
    public var statusWarning = CellStyle(foreground: .yellow, bold: true)
    /// The status line for progress and neutral notes.
    public var statusInfo = CellStyle.plain
    /// The key-hint footer.
    public var footer = CellStyle(dim: true)
    /// Key names inside the footer.
    public var footerKey = CellStyle(bold: true)
    /// The box of a prompt or picker.
    public var prompt = CellStyle(foreground: .white, background: .blue)
    /// An error inside a prompt.
    public var promptError = CellStyle(foreground: .yellow, background: .blue, bold: true)
    /// The highlighted choice in a picker, and the input field of a prompt.
    public var promptSelection = CellStyle(foreground: .black, background: .white)

    public init() {}

    /// The built-in theme; `themes/default.theme` contains the same values.
    public static let builtIn = Theme()

    /// Every themable style by its key in a theme file.
    static let keyPaths: [(key: String, path: WritableKeyPath<Theme, CellStyle> & Sendable)] = [
        ("header", \.header),
        ("header.demo_badge", \.demoBadge),
        ("header.error", \.headerError),
        ("header.totals", \.headerTotals),
        ("header.filter", \.headerFilter),
        ("table.heading", \.tableHeading),
        ("table.row", \.tableRow),
        ("table.selection", \.tableSelection),
        ("table.stale", \.tableStale),
        ("esim.suspended", \.esimSuspended),
        ("esim.terminated", \.esimTerminated),
        ("esim.gone", \.esimGone),
        ("wallet.low", \.walletLow),
        ("wallet.depleted", \.walletDepleted),
        ("detail.label", \.detailLabel),
        ("events.heading", \.eventsHeading),
        ("status.ok", \.statusOK),
        ("status.error", \.statusError),
        ("status.warning", \.statusWarning),
        ("status.info", \.statusInfo),
        ("footer", \.footer),
        ("footer.key", \.footerKey),
        ("prompt", \.prompt),
        ("prompt.error", \.promptError),
        ("prompt.selection", \.promptSelection),
    ]
}
