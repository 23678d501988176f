/// The filter prompt: the query being typed, the parse error of the last
/// Enter, and a summary of the query language.
public enum FilterPromptView {
    static let contentWidth = 70

    static let help = "Every term must match: free text, status:active, wallet<5, eta<2h, burn>0.5, "
        + "label:berlin, ref:EMP-*, group:, iccid:, throttle:limited, low, depleted, stale, gone. "
        + "A leading - negates a term; quotes group words, as in label:\"new york\"."

    public static func draw(_ prompt: FilterPrompt, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = min(contentWidth, buffer.width - 4)
        var lines: [(String, CellStyle)] = [("", theme.prompt)]
        lines += (prompt.error.map { TextLayout.wrap($0, toWidth: width) } ?? []).map { ($0, theme.promptError) }
        lines.append(("", theme.prompt))
        lines += TextLayout.wrap(help, toWidth: width).map { ($0, theme.prompt) }
        lines.append(("", theme.prompt))
        lines.append(("Enter applies the filter. Esc cancels. Ctrl-U clears the field.", theme.prompt))
        lines = ModalBox.fitting(lines, rows: ModalBox.maximumContentRows(screenHeight: buffer.height)) { $0.0.isEmpty }

        let box = ModalBox.draw(title: "Filter", contentWidth: width, contentRows: lines.count, style: theme.prompt, into: &buffer)
        for (row, (text, style)) in lines.enumerated() {
            box.put(text, row: row, style: style, into: &buffer)
        }

        let label = "Query: "
        box.put(label, row: 0, style: theme.prompt, into: &buffer)
        let fieldWidth = max(1, box.innerWidth - DisplayWidth.of(label))
        let field = TextLayout.padRight(tail(of: prompt.text + "_", width: fieldWidth), toWidth: fieldWidth)
        box.put(field, row: 0, column: DisplayWidth.of(label), style: theme.promptSelection, into: &buffer)
    }

    /// Returns the end of `text` that fits in `width` columns, so the cursor
    /// stays in view while a long query is typed.
    static func tail(of text: String, width: Int) -> String {
        let sanitized = TerminalSanitizer.sanitize(text)
        var result = ""
        var used = 0
        for grapheme in sanitized.reversed() {
            let graphemeWidth = DisplayWidth.of(grapheme)
            if used + graphemeWidth > width { break }
            result.insert(grapheme, at: result.startIndex)
            used += graphemeWidth
        }
        return result
    }
}
