/// Fitting text into a number of terminal columns, measured with
/// `DisplayWidth`. Text is sanitized first, because a placeholder can be
/// wider than the character it replaces (a bidi override is 0 columns, its
/// U+FFFD is 1).
public enum TextLayout {
    /// The ellipsis that marks truncated text. It is 1 column wide.
    public static let ellipsis: Character = "…"

    /// Returns `text` cut to at most `width` columns. Text that had to be cut
    /// ends with `…`. A wide glyph that would straddle the limit is dropped
    /// whole, so the result may be 1 column shorter than `width`.
    public static func truncate(_ rawText: String, toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        let text = TerminalSanitizer.sanitize(rawText)
        guard DisplayWidth.of(text) > width else { return text }

        var result = ""
        var used = 0
        for grapheme in text {
            let graphemeWidth = DisplayWidth.of(grapheme)
            if used + graphemeWidth > width - 1 { break }
            result.append(grapheme)
            used += graphemeWidth
        }
        result.append(ellipsis)
        return result
    }

    /// Returns `text` truncated to `width` columns and padded with spaces on the
    /// right to exactly `width` columns.
    public static func padRight(_ text: String, toWidth width: Int) -> String {
        let fitted = truncate(text, toWidth: width)
        return fitted + String(repeating: " ", count: max(0, width - DisplayWidth.of(fitted)))
    }

    /// Returns `text` truncated to `width` columns and padded with spaces on the
    /// left to exactly `width` columns, for right-aligned numbers.
    public static func padLeft(_ text: String, toWidth width: Int) -> String {
        let fitted = truncate(text, toWidth: width)
        return String(repeating: " ", count: max(0, width - DisplayWidth.of(fitted))) + fitted
    }

    /// Splits `text` into lines of at most `width` columns, breaking at spaces
    /// where it can and inside a word only when the word alone is too wide.
    public static func wrap(_ rawText: String, toWidth width: Int) -> [String] {
        guard width > 0 else { return [] }
        let text = TerminalSanitizer.sanitize(rawText)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0

        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var remaining = String(word)
            var remainingWidth = DisplayWidth.of(remaining)
            let separatorWidth = line.isEmpty ? 0 : 1
            if lineWidth + separatorWidth + remainingWidth <= width {
                if !line.isEmpty { line.append(" ") }
                line += remaining
                lineWidth += separatorWidth + remainingWidth
                continue
            }
            if !line.isEmpty {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            while remainingWidth > width {
                let (head, tail) = splitPrefix(remaining, maxWidth: width)
                lines.append(head)
                remaining = tail
                remainingWidth = DisplayWidth.of(remaining)
            }
            line = remaining
            lineWidth = remainingWidth
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Splits off the longest prefix of `text` that fits in `maxWidth` columns,
    /// taking at least one grapheme so that wrapping always advances.
    private static func splitPrefix(_ text: String, maxWidth: Int) -> (String, String) {
        var used = 0
        var index = text.startIndex
        while index < text.endIndex {
            let graphemeWidth = DisplayWidth.of(text[index])
            if used + graphemeWidth > maxWidth && index > text.startIndex { break }
            used += graphemeWidth
            index = text.index(after: index)
        }
        return (String(text[..<index]), String(text[index...]))
    }
}
