import CitrusAPI

/// The confirmation of a large fund: the amount, the SIM, the wallet and the
/// reseller balance before and after, and the field for the ICCID's last
/// four digits.
public enum FundConfirmationView {
    static let contentWidth = 60

    public static func draw(_ confirmation: FundConfirmation, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = min(contentWidth, buffer.width - 4)
        let amount = confirmation.amount
        let errorLines = confirmation.error.map { TextLayout.wrap($0, toWidth: width) } ?? []

        var lines: [(String, CellStyle)] = []
        if let earlier = confirmation.earlierUnknownFund {
            let warning = "An earlier fund of \(earlier) to this SIM has an unknown outcome and may have been applied. Check its wallet before sending another."
            lines += TextLayout.wrap(warning, toWidth: width).map { ($0, theme.promptError) }
        }
        lines.append(("Send \(amount) to \(confirmation.iccid)?", theme.prompt))
        lines.append(("Wallet \(beforeAfter(confirmation.walletBefore, plus: amount))", theme.prompt))
        lines.append(("Reseller balance \(beforeAfter(confirmation.resellerBalanceBefore, plus: Money(cents: -amount.cents)))", theme.prompt))
        lines.append(("Last 4 digits of the ICCID: ", theme.prompt))
        lines += errorLines.map { ($0, theme.promptError) }
        lines.append(("Enter sends the fund once. Esc cancels.", theme.prompt))

        lines = ModalBox.fitting(lines, rows: ModalBox.maximumContentRows(screenHeight: buffer.height)) { $0.0.isEmpty }
        let fieldRowAfterFit = lines.firstIndex { $0.0 == "Last 4 digits of the ICCID: " } ?? 0
        let box = ModalBox.draw(
            title: "Confirm fund of \(amount)", contentWidth: width, contentRows: lines.count,
            style: theme.prompt, into: &buffer)
        for (row, (text, style)) in lines.enumerated() {
            box.put(text, row: row, style: style, into: &buffer)
        }
        let fieldColumn = DisplayWidth.of("Last 4 digits of the ICCID: ")
        let field = TextLayout.padRight(confirmation.text + "_", toWidth: FundConfirmation.maximumLength + 1)
        box.put(field, row: fieldRowAfterFit, column: fieldColumn, style: theme.promptSelection, into: &buffer)
    }

    /// "$12.50 → $4,012.50", or "unknown now" when the value before is unknown.
    static func beforeAfter(_ before: Money?, plus change: Money) -> String {
        guard let before else { return "unknown now" }
        return "\(before) → \(before + change)"
    }
}
