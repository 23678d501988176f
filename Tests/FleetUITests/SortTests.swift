import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct SortTests {
    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    /// Opens the picker and sorts by `key`.
    private func sort(by key: FleetSortKey, in state: inout AppState) {
        _ = press([.character("s"), .home], in: &state)
        let index = SortPicker.options.firstIndex(of: key)!
        _ = press(Array(repeating: .down, count: index) + [.enter], in: &state)
    }

    private func iccids(_ state: AppState) -> [String] {
        (0..<state.fleet.count).compactMap { state.fleet.row(at: $0)?.iccid }
    }

    @Test func sOpensPickerOnCurrentOrder() {
        var state = Fixtures.state()
        _ = press([.character("s")], in: &state)
        #expect(state.mode == .sortPicker(SortPicker(highlighted: 0)))

        sort(by: .wallet, in: &state)
        _ = press([.character("s")], in: &state)
        #expect(state.mode == .sortPicker(SortPicker(highlighted: SortPicker.options.firstIndex(of: .wallet)!)))
    }

    @Test func enterSortsByHighlightedKey() {
        var state = Fixtures.state()
        sort(by: .wallet, in: &state)

        #expect(state.mode == .browsing)
        #expect(state.fleet.sort == TableSort(.wallet))
        #expect(iccids(state) == [Fixtures.kiosk.iccid, Fixtures.tracker.iccid, Fixtures.traveler.iccid])
    }

    @Test func capitalSReversesOrder() {
        var state = Fixtures.state()
        sort(by: .wallet, in: &state)
        _ = press([.character("S")], in: &state)

        #expect(state.fleet.sort == TableSort(.wallet, ascending: false))
        #expect(iccids(state) == [Fixtures.traveler.iccid, Fixtures.tracker.iccid, Fixtures.kiosk.iccid])
    }

    @Test func capitalSReversesFirstSeenOrder() {
        var state = Fixtures.state()
        _ = press([.character("S")], in: &state)

        #expect(iccids(state) == [Fixtures.kiosk.iccid, Fixtures.tracker.iccid, Fixtures.traveler.iccid])
    }

    @Test func sortIsStableForEqualKeys() {
        let esims = Fixtures.manySIMs(5)
        var state = Fixtures.state(esims: esims)
        sort(by: .wallet, in: &state)
        #expect(iccids(state) == esims.map(\.iccid))

        _ = press([.character("S")], in: &state)
        #expect(iccids(state) == esims.map(\.iccid))
    }

    @Test func pickerEscCancels() {
        var state = Fixtures.state()
        _ = press([.character("s"), .down, .escape], in: &state)

        #expect(state.mode == .browsing)
        #expect(state.fleet.sort == .firstSeen)
    }

    @Test func selectionFollowsSIMThroughSort() {
        var state = Fixtures.state()
        sort(by: .wallet, in: &state)

        #expect(state.selectedSIM?.iccid == Fixtures.traveler.iccid)
        #expect(state.selectedRow == 2)
    }

    @Test func headingShowsArrowOnSortedColumn() {
        var state = Fixtures.state(width: 120, height: 12)
        sort(by: .wallet, in: &state)
        var lines = DashboardView.render(state, theme: .builtIn).lines()
        #expect(lines[3] == " ICCID                LABEL                              STATUS     WALLET USD▲    BURN/H  ETA $0  CHARGED USD THROTTLE")
        #expect(lines[2] == " Showing all 3 SIMs  sort wallet ▲")

        _ = press([.character("S")], in: &state)
        lines = DashboardView.render(state, theme: .builtIn).lines()
        #expect(lines[3].contains(" WALLET USD▼ "))
        #expect(lines[2] == " Showing all 3 SIMs  sort wallet ▼")
    }

    @Test func sortByHiddenColumnShowsOnlyInHeader() {
        var state = Fixtures.state(width: 80, height: 12)
        sort(by: .charged, in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(!lines[3].contains("▲"))
        #expect(lines[2] == " Showing all 3 SIMs  sort charged ▲")
    }

    @Test func pickerMarksCurrentOrder() {
        var state = Fixtures.state(width: 80, height: 24)
        sort(by: .eta, in: &state)
        _ = press([.character("S"), .character("s")], in: &state)
        let buffer = DashboardView.render(state, theme: .builtIn)
        let lines = buffer.lines()
        let row = lines.firstIndex { $0.contains("time until the wallet reaches $0") }!

        #expect(lines[row].contains("│  time until the wallet reaches $0  (current ▼)"))
        #expect(lines.contains { $0.contains("┌─ Sort by ─") })
        #expect(buffer[12, row].style == Theme.builtIn.promptSelection)
    }

    @Test func pickerScrollsOnShortScreen() {
        var state = Fixtures.state(width: 80, height: 12)
        _ = press([.character("s"), .end], in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines.contains { $0.contains("total charged") })
        #expect(!lines.contains { $0.contains("first seen") })
    }
}
