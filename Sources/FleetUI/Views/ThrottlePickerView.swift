import CitrusAPI

/// The throttle speed picker: every speed Citrus accepts, the highlighted
/// one in the selection style, the SIM's current speed marked. On a short
/// screen the list scrolls to keep the highlighted speed in view.
public enum ThrottlePickerView {
    static let contentWidth = 40

    public static func draw(_ picker: ThrottlePicker, theme: Theme, into buffer: inout ScreenBuffer) {
        let speeds = ThrottleSpeed.allCases
        let width = min(contentWidth, buffer.width - 4)
        let box = ModalBox.draw(
            title: title(picker), contentWidth: width, contentRows: speeds.count + 2,
            style: theme.prompt, into: &buffer)

        let listRows = max(1, box.innerHeight - 2)
        let first = max(0, min(picker.highlighted - listRows / 2, speeds.count - listRows))
        for row in 0..<min(listRows, speeds.count) {
            let index = first + row
            let speed = speeds[index]
            let marker = speed == picker.current && picker.markedCount == nil ? "  (current)" : ""
            let text = TextLayout.padRight(" \(ThrottleSpeed.label(speed))\(marker)", toWidth: box.innerWidth)
            let style = index == picker.highlighted ? theme.promptSelection : theme.prompt
            box.put(text, row: row, style: style, into: &buffer)
        }
        box.put("Enter applies. Esc cancels.", row: min(listRows, speeds.count) + 1, style: theme.prompt, into: &buffer)
    }

    /// Returns the title: "Throttle 8910…", or "Throttle 12 marked" for a bulk throttle.
    static func title(_ picker: ThrottlePicker) -> String {
        guard let count = picker.markedCount else { return "Throttle \(picker.iccid)" }
        return "Throttle \(DisplayFormat.count(count)) marked"
    }
}
