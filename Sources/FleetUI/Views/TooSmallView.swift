/// The whole screen when the terminal is below `ScreenLayout`'s minimum.
public enum TooSmallView {
    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let layout = state.layout
        let message = "Terminal too small: \(layout.width)×\(layout.height). "
            + "citrus-fleet needs at least \(ScreenLayout.minimumWidth)×\(ScreenLayout.minimumHeight). "
            + "Enlarge the window, or press q to quit."
        let lines = TextLayout.wrap(message, toWidth: max(1, buffer.width - 2))
        let top = max(0, (buffer.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            buffer.put(line, x: 1, y: top + offset, style: theme.statusError)
        }
    }
}
