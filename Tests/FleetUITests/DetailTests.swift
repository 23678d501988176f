import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct DetailTests {
    /// The traveler as `GET /esim/{iccid}` returns it, with every field.
    static let travelerDetail: ESIM = {
        var esim = Fixtures.traveler
        esim.lpaString = "LPA:1$smdp.example.com$ABC-123"
        esim.directInstallURL = "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$smdp.example.com$ABC-123"
        esim.qrCode = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="
        esim.euiccState = .enabled
        esim.endUserReference = "EMP-0042"
        esim.activatedAt = Fixtures.now.addingTimeInterval(-86_400)
        esim.createdAt = Fixtures.now.addingTimeInterval(-172_800)
        return esim
    }()

    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    private func openState(width: Int = 100, height: Int = 30) -> AppState {
        var state = Fixtures.state(width: width, height: height)
        state.timeZone = TimeZone(identifier: "UTC")!
        _ = press([.enter], in: &state)
        return state
    }

    @Test func enterOpensDetailAndSelectsIt() {
        var state = Fixtures.state()
        let effects = press([.down, .enter], in: &state)

        #expect(effects == [.selectDetail(iccid: Fixtures.tracker.iccid)])
        #expect(state.detailICCID == Fixtures.tracker.iccid)
    }

    @Test func escAndQCloseDetailWithoutQuitting() {
        var state = openState()
        #expect(press([.escape], in: &state) == [.selectDetail(iccid: nil)])
        #expect(state.detailICCID == nil)

        _ = press([.enter], in: &state)
        #expect(press([.character("q")], in: &state) == [.selectDetail(iccid: nil)])
        #expect(!state.hasQuit)
        #expect(state.detailICCID == nil)
    }

    @Test func detailBatchOfOpenSIMIsKept() {
        var state = openState()
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, detail: Self.travelerDetail)))
        #expect(state.detail == Self.travelerDetail)

        var other = Fixtures.kiosk
        other.lpaString = "LPA:1$other"
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, detail: other)))
        #expect(state.detail == Self.travelerDetail)
    }

    @Test func actionKeysActOnDetailSIM() {
        var state = openState()
        _ = press([.escape, .down, .enter], in: &state)

        #expect(press([.character("d")], in: &state) == [.perform(.disable(iccid: Fixtures.tracker.iccid))])
    }

    @Test func readOnlyDetailRejectsActions() {
        var state = Fixtures.state(readOnly: true)
        _ = press([.enter], in: &state)

        #expect(press([.character("e")], in: &state).isEmpty)
        #expect(state.status?.text.hasPrefix("Read-only mode:") == true)
    }

    @Test func detailShowsEveryField() {
        var state = openState()
        // The refresh loop records the read in its store and sends it whole as `detail`.
        let batch = FleetChangeBatch(changed: [Self.travelerDetail], observedAt: Fixtures.now, detail: Self.travelerDetail)
        _ = state.reduce(.fleetChanged(batch))
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(Array(lines[3...21]) == [
            " SIM 8910300000000000012   Esc closes",
            " Label                Ana (Lisbon trip)",
            " End-user reference   EMP-0042",
            " Group                —",
            " Status               active",
            " eUICC state          ENABLED",
            " Wallet               ≥ $12.50 (Citrus rounds wallets down to the cent)",
            " Total charged        $7.50",
            " Burn rate            unknown",
            " Wallet below $5.00   unknown",
            " Wallet at $0.00      unknown",
            " Throttle             no limit",
            " Activated            2027-01-14 08:00:00",
            " Created              2027-01-13 08:00:00",
            " Last seen            2027-01-15 08:00:00 (0s ago)",
            " LPA string           LPA:1$smdp.example.com$ABC-123",
            " Install URL          https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$smdp.exam",
            "                      ple.com$ABC-123",
            " QR code              PNG image as a data URL, 46 bytes (the LPA string above is its content)",
        ])
        #expect(lines[29] == " Esc q close   ↑↓ j/k scroll   e enable   d disable   f fund   t throttle   ? help")
    }

    @Test func detailBeforeFirstReadSaysItIsReading() {
        let lines = DashboardView.render(openState(), theme: .builtIn).lines()

        #expect(lines[18] == " LPA string           reading through the interactive lane…")
    }

    @Test func detailListsWalletReadingsNewestFirst() {
        var state = openState()
        for step in 1...2 {
            var drained = Fixtures.traveler
            drained.walletBalance = Money(cents: 1_250 - Int64(step) * 50)
            let time = Fixtures.now.addingTimeInterval(Double(step) * 600 - 12)
            _ = state.reduce(.tick(time))
            _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [drained], observedAt: time)))
        }
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[11] == " Burn rate            $3.00/h (± $0.15/h)")
        #expect(lines[13] == " Wallet at $0.00      in 3h35m (11:54:48)")
        let readings = lines.firstIndex { $0.hasPrefix(" Wallet readings") }!
        #expect(Array(lines[(readings + 1)...(readings + 3)]) == [
            "   08:19:48           $11.50",
            "   08:09:48           $12.00",
            "   07:59:48           $12.50",
        ])
    }

    @Test func hostileFieldsAreSanitized() {
        var hostile = Self.travelerDetail
        hostile.label = "evil\u{1B}[2J"
        hostile.lpaString = "LPA:1$\u{202E}x"
        var state = Fixtures.state(width: 100, height: 30, esims: [hostile])
        _ = press([.enter], in: &state)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, detail: hostile)))
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[4] == " Label                evil␛[2J")
        #expect(lines[18] == " LPA string           LPA:1$\u{FFFD}x")
        #expect(!lines.joined().unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test func scrollStopsAtLastLine() {
        var state = openState(width: 80, height: 12)
        _ = press(Array(repeating: .down, count: 60), in: &state)
        let maximum = DetailView.maximumScroll(state)

        #expect(maximum > 0)
        #expect(state.detailScroll == maximum)
        _ = press([.up], in: &state)
        #expect(state.detailScroll == maximum - 1)
    }
}
