import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct DashboardViewTests {
    private func render(_ state: AppState) -> [String] {
        DashboardView.render(state, theme: .builtIn).lines()
    }

    @Test func headerShowsDemoBadgeBalanceAndSweepAge() {
        let lines = render(Fixtures.state(width: 100, height: 12))

        #expect(lines[0] == " citrus-fleet   DEMO   Reseller $5,000.00 (ETA $0 unknown)                          updated 12s ago")
    }

    @Test func headerShowsTotalsAndView() {
        let lines = render(Fixtures.state(width: 100, height: 12))

        #expect(lines[1] == " 3 SIMs  active 2  suspended 1  low 1  depleted 1  wallets $15.70  spend $0.00/h (2 unknown)")
        #expect(lines[2] == " Showing all 3 SIMs  sort first seen")
    }

    @Test func headerAddsTheBoundOfSlowSIMs() {
        var state = Fixtures.state(width: 120, height: 12)
        // Two hours of readings every 10 minutes in which the traveler's wallet drops one cent.
        for step in 1...12 {
            var reading = Fixtures.traveler
            reading.walletBalance = Money(cents: step < 6 ? 1_250 : 1_249)
            let time = Fixtures.now.addingTimeInterval(Double(step) * 600)
            _ = state.reduce(.tick(time))
            _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [reading], observedAt: time)))
        }
        let lines = render(state)

        #expect(lines[1].hasSuffix("spend $0.00/h + < $0.01/h (1 slow) (1 unknown)"))
    }

    @Test func totalsRowKeepsMostImportantAtEightyColumns() {
        let lines = render(Fixtures.state(width: 80, height: 12))

        #expect(lines[1] == " 3 SIMs  active 2  low 1  depleted 1  wallets $15.70  spend $0.00/h (2 unknown)")
    }

    @Test func lowAndDepletedCountsAreColored() {
        let buffer = DashboardView.render(Fixtures.state(width: 100, height: 12), theme: .builtIn)
        let line = buffer.line(1)
        let low = line.distance(from: line.startIndex, to: line.range(of: "low 1")!.lowerBound)
        let depleted = line.distance(from: line.startIndex, to: line.range(of: "depleted 1")!.lowerBound)

        #expect(buffer[low, 1].style == Theme.builtIn.walletLow)
        #expect(buffer[depleted, 1].style == Theme.builtIn.walletDepleted)
        #expect(buffer[1, 1].style == Theme.builtIn.headerTotals)
    }

    @Test func viewRowShowsFilterCountAndSort() throws {
        var state = Fixtures.state(width: 100, height: 12)
        state.fleet.setQuery(try FleetQuery.parse("status:active"))
        state.fleet.setSort(TableSort(.wallet, ascending: false))
        _ = state.reduce(.tick(Fixtures.now))
        let buffer = DashboardView.render(state, theme: .builtIn)

        #expect(buffer.line(2) == " Showing 2 of 3 SIMs  filter status:active  sort wallet ▼")
        #expect(buffer[30, 2].style == Theme.builtIn.headerFilter)
    }

    @Test func demoBadgeHasItsOwnStyle() {
        let buffer = DashboardView.render(Fixtures.state(width: 100, height: 12), theme: .builtIn)
        #expect(buffer[16, 0].style == Theme.builtIn.demoBadge)
        #expect(buffer[14, 0].style == Theme.builtIn.header)
    }

    @Test func headerWithoutDemoHasNoBadge() {
        var state = Fixtures.state(width: 100, height: 12)
        state.isDemo = false
        #expect(render(state)[0].hasPrefix(" citrus-fleet   Reseller $5,000.00 (ETA $0 unknown)   "))
    }

    @Test func headerShowsRefreshError() {
        var state = Fixtures.state(width: 100, height: 12)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(refreshError: "Refresh failed: connection refused")))
        #expect(render(state)[0] == " citrus-fleet   DEMO   Reseller $5,000.00 (ETA $0 unknown)       Refresh failed: connection refused")
        #expect(DashboardView.render(state, theme: .builtIn)[99, 0].style == Theme.builtIn.headerError)
    }

    @Test func headerShowsUnreachableAPIWithRetry() {
        var state = Fixtures.state(width: 160, height: 12)
        state.timeZone = TimeZone(identifier: "UTC")!
        let health = RefreshHealth.unreachable(
            since: Fixtures.now.addingTimeInterval(-30), failures: 3, lastError: "connection refused",
            nextRetryAt: Fixtures.now.addingTimeInterval(8))
        _ = state.reduce(.fleetChanged(FleetChangeBatch(refreshError: "Refresh failed: connection refused", health: health)))
        let buffer = DashboardView.render(state, theme: .builtIn)

        #expect(buffer.line(0).hasSuffix("   connection refused — API unreachable since 07:59:30, retrying in 8 s (3 failures)"))
        #expect(buffer[159, 0].style == Theme.builtIn.headerError)
    }

    @Test func headerShowsRejectedKeyWithin120Columns() {
        var state = Fixtures.state(width: 120, height: 12)
        state.isDemo = false
        let health = RefreshHealth.keyRejected(host: "citrusmobile.com", code: "INVALID_API_KEY")
        _ = state.reduce(.fleetChanged(FleetChangeBatch(
            refreshError: RefreshHealth.keyRejectedMessage(host: "citrusmobile.com", code: "INVALID_API_KEY"), health: health)))
        let buffer = DashboardView.render(state, theme: .builtIn)

        #expect(buffer.line(0).contains("API key rejected by citrusmobile.com (INVALID_API_KEY). Check CITRUS_API_KEY or the key file."))
        #expect(!buffer.line(0).contains("unreachable"))
        #expect(buffer[20, 0].style == Theme.builtIn.headerError)
    }

    @Test func unreachableCauseComesFirstAndFits() {
        var state = Fixtures.state(width: 120, height: 12)
        state.timeZone = TimeZone(identifier: "UTC")!
        let error = CitrusError.api(
            status: 500, code: .other("INTERNAL_ERROR"), message: "boom", retryAfter: nil, endpoint: "GET /esim/list?page=1")
        let health = RefreshHealth.unreachable(
            since: Fixtures.now, failures: 3, lastError: RefreshHealth.cause(of: error), nextRetryAt: Fixtures.now.addingTimeInterval(4))
        _ = state.reduce(.fleetChanged(FleetChangeBatch(health: health)))

        // The cause comes first, so a narrow header cuts the time and the retry, not the cause.
        #expect(render(state)[0].contains(" INTERNAL_ERROR (HTTP 500): boom — API unreachable since"))
        #expect(!render(state)[0].contains("/esim/list"))
    }

    @Test func retryCountdownUsesWallClock() {
        var state = Fixtures.state(width: 160, height: 12)
        state.timeZone = TimeZone(identifier: "UTC")!
        let health = RefreshHealth.unreachable(
            since: Fixtures.now, failures: 1, lastError: "timed out", nextRetryAt: Fixtures.now.addingTimeInterval(8))
        _ = state.reduce(.fleetChanged(FleetChangeBatch(health: health)))
        // The demo's fleet clock runs ahead; the countdown follows the wall clock.
        _ = state.reduce(.tick(Fixtures.now.addingTimeInterval(600), wall: Fixtures.now.addingTimeInterval(3)))

        #expect(render(state)[0].hasSuffix("timed out — API unreachable since 08:00:00, retrying in 5 s (1 failure)"))
    }

    @Test func headerClearsProblemWhenHealthy() {
        var state = Fixtures.state(width: 100, height: 12)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(refreshError: "Refresh failed: timed out")))
        _ = state.reduce(.fleetChanged(FleetChangeBatch(sweepCompletedAt: Fixtures.now, health: .healthy)))

        #expect(render(state)[0].hasSuffix("updated 0s ago"))
    }

    @Test func headerShowsSweepProgressUntilSweepEnds() {
        var state = Fixtures.state(width: 120, height: 12)
        let progress = SweepProgress(
            pagesRead: 6, simsRead: 1_200, totalSIMs: 100_000, startedAt: Fixtures.now,
            lastSweepSeconds: nil, staleAfterSeconds: 120, budgetPerMinute: 60)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(sweep: progress)))
        // 494 pages of 200 SIMs left at 60 requests per minute: about 8 minutes.
        #expect(render(state)[0] == " citrus-fleet   DEMO   Reseller $5,000.00 (ETA $0 unknown)    sweeping 1,200/100,000, about 8 min left, updated 12s ago")

        _ = state.reduce(.fleetChanged(FleetChangeBatch(sweepCompletedAt: Fixtures.now, sweep: progress)))
        #expect(render(state)[0] == " citrus-fleet   DEMO   Reseller $5,000.00 (ETA $0 unknown)                                               updated 0s ago")
    }

    @Test func smallFleetShowsNoSweepProgress() {
        var state = Fixtures.state(width: 120, height: 12)
        let progress = SweepProgress(
            pagesRead: 1, simsRead: 200, totalSIMs: 242, startedAt: Fixtures.now,
            lastSweepSeconds: nil, staleAfterSeconds: 120, budgetPerMinute: 60)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(sweep: progress)))

        #expect(render(state)[0].hasSuffix("   updated 12s ago"))
    }

    @Test func headerBeforeFirstSweep() {
        let state = AppState(isDemo: true, isReadOnly: false, width: 80, height: 12, now: Fixtures.now)
        let lines = render(state)

        #expect(lines[0] == " citrus-fleet   DEMO   Reseller …                            loading the fleet…")
        #expect(lines[1] == " 0 SIMs  wallets $0.00  spend $0.00/h")
    }

    @Test func statusLineShowsLastResult() {
        var state = Fixtures.state(width: 80, height: 12)
        let report = OperationReport(outcome: .failed, esim: nil, message: "Fund $20.00 failed for 8910300000000000012: reseller balance too low (INSUFFICIENT_BALANCE, HTTP 402)")
        _ = state.reduce(.operationFinished(.fund(iccid: "8910300000000000012", amount: .dollars(20), walletBefore: nil), report))
        let buffer = DashboardView.render(state, theme: .builtIn)

        #expect(buffer.line(10) == " Fund $20.00 failed for 8910300000000000012: reseller balance too low (INSUFFI…")
        #expect(buffer[1, 10].style == Theme.builtIn.statusError)
    }

    @Test func statusLineSanitizesAPIMessage() {
        var state = Fixtures.state(width: 80, height: 12)
        let report = OperationReport(outcome: .failed, esim: nil, message: "Enable failed: \u{1B}[2Jbad\u{202E}txt")
        _ = state.reduce(.operationFinished(.enable(iccid: Fixtures.traveler.iccid), report))

        #expect(render(state)[10] == " Enable failed: ␛[2Jbad\u{FFFD}txt")
    }

    @Test func footerListsKeys() {
        #expect(render(Fixtures.state(width: 140, height: 12))[11]
            == " ↑↓ j/k move   Enter detail   / filter   s sort   f fund   e enable   d disable   t throttle   Space mark   v events   ? help   q quit")
    }

    @Test func narrowFooterKeepsHelpAndQuit() {
        #expect(render(Fixtures.state(width: 80, height: 12))[11]
            == " ↑↓ j/k move   Enter detail   / filter   s sort   f fund   ? help   q quit")
        #expect(render(Fixtures.state(width: 60, height: 12))[11]
            == " ↑↓ j/k move   Enter detail   / filter   ? help   q quit")
    }

    @Test func readOnlyFooterSaysActionsAreOff() {
        #expect(render(Fixtures.state(width: 100, height: 12, readOnly: true))[11]
            == " ↑↓ j/k move   Enter detail   / filter   s sort   read-only e d f t are off   ? help   q quit")
    }

    @Test func fundPromptShowsErrorAndKeepsText() {
        var state = Fixtures.state(width: 80, height: 20)
        _ = state.reduce(.key(.character("f")))
        for character in "abc" { _ = state.reduce(.key(.character(character))) }
        _ = state.reduce(.key(.enter))
        let lines = render(state)

        #expect(lines[5] == " 8910300┌─ Fund 8910300000000000012 ───────────────────────────────────┐   never")
        #expect(lines[6] == " 8910300│ Label: Ana (Lisbon trip)                                     │     now")
        #expect(lines[7] == "        │ Wallet $12.50   Reseller balance $5,000.00                   │")
        #expect(lines[8] == "        │                                                              │")
        #expect(lines[9] == "        │ Amount in USD: abc_                                          │")
        #expect(lines[10] == "        │ Amount \"abc\" is not a number. Type dollars and cents with    │")
        #expect(lines[11] == "        │ digits and one dot, such as 12 or 12.50.                     │")
        #expect(lines[12] == "        │                                                              │")
        #expect(lines[13] == "        │ Enter sends the fund once. Esc cancels.                      │")
        #expect(lines[14] == "        └──────────────────────────────────────────────────────────────┘")
    }

    @Test func throttlePickerMarksCurrentAndHighlighted() {
        var state = Fixtures.state(width: 80, height: 20)
        _ = state.reduce(.key(.down))
        _ = state.reduce(.key(.character("t")))
        _ = state.reduce(.key(.down))
        let buffer = DashboardView.render(state, theme: .builtIn)
        let lines = buffer.lines()

        let rows = lines.filter { $0.contains("│  ") || $0.contains("│ ") }
        #expect(rows.contains { $0.contains(" 500 kbps  (current)") })
        #expect(lines.contains { $0.contains("┌─ Throttle 8910300000000000020 ─") })
        let highlightedRow = lines.firstIndex { $0.contains(" 100 kbps") }!
        #expect(buffer[22, highlightedRow].style == Theme.builtIn.promptSelection)
    }

    @Test func tooSmallTerminalShowsSizeNeeded() {
        var state = Fixtures.state()
        _ = state.reduce(.resized(width: 50, height: 8))
        let lines = render(state)

        #expect(lines == [
            "",
            "",
            " Terminal too small: 50×8. citrus-fleet needs at",
            " least 60×10. Enlarge the window, or press q to",
            " quit.",
            "", "", "",
        ])
    }

    @Test func wholeScreenStaysConsistentWithWideLabels() {
        let labels = ["東京東京東京東京東京東京東京東京東京東京東京", "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀", "a東b京c🚀d"]
        let esims = labels.enumerated().map { index, label in
            ESIM(id: "e\(index)", iccid: "891030000000000006\(index)", status: .active, label: label,
                 walletBalance: .dollars(1), totalDataCharged: .zero)
        }
        for width in 60...90 {
            let buffer = DashboardView.render(Fixtures.state(width: width, height: 12, esims: esims), theme: .builtIn)
            #expect(buffer.isConsistent, "width \(width)")
        }
    }
}
