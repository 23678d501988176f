/// The bottom row: the keys that work in the current mode.
public enum KeyHintFooterView {
    /// Key and action pairs for the current mode.
    static func hints(for state: AppState) -> [(key: String, action: String)] {
        switch state.mode {
        case .fundPrompt:
            return [("Enter", "fund"), ("Backspace", "delete"), ("Ctrl-U", "clear"), ("Esc", "cancel")]
        case .throttlePicker:
            return [("↑↓ j/k", "choose"), ("Enter", "apply"), ("Esc", "cancel")]
        case .sortPicker:
            return [("↑↓ j/k", "choose"), ("Enter", "sort"), ("Esc", "cancel")]
        case .filterPrompt:
            return [("Enter", "apply"), ("Backspace", "delete"), ("Ctrl-U", "clear"), ("Esc", "cancel")]
        case .browsing where state.detailICCID != nil:
            if state.isReadOnly { return [("Esc q", "close"), ("↑↓ j/k", "scroll"), ("?", "help")] }
            return [("Esc q", "close"), ("↑↓ j/k", "scroll"), ("e", "enable"), ("d", "disable"), ("f", "fund"), ("t", "throttle"), ("?", "help")]
        case .browsing where state.isReadOnly:
            return [("↑↓ j/k", "move"), ("PgUp/PgDn", "page"), ("q", "quit"), ("read-only", "e d f t are off")]
        case .browsing:
            return [("↑↓ j/k", "move"), ("e", "enable"), ("d", "disable"), ("f", "fund"), ("t", "throttle"), ("q", "quit")]
        }
    }

    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let row = state.layout.footerRow
        buffer.fill(y: row, style: theme.footer)
        var x = 1
        for (key, action) in hints(for: state) {
            guard x < buffer.width else { return }
            x = buffer.put(key, x: x, y: row, style: theme.footerKey)
            x = buffer.put(" \(action)   ", x: x, y: row, style: theme.footer)
        }
    }
}
