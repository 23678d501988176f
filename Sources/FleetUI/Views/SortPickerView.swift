/// The sort picker: every order the table offers, the highlighted one in the
/// selection style and the current one marked with its direction. On a short
/// screen the list scrolls to keep the highlighted order in view.
public enum SortPickerView {
    static let contentWidth = 56

    public static func draw(_ picker: SortPicker, sort: TableSort, theme: Theme, into buffer: inout ScreenBuffer) {
        let options = SortPicker.options
        let width = min(contentWidth, buffer.width - 4)
        let box = ModalBox.draw(
            title: "Sort by", contentWidth: width, contentRows: options.count + 2, style: theme.prompt, into: &buffer)

        let listRows = max(1, box.innerHeight - 2)
        let first = max(0, min(picker.highlighted - listRows / 2, options.count - listRows))
        for row in 0..<min(listRows, options.count) {
            let index = first + row
            let key = options[index]
            let marker = key == sort.key ? "  (current \(sort.ascending ? "▲" : "▼"))" : ""
            let text = TextLayout.padRight(" \(SortPicker.label(key))\(marker)", toWidth: box.innerWidth)
            let style = index == picker.highlighted ? theme.promptSelection : theme.prompt
            box.put(text, row: row, style: style, into: &buffer)
        }
        box.put("Enter sorts. S on the table reverses. Esc cancels.", row: listRows + 1, style: theme.prompt, into: &buffer)
    }
}
