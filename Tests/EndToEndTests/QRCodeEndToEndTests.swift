import Foundation
import QREncoding
import Testing

/// The QR code of a traveler's LPA string in the detail view, read from a
/// real terminal: `citrus-fleet` runs in tmux against its built-in simulator.
@Suite(
    .serialized,
    .enabled(if: ProcessRunner.isInstalled("tmux"), "tmux is not installed, so the end-to-end tests are skipped. Install it with: apt-get install tmux")
)
struct QRCodeEndToEndTests {
    /// The screen width of `TmuxSession`, and the columns of a version 4 code
    /// with its quiet zone of 4 modules, which the detail pins to the right edge.
    static let screenWidth = 120
    static let blockColumns = 33 + 2 * 4
    /// The first body row under the detail's title row.
    static let blockTop = 4

    /// Returns the modules a half-block row shows: (upper, lower) per column,
    /// or nil for a character that is not a half block or a space.
    static func modules(of text: some StringProtocol) -> [(Bool, Bool)]? {
        var result: [(Bool, Bool)] = []
        for character in text {
            switch character {
            case "█": result.append((true, true))
            case "▀": result.append((true, false))
            case "▄": result.append((false, true))
            case " ": result.append((false, false))
            default: return nil
            }
        }
        return result
    }

    /// Returns columns `range` of a captured row, padded with the spaces
    /// that `capture-pane` drops at the end of a row.
    static func columns(_ range: Range<Int>, of line: String) -> String {
        let characters = Array(line) + Array(repeating: " ", count: max(0, range.upperBound - line.count))
        return String(characters[range])
    }

    @Test func travelerDetailShowsWholeScannableCode() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            try dashboard.launch()
            try tmux.waitFor("the whole demo fleet") { $0.count > 2 && $0[2].hasPrefix(" Showing all 242 SIMs") }

            try tmux.press("/")
            try tmux.waitFor("the filter prompt") { $0.contains { $0.contains("Query: _") } }
            try tmux.type("label:berlin")
            try tmux.press("Enter")
            let trip = try tmux.waitFor("the Berlin trip only") { $0.count > 2 && $0[2].hasPrefix(" Showing 30 of 242 SIMs") }
            let traveler = try dashboard.firstRow(in: trip) { $0.text.contains("Berlin Trip") }
            try tmux.press("Enter")

            // The LPA string comes only from the interactive read, GET /esim/{iccid}.
            let blockRows = Self.blockTop..<(Self.blockTop + 21)
            let blockColumns = (Self.screenWidth - Self.blockColumns)..<Self.screenWidth
            let detail = try tmux.waitFor("the QR code of \(traveler.iccid)") { lines in
                lines.count > blockRows.upperBound
                    && lines.contains { $0.hasPrefix(" QR code              on the right, encoding the LPA string") }
            }
            #expect(detail[3] == " SIM \(traveler.iccid)   Esc closes")

            let lpaLine = try #require(detail.first { $0.hasPrefix(" LPA string           LPA:1$") })
            let lpa = Self.columns(22..<blockColumns.lowerBound, of: lpaLine).trimmingCharacters(in: .whitespaces)
            let code = try #require(QRCode(bytes: Array(lpa.utf8)), "LPA string \(lpa)")
            #expect(code.version == 4)

            // Every module on screen matches the code of the LPA string shown,
            // with 4 light modules around it, and nothing else is drawn there.
            for (row, y) in blockRows.enumerated() {
                let text = Self.columns(blockColumns, of: detail[y])
                let modules = try #require(Self.modules(of: text), "row \(y) is not half blocks: \(text)")
                for (x, pair) in modules.enumerated() {
                    for (half, dark) in [pair.0, pair.1].enumerated() {
                        let codeX = x - 4
                        let codeY = 2 * row + half - 4
                        let inside = (0..<code.size).contains(codeX) && (0..<code.size).contains(codeY)
                        let expected = inside && code.isDark(codeX, codeY)
                        #expect(dark == expected, "module (\(codeX), \(codeY)) on row \(y), column \(blockColumns.lowerBound + x)")
                    }
                }
                // The column left of the block separates it from the fields.
                #expect(Self.columns((blockColumns.lowerBound - 1)..<blockColumns.lowerBound, of: detail[y]) == " ", "row \(y)")
            }
            #expect(Self.columns(blockColumns, of: detail[Self.blockTop + 2]).hasPrefix("    █▀▀▀▀▀█ "))
            #expect(Self.columns(blockColumns, of: detail[Self.blockTop + 2]).hasSuffix(" █▀▀▀▀▀█    "))

            // Too short for the code even with a quiet zone of 2: one line with the size that shows it.
            try tmux.resize(width: 80, height: 24)
            try tmux.waitFor("the detail redrawn at 80×24") { lines in
                lines.count == 24 && !lines.contains { $0.contains("█▀▀▀▀▀█") }
            }
            // The "QR code" row sits below the 18 body rows of this size.
            try tmux.press(Array(repeating: "j", count: 6))
            try tmux.waitFor("the line that asks for a larger terminal") { lines in
                lines.contains(" QR code              make the terminal at least 25 rows tall to show it")
                    && !lines.contains { $0.contains("█▀▀▀▀▀█") }
            }

            try tmux.press("Escape")
            try tmux.waitFor("the table to come back") { DashboardDriver.rows(in: $0).count >= 5 }
            try dashboard.quit()
        }
    }
}
