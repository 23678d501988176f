/// A bordered box drawn over the middle of the screen, for prompts and pickers.
struct ModalBox {
    /// The first column and row inside the border.
    var innerX: Int
    var innerY: Int
    var innerWidth: Int
    var innerHeight: Int

    /// Draws an empty box with `title` in its top border, centered on the
    /// screen, with room for `contentRows` rows of `contentWidth` columns, or
    /// less when the screen is smaller. The box never covers the bottom row,
    /// so the key hints stay visible.
    static func draw(
        title: String, contentWidth: Int, contentRows: Int, style: CellStyle, into buffer: inout ScreenBuffer
    ) -> ModalBox {
        let outerWidth = min(contentWidth + 4, buffer.width)
        let outerHeight = min(contentRows + 2, maximumContentRows(screenHeight: buffer.height) + 2)
        let left = (buffer.width - outerWidth) / 2
        let top = max(0, min((buffer.height - outerHeight) / 2, buffer.height - 1 - outerHeight))
        let innerWidth = outerWidth - 4

        buffer.put("┌" + String(repeating: "─", count: outerWidth - 2) + "┐", x: left, y: top, style: style)
        let titleText = TextLayout.truncate(" \(title) ", toWidth: outerWidth - 4)
        buffer.put(titleText, x: left + 2, y: top, style: style)
        for row in top + 1..<top + outerHeight - 1 {
            buffer.put("│", x: left, y: row, style: style)
            buffer.fill(x: left + 1, y: row, count: outerWidth - 2, style: style)
            buffer.put("│", x: left + outerWidth - 1, y: row, style: style)
        }
        buffer.put("└" + String(repeating: "─", count: outerWidth - 2) + "┘", x: left, y: top + outerHeight - 1, style: style)

        return ModalBox(innerX: left + 2, innerY: top + 1, innerWidth: innerWidth, innerHeight: outerHeight - 2)
    }

    /// Writes `text` on the box's `row`, clipped to the inner width.
    @discardableResult
    func put(_ text: String, row: Int, column: Int = 0, style: CellStyle, into buffer: inout ScreenBuffer) -> Int {
        guard row < innerHeight, column < innerWidth else { return innerX + column }
        return buffer.put(text, x: innerX + column, y: innerY + row, style: style, maxWidth: innerWidth - column)
    }

    /// Returns the most rows inside the border on a screen `screenHeight`
    /// rows tall: the border and the footer row take three.
    static func maximumContentRows(screenHeight: Int) -> Int {
        max(1, screenHeight - 3)
    }

    /// Returns `lines` cut to at most `rows`: blank lines go first, then the
    /// lines just before the last one, so the first line (the field) and the
    /// last (what Enter and Esc do) stay.
    static func fitting<Line>(_ lines: [Line], rows: Int, isBlank: (Line) -> Bool) -> [Line] {
        var lines = lines
        while lines.count > rows, let blank = lines.indices.dropFirst().dropLast().last(where: { isBlank(lines[$0]) }) {
            lines.remove(at: blank)
        }
        while lines.count > max(2, rows) {
            lines.remove(at: lines.count - 2)
        }
        return lines
    }
}
