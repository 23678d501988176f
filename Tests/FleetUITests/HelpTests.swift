import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct HelpTests {
    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    @Test func questionMarkOpensAndClosesHelp() {
        var state = Fixtures.state()
        _ = press([.character("?")], in: &state)
        #expect(state.mode == .help(scroll: 0))

        for key: Key in [.escape, .character("?"), .character("q")] {
            _ = press([.character("?"), key], in: &state)
            #expect(state.mode == .browsing)
            #expect(!state.hasQuit)
        }
    }

    @Test func helpListsEveryKey() {
        var state = Fixtures.state(width: 100, height: 50)
        _ = press([.character("?")], in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()
        let text = lines.joined(separator: "\n")

        #expect(lines[3].contains("┌─ Keys ───────────────────────────────────────────────────────────────────┐"))
        #expect(lines[4].contains("│ The fleet table                                                          │"))
        #expect(lines[5].contains("│ ↑ ↓  j k          move the selection                                     │"))
        for key in ["Enter             open the selected SIM's detail", "/                 filter with a query",
                    "Esc               clear the filter", "s                 choose the sort column",
                    "S                 reverse the sort", "v                 show or hide the events pane",
                    "e                 enable the SIM", "d                 disable (suspend) the SIM",
                    "f                 fund the wallet", "t                 set the throttle speed",
                    "?                 show this help", "q                 quit", "Esc q             close the detail",
                    "Space             mark or unmark the selected SIM and move down",
                    "*                 mark every SIM the filter shows", "U                 unmark every SIM",
                    "e d t             with marks: enable, disable or throttle the marked",
                    "f                 with marks: 5 funds $5 to each, to 20 tops each wallet",
                    "Esc               during a run: stop after the current SIM"] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(lines[49] == " ↑↓ j/k scroll   Esc ? q close")
    }

    @Test func helpScrollsOnShortScreen() {
        var state = Fixtures.state(width: 80, height: 12)
        _ = press([.character("?")], in: &state)
        var lines = DashboardView.render(state, theme: .builtIn).lines()
        #expect(lines.contains { $0.contains("↑↓ scroll, lines 1–8 of 41. Esc closes.") })
        // The box leaves the bottom row to the key hints.
        #expect(lines[11] == " ↑↓ j/k scroll   Esc ? q close")

        _ = press(Array(repeating: .down, count: 40), in: &state)
        #expect(state.mode == .help(scroll: HelpView.maximumScroll(state)))
        lines = DashboardView.render(state, theme: .builtIn).lines()
        #expect(lines.contains { $0.contains("Backspace Ctrl-U  delete a character, clear the field") })
        #expect(lines.contains { $0.contains("lines 34–41 of 41") })
    }

    @Test func readOnlyHelpSaysActionsAreOff() {
        var state = Fixtures.state(width: 100, height: 50, readOnly: true)
        _ = press([.character("?")], in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[3].contains("│ Read-only mode: e, d, f and t are off."))
    }

    @Test func helpOpensFromDetailAndReturnsToIt() {
        var state = Fixtures.state()
        _ = press([.enter, .character("?"), .escape], in: &state)

        #expect(state.mode == .browsing)
        #expect(state.detailICCID == Fixtures.traveler.iccid)
    }

    @Test func questionMarkInFilterPromptIsText() {
        var state = Fixtures.state()
        _ = press([.character("/"), .character("?")], in: &state)

        #expect(state.mode == .filterPrompt(FilterPrompt(text: "?")))
    }
}

/// Tests that every prompt and picker at the minimum size keeps its last line and the key hints.
@Suite struct ModalFitTests {
    private func screen(after keys: [Key], width: Int = 60, height: Int = 10) -> [String] {
        var state = Fixtures.state(width: width, height: height)
        for key in keys { _ = state.reduce(.key(key)) }
        return DashboardView.render(state, theme: .builtIn).lines()
    }

    @Test func throttlePickerFitsMinimumSize() {
        let lines = screen(after: [.character("t")])
        #expect(lines.contains { $0.contains("Enter applies. Esc cancels.") })
        #expect(lines[9].contains("Esc"))
        #expect(!lines[9].contains("└"))
    }

    @Test func throttlePickerScrollsToHighlighted() {
        let lines = screen(after: [.character("t"), .end])
        let last = ThrottleSpeed.label(ThrottleSpeed.allCases.last!)
        #expect(lines.contains { $0.contains(" \(last)") })
        #expect(lines.contains { $0.contains("Enter applies. Esc cancels.") })
    }

    @Test(arguments: ["f", "/", "s", "?"])
    func promptKeepsFooterAtMinimumSize(key: String) {
        let lines = screen(after: [.character(Character(key))])
        #expect(!lines[9].contains("└"))
        #expect(!lines[9].contains("│"))
    }

    @Test func fundPromptWithErrorKeepsFieldAndHint() {
        var keys: [Key] = [.character("f")]
        keys += "12.345".map { Key.character($0) }
        keys.append(.enter)
        let lines = screen(after: keys)
        #expect(lines.contains { $0.contains("Amount in USD: 12.345_") })
        #expect(lines.contains { $0.contains("Enter sends the fund once. Esc cancels.") })
        #expect(!lines[9].contains("└"))
    }
}
