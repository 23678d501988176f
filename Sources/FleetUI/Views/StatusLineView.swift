/// The line above the footer: the last action's result or error in plain words.
public enum StatusLineView {
    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let row = state.layout.statusRow
        buffer.fill(y: row, style: theme.statusInfo)
        guard let status = state.status else { return }

        let style: CellStyle
        switch status.kind {
        case .info: style = theme.statusInfo
        case .success: style = theme.statusOK
        case .warning: style = theme.statusWarning
        case .error: style = theme.statusError
        }
        let text = TextLayout.truncate(status.text, toWidth: buffer.width - 2)
        buffer.put(text, x: 1, y: row, style: style)
    }
}
