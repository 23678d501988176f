/// Terminal column widths of graphemes.
///
/// A grapheme is 2 columns when its first scalar is East Asian Wide or
/// Fullwidth, or has the Emoji_Presentation property (this includes the
/// regional indicators that make up flags). It is 0 columns when it contains
/// only combining marks, enclosing marks and format characters (such as a lone
/// U+0301 or U+200D). Everything else is 1 column, including East Asian
/// Ambiguous characters such as box-drawing lines.
///
/// NOTE: a text-presentation symbol followed by U+FE0F (such as "❤️") counts
/// as 1 column, because that is what glibc's `wcwidth` and tmux 3.3 give it.
/// Terminals that draw such clusters 2 columns wide will shift the rest of
/// that row by one column.
public enum DisplayWidth {
    /// Returns the number of terminal columns `grapheme` occupies: 0, 1 or 2.
    public static func of(_ grapheme: Character) -> Int {
        if let ascii = grapheme.asciiValue, ascii >= 0x20 { return 1 }
        let scalars = grapheme.unicodeScalars
        guard let first = scalars.first(where: { !isZeroWidth($0) }) else { return 0 }
        return isWide(first) ? 2 : 1
    }

    /// Returns the number of terminal columns `text` occupies.
    public static func of(_ text: String) -> Int {
        var total = 0
        for grapheme in text {
            total += of(grapheme)
        }
        return total
    }

    /// Returns whether `scalar` takes no column of its own: nonspacing marks (which
    /// include the variation selectors), enclosing marks, format characters
    /// such as U+200D ZERO WIDTH JOINER, and the Hangul medial vowels and final
    /// consonants that join a syllable.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return true
        default:
            return (0x1160...0x11FF).contains(scalar.value)
        }
    }

    /// Returns whether `scalar` is drawn 2 columns wide.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isEmojiPresentation { return true }
        let value = scalar.value
        return wideRanges.contains { $0.contains(value) }
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks from the Unicode
    /// EastAsianWidth.txt data file, merged into block-sized ranges. Emoji are
    /// found through their Emoji_Presentation property instead.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initial consonants
        0x2329...0x232A,  // angle brackets
        0x2E80...0x303E,  // CJK radicals, Kangxi radicals, CJK symbols and punctuation
        0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
        0x3400...0x4DBF,  // CJK Unified Ideographs Extension A
        0x4E00...0x9FFF,  // CJK Unified Ideographs
        0xA000...0xA4CF,  // Yi syllables and radicals
        0xA960...0xA97F,  // Hangul Jamo Extended-A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19,  // vertical forms
        0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
        0xFF00...0xFF60,  // fullwidth ASCII variants
        0xFFE0...0xFFE6,  // fullwidth signs
        0x1B000...0x1B2FF,  // Kana supplement and extensions, Nushu
        0x1F200...0x1F2FF,  // enclosed ideographic supplement
        0x20000...0x2FFFD,  // CJK Unified Ideographs Extensions B to F, supplement
        0x30000...0x3FFFD,  // CJK Unified Ideographs Extensions G and H
    ]
}
