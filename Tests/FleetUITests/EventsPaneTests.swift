import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct EventsPaneTests {
    private static let utc = TimeZone(identifier: "UTC")!

    private func event(_ kind: FleetEvent.Kind, _ sim: ESIM, seconds: Double, after: Money? = nil, before: Money? = nil) -> FleetEvent {
        FleetEvent(kind: kind, time: Fixtures.now.addingTimeInterval(seconds), iccid: sim.iccid, label: sim.label, before: before, after: after)
    }

    /// Returns a 100×16 state with the pane open and two events: the tracker low, then the traveler funded.
    private func stateWithEvents() -> AppState {
        var state = Fixtures.state(width: 100, height: 16)
        state.timeZone = Self.utc
        _ = state.reduce(.key(.character("v")))
        let events = [
            event(.balanceLow, Fixtures.tracker, seconds: 5, after: Money(cents: 320), before: Money(cents: 510)),
            event(.funded, Fixtures.traveler, seconds: 65, after: Money(cents: 2_250), before: Money(cents: 1_250)),
        ]
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, events: events)))
        return state
    }

    @Test func vTogglesPaneAndShrinksTable() {
        var state = Fixtures.state(width: 100, height: 16)
        #expect(state.layout.tableBodyHeight == 10)
        _ = state.reduce(.key(.character("v")))

        #expect(state.layout.eventsPaneHeight == 3)
        #expect(state.layout.tableBodyHeight == 7)
        _ = state.reduce(.key(.character("v")))
        #expect(state.layout.eventsPaneHeight == 0)
    }

    @Test func paneListsNewestFirst() {
        let lines = DashboardView.render(stateWithEvents(), theme: .builtIn).lines()

        #expect(lines[11] == " Events, newest first (2 kept)   v hides")
        #expect(lines[12] == " 08:01:05 8910300000000000012  Ana (Lisbon trip)  Funded +$10.00. Wallet $22.50.")
        #expect(lines[13] == " 08:00:05 8910300000000000020  GPS tracker 0017   Wallet is low: $3.20.")
    }

    @Test func lowEventUsesLowWalletStyle() {
        let buffer = DashboardView.render(stateWithEvents(), theme: .builtIn)

        #expect(buffer[1, 13].style == Theme.builtIn.walletLow)
        #expect(buffer[1, 12].style == Theme.builtIn.tableRow)
        #expect(buffer[1, 11].style == Theme.builtIn.eventsHeading)
    }

    @Test func labelIsSanitized() {
        var state = Fixtures.state(width: 100, height: 16)
        _ = state.reduce(.key(.character("v")))
        let hostile = FleetEvent(kind: .activated, time: Fixtures.now, iccid: "8910300000000000046", label: "evil\u{1B}[2J\u{202E}")
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, events: [hostile])))
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[12].contains(" 8910300000000000046  evil␛[2J\u{FFFD}          Activated."))
        #expect(!lines.joined().unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test func emptyPaneSaysWhatAppears() {
        var state = Fixtures.state(width: 100, height: 16)
        _ = state.reduce(.key(.character("v")))
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[12].hasPrefix(" No events yet. They appear when a wallet runs low or empty, or a SIM is funded,"))
    }

    @Test func eventOfSelectedSIMShowsBrieflyInStatusLine() {
        let state = stateWithEvents()

        // The traveler is selected; the tracker's event does not reach the status line.
        #expect(state.status?.text == "8910300000000000012 (Ana (Lisbon trip)) funded +$10.00. Wallet $22.50.")
        #expect(state.status?.kind == .info)

        var later = state
        _ = later.reduce(.tick(Fixtures.now.addingTimeInterval(7)))
        #expect(later.status != nil)
        _ = later.reduce(.tick(Fixtures.now.addingTimeInterval(9)))
        #expect(later.status == nil)
    }

    @Test func eventDoesNotHideUnreadError() {
        var state = Fixtures.state()
        let report = OperationReport(outcome: .failed, esim: nil, message: "Fund $5.00 failed for 8910300000000000012: timed out")
        _ = state.reduce(.operationFinished(.fund(iccid: Fixtures.traveler.iccid, amount: .dollars(5), walletBefore: nil), report))
        let low = event(.balanceLow, Fixtures.traveler, seconds: 1, after: Money(cents: 400))
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, events: [low])))

        #expect(state.status?.text == report.message)
        #expect(state.events == [low])
    }

    @Test func lowEventOfSelectedSIMIsWarning() {
        var state = Fixtures.state()
        let low = event(.balanceLow, Fixtures.traveler, seconds: 1, after: Money(cents: 400))
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, events: [low])))

        #expect(state.status?.kind == .warning)
    }

    @Test func oldestEventsAreDropped() {
        var state = Fixtures.state()
        let many = (0..<(AppState.eventsKept + 20)).map { event(.activated, Fixtures.kiosk, seconds: Double($0)) }
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, events: many)))

        #expect(state.events.count == AppState.eventsKept)
        #expect(state.events.last == many.last)
    }
}
