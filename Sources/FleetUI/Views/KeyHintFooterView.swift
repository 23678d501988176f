/// The bottom row: the keys that work in the current mode. When the row is
/// too narrow for all of them, the least important hints are left out, and
/// `?` (help) and `q` (quit) stay.
public enum KeyHintFooterView {
    /// One key and what it does. A lower `priority` number is kept first.
    struct Hint: Equatable {
        var key: String
        var action: String
        var priority: Int

        init(_ key: String, _ action: String, _ priority: Int) {
            self.key = key
            self.action = action
            self.priority = priority
        }

        /// Columns taken on the row, with the three spaces after it.
        var width: Int { DisplayWidth.of(key) + 1 + DisplayWidth.of(action) + 3 }
    }

    /// Returns the hints for the current mode, in display order.
    static func hints(for state: AppState) -> [Hint] {
        switch state.mode {
        case .fundPrompt:
            return [Hint("Enter", "fund", 0), Hint("Backspace", "delete", 1), Hint("Ctrl-U", "clear", 1), Hint("Esc", "cancel", 0)]
        case .fundConfirmation:
            return [Hint("last 4 digits, Enter", "send", 0), Hint("Backspace", "delete", 1), Hint("Esc", "cancel", 0)]
        case .throttlePicker:
            return [Hint("↑↓ j/k", "choose", 1), Hint("Enter", "apply", 0), Hint("Esc", "cancel", 0)]
        case .sortPicker:
            return [Hint("↑↓ j/k", "choose", 1), Hint("Enter", "sort", 0), Hint("Esc", "cancel", 0)]
        case .filterPrompt:
            return [Hint("Enter", "apply", 0), Hint("Backspace", "delete", 1), Hint("Ctrl-U", "clear", 1), Hint("Esc", "cancel", 0)]
        case .help:
            return [Hint("↑↓ j/k", "scroll", 1), Hint("Esc ? q", "close", 0)]
        case .bulkFundPrompt:
            return [Hint("Enter", "show the total", 0), Hint("Backspace", "delete", 1), Hint("Ctrl-U", "clear", 1), Hint("Esc", "cancel", 0)]
        case .bulkConfirmation(let confirmation) where confirmation.requiresTypedConfirmation:
            return [Hint("\(confirmation.expectedText), Enter", "start", 0), Hint("↑↓ PgUp PgDn", "scroll", 2), Hint("Esc", "cancel", 0)]
        case .bulkConfirmation:
            return [Hint("Enter", "start", 0), Hint("↑↓ PgUp PgDn", "scroll", 2), Hint("Esc", "cancel", 0)]
        case .bulkSummary:
            return [Hint("↑↓ j/k", "scroll", 1), Hint("Esc Enter", "close", 0)]
        case .browsing where state.detailICCID != nil:
            var hints = [Hint("Esc q", "close", 0), Hint("↑↓ j/k", "scroll", 2)]
            if !state.isReadOnly {
                hints += [Hint("e", "enable", 4), Hint("d", "disable", 4), Hint("f", "fund", 3), Hint("t", "throttle", 4)]
            }
            return hints + [Hint("?", "help", 0)]
        case .browsing where state.bulkRun != nil:
            return [Hint("Esc", "stop after the current SIM", 0), Hint("↑↓ j/k", "move", 1), Hint("Space", "mark", 3),
                    Hint("v", "events", 4), Hint("?", "help", 0), Hint("q", "quit", 0)]
        case .browsing where !state.marked.isEmpty:
            var hints = [Hint(state.markCounts.text, "", 0), Hint("Space", "mark", 1), Hint("*", "mark shown", 3), Hint("U", "unmark all", 2)]
            if state.isReadOnly {
                hints.append(Hint("read-only", "e d f t are off", 2))
            } else {
                hints.append(Hint("e d f t", "act on the marked", 1))
            }
            return hints + [Hint("/", "filter", 4), Hint("?", "help", 0), Hint("q", "quit", 0)]
        case .browsing:
            var hints = [Hint("↑↓ j/k", "move", 1), Hint("Enter", "detail", 2), Hint("/", "filter", 2), Hint("s", "sort", 3)]
            if state.isReadOnly {
                hints.append(Hint("read-only", "e d f t are off", 2))
            } else {
                hints += [Hint("f", "fund", 4), Hint("e", "enable", 5), Hint("d", "disable", 5), Hint("t", "throttle", 5)]
            }
            return hints + [Hint("Space", "mark", 6), Hint("v", "events", 6), Hint("?", "help", 0), Hint("q", "quit", 0)]
        }
    }

    /// Keeps the hints that fit in `width` columns, most important first, in display order.
    static func fitted(_ hints: [Hint], width: Int) -> [Hint] {
        var kept = Set<Int>()
        var used = 0
        for (index, hint) in hints.enumerated().sorted(by: { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }) {
            guard used + hint.width <= width else { continue }
            kept.insert(index)
            used += hint.width
        }
        return hints.indices.filter(kept.contains).map { hints[$0] }
    }

    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let row = state.layout.footerRow
        buffer.fill(y: row, style: theme.footer)
        var x = 1
        // The last hint's three trailing spaces may fall off the right edge.
        for hint in fitted(hints(for: state), width: buffer.width + 2) {
            x = buffer.put(hint.key, x: x, y: row, style: theme.footerKey)
            x = buffer.put(" \(hint.action)   ", x: x, y: row, style: theme.footer)
        }
    }
}
