import CitrusAPI
import FleetCore

/// The summary of a bulk run: the counts, the unknown fund that stopped it,
/// the failed SIMs with their Citrus error codes, and the skipped SIMs.
public enum BulkSummaryView {
    static let contentWidth = 72

    public static func draw(_ summary: BulkSummary, scroll: Int, state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = min(contentWidth, buffer.width - 4)
        let content = lines(summary, width: width, theme: theme)
        let verb = summary.isComplete ? "finished" : "stopped"
        let box = ModalBox.draw(
            title: "\(summary.action.title) \(verb)", contentWidth: width, contentRows: content.count + 1,
            style: theme.prompt, into: &buffer)

        let visible = visibleRows(contentCount: content.count, screenHeight: buffer.height)
        let first = max(0, min(scroll, content.count - visible))
        for row in 0..<min(visible, content.count - first) {
            let (text, style) = content[first + row]
            box.put(text, row: row, style: style, into: &buffer)
        }
        let hint = content.count > visible
            ? "↑↓ scroll, lines \(first + 1)–\(first + visible) of \(content.count). Esc closes."
            : "Esc or Enter closes."
        box.put(hint, row: visible, style: theme.prompt, into: &buffer)
    }

    /// Returns the rows of the box that show summary lines; the last inner row contains the hint.
    static func visibleRows(contentCount: Int, screenHeight: Int) -> Int {
        let innerHeight = min(contentCount + 1, ModalBox.maximumContentRows(screenHeight: screenHeight))
        return max(1, innerHeight - 1)
    }

    /// Returns the largest useful scroll: the lines that do not fit in the box.
    static func maximumScroll(_ summary: BulkSummary, state: AppState) -> Int {
        let width = min(contentWidth, state.layout.width - 4)
        let count = lines(summary, width: width, theme: .builtIn).count
        return max(0, count - visibleRows(contentCount: count, screenHeight: state.layout.height))
    }

    /// Returns the summary's lines, long ones wrapped to `width`.
    static func lines(_ summary: BulkSummary, width: Int, theme: Theme) -> [(String, CellStyle)] {
        var lines: [(String, CellStyle)] = []
        func add(_ text: String, _ style: CellStyle) {
            lines += TextLayout.wrap(text, toWidth: max(1, width)).map { ($0, style) }
        }

        var counts = "Done \(summary.succeeded.count)   Skipped \(summary.skipped.count)   Failed \(summary.failed.count)"
        if summary.unknown != nil { counts += "   Unknown 1" }
        if summary.notAttemptedCount > 0 { counts += "   Not attempted \(summary.notAttemptedCount)" }
        lines.append((counts, theme.promptSelection))
        if summary.action.movesMoney {
            add("Funded \(summary.fundedTotal) in total.", theme.prompt)
        }
        if let balance = summary.resellerBalanceAfter {
            add("Reseller balance now \(balance).", theme.prompt)
        }
        if let unknown = summary.unknown {
            lines.append(("", theme.prompt))
            add(unknown.message, theme.promptError)
            add("The run stopped at this SIM: \(DisplayFormat.sims(summary.notAttemptedCount)) not attempted.", theme.promptError)
        } else if let unreachable = summary.stoppedUnreachable {
            lines.append(("", theme.prompt))
            add("Citrus could not be reached (\(unreachable.reason ?? unreachable.message)), so the run stopped: "
                + "\(DisplayFormat.sims(summary.notAttemptedCount)) not attempted. Check the connection, then run it again.",
                theme.promptError)
        } else if summary.stoppedByOperator && summary.notAttemptedCount > 0 {
            add("Stopped with Esc: \(DisplayFormat.sims(summary.notAttemptedCount)) not attempted.", theme.prompt)
        }
        if !summary.failed.isEmpty {
            lines.append(("", theme.prompt))
            lines.append(("Failed:", theme.prompt))
            for failure in summary.failed {
                // The cause wraps under itself, so the ICCIDs stay in one column.
                let prefix = "\(failure.iccid)  "
                let cause = failure.errorCode ?? failure.reason ?? failure.message
                let indent = DisplayWidth.of(prefix)
                for (index, part) in TextLayout.wrap(cause, toWidth: max(1, width - indent)).enumerated() {
                    lines.append(((index == 0 ? prefix : String(repeating: " ", count: indent)) + part, theme.promptError))
                }
            }
        }
        if !summary.skipped.isEmpty {
            lines.append(("", theme.prompt))
            let counts = Dictionary(grouping: summary.skipped, by: \.reason).mapValues(\.count)
            let text = counts.keys.sorted().map { "\(counts[$0] ?? 0) \($0.text)" }.joined(separator: ", ")
            add("Skipped, never sent: \(text).", theme.prompt)
        }
        return lines
    }
}
