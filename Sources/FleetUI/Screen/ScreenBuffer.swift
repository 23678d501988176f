/// One cell of a `ScreenBuffer`.
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn in this cell, or "" when the cell is the right half
    /// of the wide grapheme in the cell before it.
    public var grapheme: String
    /// Columns the grapheme occupies: 1, 2 (wide), or 0 for the right half of
    /// a wide grapheme.
    public var width: Int
    public var style: CellStyle

    public init(grapheme: String, width: Int, style: CellStyle) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
    }

    public static func blank(_ style: CellStyle = .plain) -> Cell {
        Cell(grapheme: " ", width: 1, style: style)
    }

    /// Whether this cell is the right half of a wide grapheme.
    public var isContinuation: Bool { width == 0 }
}

/// A grid of cells that views draw into and the terminal backend copies to
/// the screen. It is the one place that handles grapheme clusters and wide
/// glyphs, and it sanitizes every string written to it.
///
/// Invariant: a cell of width 2 is always followed, on the same row, by a
/// continuation cell (width 0), and every continuation cell follows a cell of
/// width 2. Writes that would break a wide glyph in half blank the other half.
public struct ScreenBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    public init(width: Int, height: Int, style: CellStyle = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` on row `y` from column `x`, sanitized, clipped to
    /// `maxWidth` columns (default: to the right edge). A wide glyph that does
    /// not fit in the last column left is replaced by a space.
    ///
    /// - Returns: the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for grapheme in TerminalSanitizer.sanitize(text) {
            let graphemeWidth = DisplayWidth.of(grapheme)
            if graphemeWidth == 0 { continue }
            if column + graphemeWidth > limit {
                if column < limit { setNarrow(" ", x: column, y: y, style: style) }
                return limit
            }
            if column >= 0 {
                if graphemeWidth == 2 {
                    setWide(String(grapheme), x: column, y: y, style: style)
                } else {
                    setNarrow(String(grapheme), x: column, y: y, style: style)
                }
            }
            column += graphemeWidth
        }
        return column
    }

    /// Fills `count` cells of row `y` from column `x` with spaces in `style`.
    public mutating func fill(x: Int = 0, y: Int, count: Int? = nil, style: CellStyle) {
        guard y >= 0, y < height else { return }
        let start = max(0, x)
        let end = min(width, x + (count ?? width))
        guard start < end else { return }
        for column in start..<end {
            setNarrow(" ", x: column, y: y, style: style)
        }
    }

    /// Changes the style of `count` cells on row `y` from column `x` and keeps
    /// their text, for highlighting a row.
    public mutating func restyle(x: Int = 0, y: Int, count: Int? = nil, style: CellStyle) {
        guard y >= 0, y < height else { return }
        let start = max(0, x)
        let end = min(width, x + (count ?? width))
        guard start < end else { return }
        for column in start..<end {
            cells[y * width + column].style = style
        }
    }

    /// Returns the text of each row, with continuation cells skipped and trailing
    /// spaces removed, so tests can compare rows with string literals.
    public func lines() -> [String] {
        (0..<height).map { line($0) }
    }

    /// Returns the text of row `y` with trailing spaces removed.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width {
            text += self[x, y].grapheme
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Whether every wide cell is followed by its continuation and every
    /// continuation follows a wide cell.
    public var isConsistent: Bool {
        for y in 0..<height {
            for x in 0..<width {
                let cell = self[x, y]
                switch cell.width {
                case 2:
                    guard x + 1 < width, self[x + 1, y].isContinuation else { return false }
                case 0:
                    guard x > 0, self[x - 1, y].width == 2, cell.grapheme.isEmpty else { return false }
                case 1:
                    guard DisplayWidth.of(Character(cell.grapheme)) == 1 else { return false }
                default:
                    return false
                }
            }
        }
        return true
    }

    // MARK: Cell writes that keep wide glyphs whole

    private mutating func setNarrow(_ grapheme: String, x: Int, y: Int, style: CellStyle) {
        clearWideGlyph(touching: x, y: y)
        cells[y * width + x] = Cell(grapheme: grapheme, width: 1, style: style)
    }

    private mutating func setWide(_ grapheme: String, x: Int, y: Int, style: CellStyle) {
        clearWideGlyph(touching: x, y: y)
        clearWideGlyph(touching: x + 1, y: y)
        cells[y * width + x] = Cell(grapheme: grapheme, width: 2, style: style)
        cells[y * width + x + 1] = Cell(grapheme: "", width: 0, style: style)
    }

    /// Blanks both halves of a wide glyph that covers column `x`, if any, so
    /// that overwriting one half never leaves the other half dangling.
    private mutating func clearWideGlyph(touching x: Int, y: Int) {
        let index = y * width + x
        let cell = cells[index]
        if cell.width == 2 {
            cells[index] = .blank(cell.style)
            if x + 1 < width { cells[index + 1] = .blank(cell.style) }
        } else if cell.isContinuation {
            cells[index] = .blank(cell.style)
            if x > 0 { cells[index - 1] = .blank(cells[index - 1].style) }
        }
    }
}
