/// Turns untrusted text (labels, references, error messages from the API)
/// into text that is safe to draw: nothing in the result can move the
/// cursor, change colors, start an escape sequence or reorder the line.
///
/// - C0 controls U+0000–U+001F become their Control Pictures (U+2400–U+241F),
///   so ESC shows as `␛` and a newline as `␊`.
/// - DEL and the C1 controls U+0080–U+009F become U+FFFD.
/// - Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
///   the bidi marks U+200E, U+200F and U+061C, and the line and paragraph
///   separators U+2028 and U+2029 become U+FFFD.
///
/// Everything else, including combining marks and emoji, passes unchanged,
/// and sanitizing a sanitized string changes nothing.
public enum TerminalSanitizer {
    /// The placeholder for characters that have no Control Picture.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// Returns `text` with every unsafe scalar replaced by a visible placeholder.
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(placeholder(for: scalar) ?? scalar)
        }
        return String(result)
    }

    /// Returns whether `sanitize` would replace `scalar`.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        placeholder(for: scalar) != nil
    }

    private static func placeholder(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        switch value {
        case 0x00...0x1F:
            return Unicode.Scalar(0x2400 + value)
        case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069,
             0x200E, 0x200F, 0x061C, 0x2028, 0x2029:
            return replacement
        default:
            return nil
        }
    }
}
