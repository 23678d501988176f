/// The bulk fund prompt: how many SIMs are marked, the reseller balance, and
/// the amount per SIM or the top-up target typed so far.
public enum BulkFundPromptView {
    static let contentWidth = 64
    static let fieldLabel = "Amount or target: "

    public static func draw(_ prompt: BulkFundPrompt, state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = min(contentWidth, buffer.width - 4)
        let errorLines = prompt.error.map { TextLayout.wrap($0, toWidth: width) } ?? []
        let balance = state.resellerBalance.map { "\($0)" } ?? "unknown"

        var lines: [(String, CellStyle)] = []
        lines.append(("Reseller balance \(balance)", theme.prompt))
        lines.append(("Type 5 to fund $5 to each SIM, or to 20 to top each", theme.prompt))
        lines.append(("wallet up to $20.", theme.prompt))
        lines.append(("", theme.prompt))
        lines.append((fieldLabel, theme.prompt))
        lines += errorLines.map { ($0, theme.promptError) }
        lines.append(("", theme.prompt))
        lines.append(("Enter shows the total before anything is sent. Esc cancels.", theme.prompt))

        lines = ModalBox.fitting(lines, rows: ModalBox.maximumContentRows(screenHeight: buffer.height)) { $0.0.isEmpty }
        let fieldRow = lines.firstIndex { $0.0 == fieldLabel } ?? 0
        let box = ModalBox.draw(
            title: "Fund \(DisplayFormat.count(prompt.markedCount)) marked", contentWidth: width,
            contentRows: lines.count, style: theme.prompt, into: &buffer)
        for (row, (text, style)) in lines.enumerated() {
            box.put(text, row: row, style: style, into: &buffer)
        }
        let field = TextLayout.padRight(prompt.text + "_", toWidth: BulkFundPrompt.maximumLength + 1)
        box.put(field, row: fieldRow, column: DisplayWidth.of(fieldLabel), style: theme.promptSelection, into: &buffer)
    }
}
