import CitrusAPI
import FleetCore

/// The confirmation of a bulk action: the count, the action, the skipped
/// SIMs, the SIMs to send with their amounts, and for money the total and the
/// reseller balance before and after. A typed confirmation shows its field.
public enum BulkConfirmationView {
    static let contentWidth = 72

    public static func draw(_ confirmation: BulkConfirmation, state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = min(contentWidth, buffer.width - 4)
        let plan = confirmation.plan
        let top = headLines(plan, theme: theme)
        let bottom = tailLines(confirmation, width: width, theme: theme)

        let maximumRows = ModalBox.maximumContentRows(screenHeight: buffer.height)
        let listRows = max(0, min(plan.items.count, maximumRows - top.count - bottom.count))
        var lines = top + listLines(confirmation, rows: listRows, state: state, theme: theme) + bottom
        lines = ModalBox.fitting(lines, rows: maximumRows) { $0.0.isEmpty }

        let box = ModalBox.draw(
            title: "Confirm \(plan.action.title.lowercased()) of \(DisplayFormat.sims(plan.items.count))",
            contentWidth: width, contentRows: lines.count, style: theme.prompt, into: &buffer)
        for (row, (text, style)) in lines.enumerated() {
            box.put(text, row: row, style: style, into: &buffer)
        }
        if confirmation.requiresTypedConfirmation, let fieldRow = lines.firstIndex(where: { $0.0 == fieldLabel(confirmation) }) {
            let field = TextLayout.padRight(confirmation.text + "_", toWidth: BulkConfirmation.maximumLength + 1)
            box.put(field, row: fieldRow, column: DisplayWidth.of(fieldLabel(confirmation)), style: theme.promptSelection, into: &buffer)
        }
    }

    /// Returns the action line, "Top up each wallet to $20.00: 37 SIMs.", and the skipped SIMs.
    static func headLines(_ plan: BulkPlan, theme: Theme) -> [(String, CellStyle)] {
        let description = plan.action.perSIMDescription
        var lines = [(description.prefix(1).uppercased() + description.dropFirst() + ": \(DisplayFormat.sims(plan.items.count)).", theme.prompt)]
        if !plan.skipped.isEmpty {
            lines.append(("Skipped, never sent: \(DisplayFormat.count(plan.skipped.count)) (\(plan.skipSummary)).", theme.prompt))
        }
        return lines
    }

    /// Returns one line per SIM from the scroll position, and when they do
    /// not all fit, a last line with the counts above and below.
    static func listLines(_ confirmation: BulkConfirmation, rows: Int, state: AppState, theme: Theme) -> [(String, CellStyle)] {
        let items = confirmation.plan.items
        guard rows > 0 else { return [] }
        let first = max(0, min(confirmation.scroll, items.count - rows))
        let hasMore = items.count > rows
        let shown = hasMore ? rows - 1 : rows
        var lines: [(String, CellStyle)] = items[first..<first + shown].map { item in
            (itemText(item, action: confirmation.plan.action, state: state), theme.prompt)
        }
        if hasMore {
            let after = items.count - first - shown
            lines.append(("… \(first) above, \(after) below (↑↓ PgUp PgDn scroll)", theme.prompt))
        }
        return lines
    }

    /// Returns the line of one SIM: "8910300000000000012  +$16.80  wallet $3.20 → $20.00"
    /// for money, else the ICCID and the label.
    static func itemText(_ item: BulkItem, action: BulkAction, state: AppState) -> String {
        guard let amount = item.amount else {
            let label = state.fleet.row(iccid: item.iccid)?.label ?? ""
            return "\(item.iccid)  \(label)"
        }
        let wallet = item.walletBefore.map { "wallet \($0) → \($0 + amount)" } ?? "wallet unknown"
        return "\(item.iccid)  +\(amount)  \(wallet)"
    }

    /// Returns the last lines: the total, the balances, the typed field and what Enter does.
    static func tailLines(_ confirmation: BulkConfirmation, width: Int, theme: Theme) -> [(String, CellStyle)] {
        let plan = confirmation.plan
        var lines: [(String, CellStyle)] = [("", theme.prompt)]
        if plan.action.movesMoney {
            lines.append(("Total \(plan.total) for \(DisplayFormat.sims(plan.items.count))", theme.promptSelection))
            let before = plan.resellerBalanceBefore.map { "\($0)" } ?? "unknown"
            let after = plan.resellerBalanceAfter.map { "\($0)" } ?? "unknown"
            lines.append(("Reseller balance \(before) → \(after)", theme.prompt))
            if let balance = plan.resellerBalanceBefore, plan.total > balance {
                let warning = "The total is above the reseller balance: funds fail with INSUFFICIENT_BALANCE once it runs out."
                lines += TextLayout.wrap(warning, toWidth: width).map { ($0, theme.promptError) }
            }
        }
        if confirmation.requiresTypedConfirmation {
            lines.append((fieldLabel(confirmation), theme.prompt))
        }
        if let error = confirmation.error {
            lines += TextLayout.wrap(error, toWidth: width).map { ($0, theme.promptError) }
        }
        lines.append(("Enter sends each SIM once, one at a time. Esc cancels.", theme.prompt))
        return lines
    }

    static func fieldLabel(_ confirmation: BulkConfirmation) -> String {
        "Type \(confirmation.expectedText), the number of SIMs: "
    }
}
