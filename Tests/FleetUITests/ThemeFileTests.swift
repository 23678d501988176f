import Foundation
import Testing
@testable import FleetUI

@Suite struct ThemeFileTests {
    @Test func shippedDefaultThemeMatchesBuiltIn() throws {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes/default.theme").path
        let (theme, issues) = ThemeFile.load(path: path)

        #expect(issues.isEmpty, "\(issues)")
        #expect(theme == .builtIn)
    }

    @Test func valueSetsColorsAndAttributes() {
        let (theme, _) = ThemeFile.parse("header = yellow on 236 bold underline\n", source: "test")
        #expect(theme.header == CellStyle(foreground: .yellow, background: .indexed(236), bold: true, underline: true))
    }

    @Test func backgroundOnlyAndPlain() {
        let (theme, _) = ThemeFile.parse("footer = on red\ntable.row = plain # comment\n", source: "test")
        #expect(theme.footer == CellStyle(background: .red))
        #expect(theme.tableRow == .plain)
    }

    @Test func missingKeyFallsBackWithNotice() {
        let (theme, issues) = ThemeFile.parse("header = red\n", source: "test")

        #expect(theme.footer == Theme.builtIn.footer)
        #expect(issues.contains(ThemeIssue(severity: .notice, message: "test: footer is not set; using the built-in value.")))
        #expect(!issues.contains { $0.severity == .error })
    }

    @Test func badValueKeepsDefaultAndIsAnError() {
        let (theme, issues) = ThemeFile.parse("header = purple on blue\n", source: "test")

        #expect(theme.header == Theme.builtIn.header)
        let errors = issues.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.hasPrefix("test:1: header = \"purple on blue\" is invalid: \"purple\" is not a color or attribute here.") == true)
    }

    @Test func unknownKeyAndMalformedLineAreErrors() {
        let (_, issues) = ThemeFile.parse("headr = red\njust words\n", source: "t")
        let errors = issues.filter { $0.severity == .error }.map(\.message)

        #expect(errors.count == 2)
        #expect(errors[0].hasPrefix("t:1: unknown theme key \"headr\"."))
        #expect(errors[1] == "t:2: \"just words\" is not a setting. Write key = value.")
    }

    @Test func onWithoutColorIsAnError() {
        let (_, issues) = ThemeFile.parse("header = white on\n", source: "t")
        let errors = issues.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("\"on\" must be followed by a color") == true)
    }

    @Test func unreadableFileFallsBack() {
        let (theme, issues) = ThemeFile.load(path: "/nonexistent/citrus.theme")
        #expect(theme == .builtIn)
        #expect(issues.count == 1)
        #expect(issues.first?.message.hasPrefix("Theme file /nonexistent/citrus.theme could not be read") == true)
    }
}
