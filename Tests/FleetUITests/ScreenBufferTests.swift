import Testing
@testable import FleetUI

@Suite struct ScreenBufferTests {
    private let red = CellStyle(foreground: .red)

    @Test func narrowTextFillsOneCellPerGrapheme() {
        var buffer = ScreenBuffer(width: 10, height: 1)
        let end = buffer.put("abc", x: 2, y: 0, style: .plain)

        #expect(end == 5)
        #expect(buffer.lines() == ["  abc"])
        #expect(buffer.isConsistent)
    }

    @Test func wideGlyphTakesTwoCells() {
        var buffer = ScreenBuffer(width: 10, height: 1)
        let end = buffer.put("東京", x: 0, y: 0, style: .plain)

        #expect(end == 4)
        #expect(buffer[0, 0].width == 2)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer[2, 0].grapheme == "京")
        #expect(buffer.lines() == ["東京"])
        #expect(buffer.isConsistent)
    }

    @Test func emojiIsWide() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("🚀a", x: 0, y: 0, style: .plain)

        #expect(buffer[0, 0].width == 2)
        #expect(buffer[2, 0].grapheme == "a")
    }

    @Test func combiningMarkStaysWithItsBase() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        let end = buffer.put("e\u{301}x", x: 0, y: 0, style: .plain)

        #expect(end == 2)
        #expect(buffer[0, 0].grapheme == "e\u{301}")
        #expect(buffer[1, 0].grapheme == "x")
    }

    @Test func wideGlyphAtLastColumnBecomesSpace() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("abcd東", x: 0, y: 0, style: .plain)

        #expect(buffer[4, 0].grapheme == " ")
        #expect(buffer[4, 0].width == 1)
        #expect(buffer.isConsistent)
    }

    @Test func wideGlyphBeyondMaxWidthIsClipped() {
        var buffer = ScreenBuffer(width: 10, height: 1)
        let end = buffer.put("a東", x: 0, y: 0, style: .plain, maxWidth: 2)

        #expect(end == 2)
        #expect(buffer.lines() == ["a"])
        #expect(buffer.isConsistent)
    }

    @Test func overwritingLeftHalfBlanksRightHalf() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("東", x: 2, y: 0, style: red)
        buffer.put("x", x: 2, y: 0, style: .plain)

        #expect(buffer[2, 0].grapheme == "x")
        #expect(buffer[3, 0].grapheme == " ")
        #expect(buffer[3, 0].width == 1)
        #expect(buffer.isConsistent)
    }

    @Test func overwritingRightHalfBlanksLeftHalf() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("東", x: 2, y: 0, style: red)
        buffer.put("x", x: 3, y: 0, style: .plain)

        #expect(buffer[2, 0].grapheme == " ")
        #expect(buffer[2, 0].width == 1)
        #expect(buffer[3, 0].grapheme == "x")
        #expect(buffer.isConsistent)
    }

    @Test func wideOverStaggeredWideBlanksBothNeighbours() {
        var buffer = ScreenBuffer(width: 8, height: 1)
        buffer.put("東京", x: 0, y: 0, style: .plain)
        buffer.put("日", x: 1, y: 0, style: .plain)

        #expect(buffer.lines() == [" 日"])
        #expect(buffer[3, 0].grapheme == " ")
        #expect(buffer.isConsistent)
    }

    @Test func fillOverWideGlyphKeepsGridConsistent() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("東京", x: 0, y: 0, style: .plain)
        buffer.fill(x: 1, y: 0, count: 2, style: red)

        #expect(buffer.lines() == [""])
        #expect(buffer.isConsistent)
    }

    @Test func writesOutsideTheGridAreIgnored() {
        var buffer = ScreenBuffer(width: 4, height: 2)
        buffer.put("abc", x: 0, y: 5, style: .plain)
        buffer.put("abc", x: 9, y: 0, style: .plain)
        buffer.put("abcdef", x: 2, y: 1, style: .plain)

        #expect(buffer.lines() == ["", "  ab"])
    }

    @Test func controlCharactersAreSanitizedOnWrite() {
        var buffer = ScreenBuffer(width: 12, height: 1)
        buffer.put("a\u{1B}[31mb", x: 0, y: 0, style: .plain)

        #expect(buffer.lines() == ["a␛[31mb"])
    }

    @Test func restyleKeepsText() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("ab", x: 0, y: 0, style: .plain)
        buffer.restyle(y: 0, style: red)

        #expect(buffer.lines() == ["ab"])
        #expect(buffer[0, 0].style == red)
        #expect(buffer[3, 0].style == red)
    }
}

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("e\u{301}", 1), ("東", 2), ("한", 2), ("Ａ", 2),
        ("🚀", 2), ("🇯🇵", 2), ("👨‍👩‍👧", 2), ("─", 1), ("…", 1), ("\u{301}", 0), ("\u{200D}", 0),
    ])
    func graphemeWidth(text: String, width: Int) {
        #expect(DisplayWidth.of(Character(text)) == width)
    }

    @Test func stringWidthSumsGraphemes() {
        #expect(DisplayWidth.of("Kiosk 東京") == 10)
    }
}
