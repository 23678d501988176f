import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct FleetTableViewTests {
    private func render(_ state: AppState) -> [String] {
        var buffer = ScreenBuffer(width: state.layout.width, height: state.layout.height)
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)
        return buffer.lines()
    }

    /// Returns the first screen column of `column` at `width`.
    private func start(of column: TableColumns.Column, width: Int) -> Int {
        let columns = TableColumns.fitting(width: width)
        var x = 1
        for shown in columns.shown {
            if shown == column { return x }
            x += columns.width(of: shown) + 1
        }
        return -1
    }

    /// Returns the traveler after three readings 10 minutes apart, each $0.50
    /// lower: a burn rate of $3.00 per hour of the fleet clock.
    private func drainingState(width: Int = 120) -> AppState {
        var state = Fixtures.state(width: width, height: 10)
        for step in 1...2 {
            var drained = Fixtures.traveler
            drained.walletBalance = Money(cents: 1_250 - Int64(step) * 50)
            let time = Fixtures.now.addingTimeInterval(Double(step) * 600 - 12)
            _ = state.reduce(.tick(time))
            _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [drained], observedAt: time)))
        }
        return state
    }

    @Test func threeSIMsAt120Columns() {
        let lines = render(Fixtures.state(width: 120, height: 10))

        #expect(lines[3] == " ICCID                LABEL                              STATUS      WALLET USD    BURN/H  ETA $0  CHARGED USD THROTTLE")
        #expect(lines[4] == " 8910300000000000012  Ana (Lisbon trip)                  active           12.50   unknown unknown         7.50 none")
        #expect(lines[5] == " 8910300000000000020  GPS tracker 0017                   suspended         3.20         —   never     1,234.56 500k")
        #expect(lines[6] == " 89103000000000000038 Kiosk 東京 station                 active            0.00   unknown     now        20.00 5000k")
        #expect(lines[7] == "")
    }

    @Test func eightyColumnsDropChargedAndThrottle() {
        let lines = render(Fixtures.state(width: 80, height: 10))

        #expect(lines[3] == " ICCID                LABEL             STATUS      WALLET USD    BURN/H  ETA $0")
        #expect(lines[4] == " 8910300000000000012  Ana (Lisbon trip) active           12.50   unknown unknown")
        #expect(lines[6] == " 89103000000000000038 Kiosk 東京 stati… active            0.00   unknown     now")
    }

    @Test func sixtyColumnsKeepETAOverBurn() {
        let lines = render(Fixtures.state(width: 60, height: 10))

        #expect(lines[3] == " ICCID                LABEL   STATUS      WALLET USD  ETA $0")
        #expect(lines[4] == " 8910300000000000012  Ana (L… active           12.50 unknown")
        #expect(lines[6] == " 89103000000000000038 Kiosk … active            0.00     now")
    }

    @Test func labelTruncatesAtWideGlyphBoundary() {
        // At 72 columns the label column is 9 wide: "Kiosk 東" is 8 columns,
        // and "京" would straddle the ellipsis, so it is dropped whole.
        let lines = render(Fixtures.state(width: 72, height: 10))

        #expect(lines[6].contains(" Kiosk 東… "))
    }

    @Test func burnRateAndETAFromHistory() {
        let lines = render(drainingState())

        // $0.50 per 10 minutes is $3.00/h. From $11.50 that is 3h50m to $0,
        // less the 15 minutes Citrus readings lag behind usage.
        #expect(lines[4] == " 8910300000000000012  Ana (Lisbon trip)                  active           11.50   $3.00/h   3h35m         7.50 none")
    }

    @Test func groupSIMShowsNoWalletFigures() {
        let grouped = ESIM(id: "esim_g", iccid: "8910300000000000053", status: .active, label: "Group member", groupID: "grp_1")
        let lines = render(Fixtures.state(width: 120, height: 10, esims: [grouped]))

        #expect(lines[4] == " 8910300000000000053  Group member                       active           group         —       —        group none")
    }

    @Test func staleRowIsDimmed() {
        var state = Fixtures.state(width: 120, height: 10)
        let progress = SweepProgress(
            pagesRead: 1, simsRead: 1, totalSIMs: 3, startedAt: Fixtures.now,
            lastSweepSeconds: 60, staleAfterSeconds: 600, budgetPerMinute: 60)
        let later = Fixtures.now.addingTimeInterval(900)
        _ = state.reduce(.tick(later))
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: later, unchanged: [Fixtures.tracker.iccid], sweep: progress)))
        var buffer = ScreenBuffer(width: 120, height: 10)
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)

        // The traveler (screen row 4) is selected; the kiosk (screen row 6) was last seen 15 minutes ago.
        #expect(buffer[1, 6].style == Theme.builtIn.tableStale)
        #expect(buffer[1, 5].style == Theme.builtIn.tableRow)
    }

    @Test func goneRowIsMarked() throws {
        var state = Fixtures.state(width: 120, height: 10)
        let removed = [Fixtures.tracker.iccid, Fixtures.kiosk.iccid]
        _ = state.reduce(.fleetChanged(FleetChangeBatch(removed: removed, sweepCompletedAt: Fixtures.now)))
        #expect(!render(state).joined().contains(Fixtures.tracker.iccid))

        state.fleet.setQuery(try FleetQuery.parse("gone"))
        _ = state.reduce(.tick(Fixtures.now))
        var buffer = ScreenBuffer(width: 120, height: 10)
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)

        #expect(buffer.line(4) == " 8910300000000000020  GPS tracker 0017                   gone              3.20         —   never     1,234.56 500k")
        #expect(buffer[start(of: .status, width: 120), 5].style == Theme.builtIn.esimGone)
        #expect(buffer[1, 5].style == Theme.builtIn.tableStale)
    }

    @Test func selectedRowUsesSelectionStyle() {
        var state = Fixtures.state(width: 120, height: 12)
        _ = state.reduce(.key(.down))
        var buffer = ScreenBuffer(width: 120, height: 12)
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)

        #expect(buffer[0, 5].style == Theme.builtIn.tableSelection)
        #expect(buffer[119, 5].style == Theme.builtIn.tableSelection)
        #expect(buffer[0, 4].style == Theme.builtIn.tableRow)
    }

    @Test func walletsBelowLowMarkAndAtZeroAreColored() {
        var buffer = ScreenBuffer(width: 120, height: 12)
        var state = Fixtures.state(width: 120, height: 12)
        _ = state.reduce(.key(.down))
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)
        let walletEnd = start(of: .wallet, width: 120) + TableColumns.Column.wallet.fixedWidth - 1

        #expect(buffer[walletEnd, 4].style == Theme.builtIn.tableRow)
        #expect(buffer[walletEnd, 6].style == Theme.builtIn.walletDepleted)
        _ = state.reduce(.key(.end))
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)
        #expect(buffer[walletEnd, 5].style == Theme.builtIn.walletLow)
    }

    @Test func lowWalletMarkComesFromSettings() {
        var buffer = ScreenBuffer(width: 120, height: 12)
        var state = Fixtures.state(width: 120, height: 12, metrics: MetricsConfiguration(lowWalletThreshold: .dollars(15)))
        _ = state.reduce(.key(.end))
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)
        let walletEnd = start(of: .wallet, width: 120) + TableColumns.Column.wallet.fixedWidth - 1

        #expect(buffer[walletEnd, 4].style == Theme.builtIn.walletLow)
    }

    @Test func controlCharactersInLabelAreShownAsPlaceholders() {
        let hostile = ESIM(
            id: "esim_x", iccid: "8910300000000000046", status: .active,
            label: "evil\u{1B}[2J\u{202E}txt", walletBalance: .dollars(1), totalDataCharged: .zero)
        let lines = render(Fixtures.state(width: 120, height: 10, esims: [hostile]))

        #expect(lines[4].hasPrefix(" 8910300000000000046  evil␛[2J\u{FFFD}txt "))
        #expect(!lines.joined().unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test func emptyFleetBeforeFirstSweepSaysLoading() {
        let state = AppState(isDemo: true, isReadOnly: false, width: 80, height: 10, now: Fixtures.now)

        #expect(render(state)[4] == " Loading the fleet…")
    }

    @Test func scrollingKeepsSelectionVisible() {
        var state = Fixtures.state(width: 80, height: 12, esims: Fixtures.manySIMs(20))
        for _ in 0..<9 { _ = state.reduce(.key(.character("j"))) }
        let lines = render(state)

        // 6 body rows (12 − 3 header rows, headings, status, footer); row 9 is the last visible.
        #expect(state.scrollTop == 4)
        #expect(lines[4].hasPrefix(" 8910300000000000004 "))
        #expect(lines[9].hasPrefix(" 8910300000000000009 "))
    }

    @Test func columnsFitEveryWidthFromMinimum() {
        for width in ScreenLayout.minimumWidth...200 {
            let columns = TableColumns.fitting(width: width)
            let used = columns.shown.reduce(1) { $0 + columns.width(of: $1) } + columns.shown.count - 1
            #expect(used == width, "width \(width)")
            #expect(columns.labelWidth >= TableColumns.minimumLabelWidth, "width \(width)")
        }
    }
}
