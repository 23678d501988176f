import Testing
@testable import FleetUI

@Suite struct TerminalSanitizerTests {
    @Test func plainTextPassesUnchanged() {
        #expect(TerminalSanitizer.sanitize("Kiosk 東京 🚀 e\u{301}") == "Kiosk 東京 🚀 e\u{301}")
    }

    @Test func escapeSequenceBecomesVisible() {
        #expect(TerminalSanitizer.sanitize("\u{1B}[2J\u{1B}]0;pwned\u{07}") == "␛[2J␛]0;pwned␇")
    }

    @Test func c0ControlsBecomeControlPictures() {
        #expect(TerminalSanitizer.sanitize("a\nb\rc\td\u{0}") == "a␊b␍c␉d␀")
    }

    @Test func deleteAndC1ControlsBecomeReplacement() {
        #expect(TerminalSanitizer.sanitize("a\u{7F}b\u{9B}c\u{85}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
    }

    @Test(arguments: [
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
        0x200E, 0x200F, 0x061C, 0x2028, 0x2029,
    ])
    func bidiControlBecomesReplacement(value: UInt32) {
        let text = "a" + String(Character(Unicode.Scalar(value)!)) + "b"
        #expect(TerminalSanitizer.sanitize(text) == "a\u{FFFD}b")
    }

    @Test func sanitizingTwiceChangesNothing() {
        let once = TerminalSanitizer.sanitize("x\u{1B}\u{202E}\u{9B}y")
        #expect(TerminalSanitizer.sanitize(once) == once)
    }

    @Test func resultHasNoUnsafeScalar() {
        let hostile = (0..<0x100).compactMap(Unicode.Scalar.init).map(String.init).joined() + "\u{202E}\u{2066}"
        let sanitized = TerminalSanitizer.sanitize(hostile)
        #expect(!sanitized.unicodeScalars.contains(where: TerminalSanitizer.isUnsafe))
    }
}

@Suite struct TextLayoutTests {
    @Test func shortTextIsNotTruncated() {
        #expect(TextLayout.truncate("abc", toWidth: 3) == "abc")
    }

    @Test func longTextEndsWithEllipsis() {
        #expect(TextLayout.truncate("abcdef", toWidth: 4) == "abc…")
    }

    @Test func wideGlyphStraddlingLimitIsDropped() {
        #expect(TextLayout.truncate("a東京", toWidth: 4) == "a東…")
        #expect(TextLayout.truncate("東京都", toWidth: 4) == "東…")
    }

    @Test func truncateMeasuresSanitizedText() {
        // Four bidi overrides are 0 columns raw but 4 as U+FFFD placeholders.
        let truncated = TextLayout.truncate("ab\u{202E}\u{202E}\u{202E}\u{202E}cd", toWidth: 5)

        #expect(truncated == "ab\u{FFFD}\u{FFFD}…")
        #expect(DisplayWidth.of(truncated) == 5)
    }

    @Test func padLeftAlignsRight() {
        #expect(TextLayout.padLeft("1.00", toWidth: 6) == "  1.00")
    }

    @Test func wrapBreaksAtSpaces() {
        #expect(TextLayout.wrap("Amount is missing. Type an amount", toWidth: 12) == ["Amount is", "missing.", "Type an", "amount"])
    }

    @Test func wrapSplitsWordsLongerThanWidth() {
        #expect(TextLayout.wrap("abcdefghij", toWidth: 4) == ["abcd", "efgh", "ij"])
    }
}
