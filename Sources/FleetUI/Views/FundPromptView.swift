/// The fund prompt: which SIM, its wallet and the reseller balance, the amount
/// typed so far, and why the last amount was rejected.
public enum FundPromptView {
    static let contentWidth = 60

    public static func draw(_ prompt: FundPrompt, state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let esim = state.fleet.row(iccid: prompt.iccid)
        let width = min(contentWidth, buffer.width - 4)
        let errorLines = prompt.error.map { TextLayout.wrap($0, toWidth: width) } ?? []

        var lines: [(String, CellStyle)] = []
        if let label = esim?.label, !label.isEmpty {
            lines.append(("Label: \(label)", theme.prompt))
        }
        let wallet = esim?.walletBalance.map { "\($0)" } ?? "unknown"
        let balance = state.resellerBalance.map { "\($0)" } ?? "unknown"
        lines.append(("Wallet \(wallet)   Reseller balance \(balance)", theme.prompt))
        lines.append(("", theme.prompt))
        lines.append(("Amount in USD: ", theme.prompt))
        lines += errorLines.map { ($0, theme.promptError) }
        lines.append(("", theme.prompt))
        lines.append(("Enter sends the fund once. Esc cancels.", theme.prompt))

        lines = ModalBox.fitting(lines, rows: ModalBox.maximumContentRows(screenHeight: buffer.height)) { $0.0.isEmpty }
        let fieldRowAfterFit = lines.firstIndex { $0.0 == "Amount in USD: " } ?? 0
        let box = ModalBox.draw(
            title: "Fund \(prompt.iccid)", contentWidth: width, contentRows: lines.count,
            style: theme.prompt, into: &buffer)
        for (row, (text, style)) in lines.enumerated() {
            box.put(text, row: row, style: style, into: &buffer)
        }

        let fieldColumn = DisplayWidth.of("Amount in USD: ")
        let fieldWidth = FundPrompt.maximumLength + 1
        let field = TextLayout.padRight(prompt.text + "_", toWidth: fieldWidth)
        box.put(field, row: fieldRowAfterFit, column: fieldColumn, style: theme.promptSelection, into: &buffer)
    }
}
