import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct FilterTests {
    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    private func type(_ text: String, in state: inout AppState) {
        for character in text { _ = state.reduce(.key(.character(character))) }
    }

    private func filter(_ text: String, in state: inout AppState) {
        _ = press([.character("/"), .character("\u{15}")], in: &state)
        type(text, in: &state)
        _ = press([.enter], in: &state)
    }

    @Test func slashOpensPromptWithCurrentFilter() {
        var state = Fixtures.state()
        filter("status:active", in: &state)
        _ = press([.character("/")], in: &state)

        #expect(state.mode == .filterPrompt(FilterPrompt(text: "status:active")))
    }

    @Test func enterAppliesQuery() {
        var state = Fixtures.state()
        filter("status:active", in: &state)

        #expect(state.mode == .browsing)
        #expect(state.fleet.count == 2)
        #expect(state.fleet.row(at: 1)?.iccid == Fixtures.kiosk.iccid)
    }

    @Test func freeTextMatchesLabel() {
        var state = Fixtures.state()
        filter("tracker", in: &state)

        #expect(state.fleet.count == 1)
        #expect(state.selectedSIM?.iccid == Fixtures.tracker.iccid)
    }

    @Test func badQueryKeepsTextAndShowsError() {
        var state = Fixtures.state()
        _ = press([.character("/")], in: &state)
        type("wallet<abc", in: &state)
        let effects = press([.enter], in: &state)

        #expect(effects.isEmpty)
        let expected = FleetQueryError.invalidAmount(term: "wallet<abc", value: "abc").description
        #expect(state.mode == .filterPrompt(FilterPrompt(text: "wallet<abc", error: expected)))
        #expect(state.fleet.count == 3)
    }

    @Test func typingClearsError() {
        var state = Fixtures.state()
        _ = press([.character("/")], in: &state)
        type("wallet<abc", in: &state)
        _ = press([.enter, .backspace], in: &state)

        #expect(state.mode == .filterPrompt(FilterPrompt(text: "wallet<ab")))
    }

    @Test func escCancelsPromptAndKeepsFilter() {
        var state = Fixtures.state()
        filter("low", in: &state)
        _ = press([.character("/")], in: &state)
        type(" -depleted", in: &state)
        _ = press([.escape], in: &state)

        #expect(state.mode == .browsing)
        #expect(state.fleet.query.text == "low")
    }

    @Test func escOnTableClearsFilter() {
        var state = Fixtures.state()
        filter("low", in: &state)
        #expect(state.fleet.count == 1)
        _ = press([.escape], in: &state)

        #expect(state.fleet.query == .all)
        #expect(state.fleet.count == 3)
        #expect(state.status == StatusMessage("Filter cleared.", kind: .info))
    }

    @Test func qInsidePromptIsText() {
        var state = Fixtures.state()
        _ = press([.character("/"), .character("q")], in: &state)

        #expect(!state.hasQuit)
        #expect(state.mode == .filterPrompt(FilterPrompt(text: "q")))
    }

    @Test func selectionStaysOnSameSIM() {
        var state = Fixtures.state()
        _ = press([.end], in: &state)
        filter("status:active", in: &state)

        #expect(state.selectedSIM?.iccid == Fixtures.kiosk.iccid)
        #expect(state.selectedRow == 1)
        _ = press([.escape], in: &state)
        #expect(state.selectedSIM?.iccid == Fixtures.kiosk.iccid)
        #expect(state.selectedRow == 2)
    }

    @Test func selectionStaysThroughBatches() {
        var state = Fixtures.state()
        _ = press([.end], in: &state)
        filter("-suspended", in: &state)
        var resumed = Fixtures.tracker
        resumed.status = .active
        _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [resumed], observedAt: Fixtures.now)))

        #expect(state.fleet.count == 3)
        #expect(state.selectedSIM?.iccid == Fixtures.kiosk.iccid)
        #expect(state.selectedRow == 2)
    }

    @Test func filteredOutSelectionMovesToNearestRow() {
        var state = Fixtures.state()
        _ = press([.end], in: &state)
        filter("status:suspended", in: &state)

        #expect(state.selectedSIM?.iccid == Fixtures.tracker.iccid)
    }

    @Test func promptBoxShowsErrorAndHelp() {
        var state = Fixtures.state(width: 80, height: 24)
        _ = press([.character("/")], in: &state)
        type("status:asleep", in: &state)
        _ = press([.enter], in: &state)
        let buffer = DashboardView.render(state, theme: .builtIn)
        let lines = buffer.lines()

        #expect(lines[6] == " 89┌─ Filter ───────────────────────────────────────────────────────────────┐now")
        #expect(lines[7] == "   │ Query: status:asleep_                                                  │")
        #expect(lines[8] == "   │ Unknown status \"asleep\" in status:asleep: use status:pending,          │")
        #expect(lines[9] == "   │ status:active, status:suspended or status:terminated.                  │")
        #expect(lines[11] == "   │ Every term must match: free text, status:active, wallet<5, eta<2h,     │")
        #expect(lines[16] == "   │ Enter applies the filter. Esc cancels. Ctrl-U clears the field.        │")
        #expect(lines[17] == "   └────────────────────────────────────────────────────────────────────────┘")
        #expect(buffer[12, 7].style == Theme.builtIn.promptSelection)
        #expect(buffer[5, 8].style == Theme.builtIn.promptError)
        #expect(lines[23] == " Enter apply   Backspace delete   Ctrl-U clear   Esc cancel")
    }

    @Test func emptyResultSaysHowToClear() {
        var state = Fixtures.state(width: 100, height: 12)
        filter("label:nothing-like-this", in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[2] == " Showing 0 of 3 SIMs  filter label:nothing-like-this  sort first seen")
        #expect(lines[4] == " No SIM matches the filter \"label:nothing-like-this\". Press Esc to clear it, or / to change it.")
    }
}
