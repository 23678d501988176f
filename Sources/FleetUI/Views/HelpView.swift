/// The help overlay: every key of the dashboard, grouped by where it works.
/// On a short screen the list scrolls.
public enum HelpView {
    static let contentWidth = 72
    static let keyWidth = 18

    /// One row of the help.
    enum Line: Equatable {
        case title(String)
        case key(String, String)
        case blank
    }

    static let lines: [Line] = [
        .title("The fleet table"),
        .key("↑ ↓  j k", "move the selection"),
        .key("PgUp PgDn", "move by a page"),
        .key("g G  Home End", "go to the first or last SIM"),
        .key("Enter", "open the selected SIM's detail"),
        .key("/", "filter with a query: text, status:active, wallet<5, eta<2h, burn>0.5, label:berlin, ref:EMP-*, low, depleted, stale, gone; -term negates"),
        .key("Esc", "clear the filter"),
        .key("s", "choose the sort column"),
        .key("S", "reverse the sort"),
        .key("v", "show or hide the events pane"),
        .key("e", "enable the SIM"),
        .key("d", "disable (suspend) the SIM"),
        .key("f", "fund the wallet: type dollars, Enter sends once"),
        .key("t", "set the throttle speed"),
        .key("?", "show this help"),
        .key("q", "quit"),
        .blank,
        .title("Marks and bulk actions"),
        .key("Space", "mark or unmark the selected SIM and move down"),
        .key("*", "mark every SIM the filter shows"),
        .key("U", "unmark every SIM"),
        .key("e d t", "with marks: enable, disable or throttle the marked SIMs"),
        .key("f", "with marks: 5 funds $5 to each, to 20 tops each wallet up to $20"),
        .key("", "a confirmation shows the count, amounts, total and balances first"),
        .key("Esc", "during a run: stop after the current SIM"),
        .blank,
        .title("The detail of a SIM"),
        .key("Esc q", "close the detail"),
        .key("↑ ↓  j k", "scroll"),
        .key("e d f t", "enable, disable, fund or throttle this SIM"),
        .blank,
        .title("Prompts and pickers"),
        .key("↑ ↓  j k", "choose"),
        .key("Enter", "apply"),
        .key("Esc", "cancel; nothing is sent"),
        .key("Backspace Ctrl-U", "delete a character, clear the field"),
    ]

    /// Returns the rows of the help at `width` columns, long actions wrapped.
    static func rows(width: Int, isReadOnly: Bool) -> [Line] {
        var rows: [Line] = isReadOnly ? [.title("Read-only mode: e, d, f and t are off."), .blank] : []
        for line in lines {
            guard case .key(let key, let action) = line else {
                rows.append(line)
                continue
            }
            for (index, part) in TextLayout.wrap(action, toWidth: max(1, width - keyWidth)).enumerated() {
                rows.append(.key(index == 0 ? key : "", part))
            }
        }
        return rows
    }

    /// Returns the rows of the box that show help lines; the last inner row contains the scroll hint.
    static func visibleRows(contentCount: Int, screenHeight: Int) -> Int {
        let innerHeight = min(contentCount + 1, ModalBox.maximumContentRows(screenHeight: screenHeight))
        return max(1, innerHeight - 1)
    }

    /// Returns the largest useful scroll: the rows that do not fit in the box.
    static func maximumScroll(_ state: AppState) -> Int {
        let width = min(contentWidth, state.layout.width - 4)
        let count = rows(width: width, isReadOnly: state.isReadOnly).count
        return max(0, count - visibleRows(contentCount: count, screenHeight: state.layout.height))
    }

    public static func draw(scroll: Int, state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let width = min(contentWidth, buffer.width - 4)
        let content = rows(width: width, isReadOnly: state.isReadOnly)
        let box = ModalBox.draw(
            title: "Keys", contentWidth: width, contentRows: content.count + 1, style: theme.prompt, into: &buffer)

        let visible = visibleRows(contentCount: content.count, screenHeight: buffer.height)
        let first = max(0, min(scroll, content.count - visible))
        for row in 0..<min(visible, content.count - first) {
            switch content[first + row] {
            case .title(let text):
                box.put(text, row: row, style: theme.promptSelection, into: &buffer)
            case .key(let key, let action):
                box.put(TextLayout.padRight(key, toWidth: keyWidth), row: row, style: theme.prompt, into: &buffer)
                box.put(action, row: row, column: keyWidth, style: theme.prompt, into: &buffer)
            case .blank:
                break
            }
        }
        let hint = content.count > visible
            ? "↑↓ scroll, lines \(first + 1)–\(first + visible) of \(content.count). Esc closes."
            : "Esc closes."
        box.put(hint, row: visible, style: theme.prompt, into: &buffer)
    }
}
