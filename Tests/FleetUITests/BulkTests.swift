import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct BulkReducerTests {
    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    private func type(_ text: String, in state: inout AppState) {
        for character in text { _ = state.reduce(.key(.character(character))) }
    }

    private func handle(_ state: AppState, _ esim: ESIM) -> SIMHandle {
        state.fleet.row(iccid: esim.iccid)!.handle
    }

    private func plan(in state: AppState) -> BulkPlan? {
        if case .bulkConfirmation(let confirmation) = state.mode { return confirmation.plan }
        return nil
    }

    /// Returns the fixture state with the traveler and the tracker marked.
    private func twoMarked() -> AppState {
        var state = Fixtures.state()
        _ = press([.character(" "), .character(" ")], in: &state)
        return state
    }

    // MARK: Marks

    @Test func spaceMarksAndMovesDown() {
        var state = Fixtures.state()
        _ = press([.character(" ")], in: &state)

        #expect(state.marked == [handle(state, Fixtures.traveler)])
        #expect(state.selectedRow == 1)
        #expect(state.markCounts == MarkCounts(total: 1))
    }

    @Test func spaceOnMarkedSIMUnmarks() {
        var state = Fixtures.state()
        _ = press([.character(" "), .character("k"), .character(" ")], in: &state)

        #expect(state.marked.isEmpty)
        #expect(state.markCounts == MarkCounts())
    }

    @Test func pageDownStillMovesByPage() {
        var state = Fixtures.state(width: 80, height: 12, esims: Fixtures.manySIMs(50))
        _ = press([.pageDown], in: &state)

        #expect(state.selectedRow == 6)
        #expect(state.marked.isEmpty)
    }

    @Test func starMarksEveryShownSIM() throws {
        var state = Fixtures.state()
        state.fleet.setQuery(try FleetQuery.parse("tracker"))
        _ = state.reduce(.tick(Fixtures.now))
        _ = press([.character("*")], in: &state)

        #expect(state.marked == [handle(state, Fixtures.tracker)])
        #expect(state.status?.text == "Marked 1 SIM shown; 1 marked.")
    }

    @Test func marksSurviveFilterSortAndSweep() throws {
        var state = twoMarked()
        let before = state.marked
        state.fleet.setQuery(try FleetQuery.parse("kiosk"))
        _ = state.reduce(.tick(Fixtures.now))
        #expect(state.markCounts == MarkCounts(total: 2, hiddenByFilter: 2))

        _ = press([.escape, .character("S")], in: &state)
        var traveler = Fixtures.traveler
        traveler.walletBalance = .dollars(2)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [traveler], observedAt: Fixtures.now)))

        #expect(state.marked == before)
        #expect(state.markCounts == MarkCounts(total: 2))
    }

    @Test func goneSIMKeepsMarkAndIsSkipped() {
        var state = twoMarked()
        _ = state.reduce(.fleetChanged(FleetChangeBatch(removed: [Fixtures.tracker.iccid], observedAt: Fixtures.now)))

        #expect(state.marked.count == 2)
        #expect(state.markCounts.gone == 1)
        #expect(state.markCounts.text == "2 marked (1 gone: skipped)")

        _ = press([.character("e")], in: &state)
        #expect(state.status?.text == "Enable not sent: every marked SIM is skipped (1 gone, 1 already active).")
    }

    @Test func uppercaseUClearsMarks() {
        var state = twoMarked()
        _ = press([.character("U")], in: &state)

        #expect(state.marked.isEmpty)
        #expect(state.status?.text == "Unmarked 2 SIMs.")
    }

    // MARK: Fund and top-up

    @Test func fWithMarksFundsEachSIM() {
        var state = twoMarked()
        _ = press([.character("f")], in: &state)
        #expect(state.mode == .bulkFundPrompt(BulkFundPrompt(markedCount: 2)))

        type("5", in: &state)
        _ = press([.enter], in: &state)
        guard let planned = plan(in: state) else {
            Issue.record("expected the bulk confirmation, got \(state.mode)")
            return
        }
        #expect(planned.items.map(\.iccid) == [Fixtures.traveler.iccid, Fixtures.tracker.iccid])
        #expect(planned.total == .dollars(10))
        #expect(planned.resellerBalanceBefore == .dollars(5000))

        let effects = press([.enter], in: &state)
        #expect(effects == [.startBulk(planned)])
        #expect(state.mode == .browsing)
        #expect(state.status == StatusMessage("Fund 0/2: 0 done, 0 failed · Esc stops after the current SIM", kind: .info))
    }

    @Test func toTargetTopsUpEachWallet() {
        var state = Fixtures.state()
        _ = press([.character("*"), .character("f")], in: &state)
        type("to 12.50", in: &state)
        _ = press([.enter], in: &state)

        let plan = plan(in: state)
        #expect(plan?.action == .topUp(target: Money(cents: 1_250)))
        #expect(plan?.items.map(\.amount) == [Money(cents: 930), Money(cents: 1_250)])
        #expect(plan?.total == Money(cents: 2_180))
        #expect(plan?.skipSummary == "1 already at the target")
    }

    @Test func invalidBulkAmountIsRejected() {
        var state = twoMarked()
        _ = press([.character("f")], in: &state)
        type("to -5", in: &state)
        _ = press([.enter], in: &state)

        guard case .bulkFundPrompt(let prompt) = state.mode else {
            Issue.record("expected the bulk fund prompt, got \(state.mode)")
            return
        }
        #expect(prompt.error == "Top-up target: Amount \"-5\" must be at least $0.01. Type \"to\" and the balance each wallet should reach, such as to 20.")
    }

    @Test func largeTotalNeedsTypedCount() {
        var state = twoMarked()
        _ = press([.character("f")], in: &state)
        type("50", in: &state)
        _ = press([.enter], in: &state)
        guard case .bulkConfirmation(let confirmation) = state.mode else {
            Issue.record("expected the bulk confirmation, got \(state.mode)")
            return
        }
        #expect(confirmation.requiresTypedConfirmation)

        #expect(press([.enter], in: &state).isEmpty)
        type("3", in: &state)
        #expect(press([.enter], in: &state).isEmpty)
        guard case .bulkConfirmation(let rejected) = state.mode else {
            Issue.record("expected the bulk confirmation, got \(state.mode)")
            return
        }
        #expect(rejected.error == "\"3\" is not 2, the number of SIMs. Type it, or Esc to cancel.")

        _ = press([.backspace], in: &state)
        type("2", in: &state)
        #expect(press([.enter], in: &state) == [.startBulk(confirmation.plan)])
    }

    @Test func bulkDisableNeedsTypedCount() {
        var state = twoMarked()
        _ = press([.character("d")], in: &state)

        guard case .bulkConfirmation(let confirmation) = state.mode else {
            Issue.record("expected the bulk confirmation, got \(state.mode)")
            return
        }
        #expect(confirmation.requiresTypedConfirmation)
        #expect(confirmation.plan.items.map(\.iccid) == [Fixtures.traveler.iccid])
        #expect(confirmation.plan.skipSummary == "1 already suspended")
    }

    @Test func escCancelsConfirmationAndSendsNothing() {
        var state = twoMarked()
        _ = press([.character("e")], in: &state)
        let effects = press([.escape], in: &state)

        #expect(effects.isEmpty)
        #expect(state.mode == .browsing)
        #expect(state.bulkRun == nil)
        #expect(state.status?.text == "Enable of 1 SIM cancelled; nothing was sent.")
    }

    @Test func confirmationScrollsByLineAndPage() {
        var state = Fixtures.state(esims: Fixtures.manySIMs(30))
        _ = press([.character("*"), .character("t"), .end, .enter], in: &state)
        _ = press([.pageDown, .pageDown, .down, .pageUp], in: &state)

        guard case .bulkConfirmation(let confirmation) = state.mode else {
            Issue.record("expected the bulk confirmation, got \(state.mode)")
            return
        }
        #expect(confirmation.scroll == 11)
        #expect(confirmation.plan.items.count == 30)
    }

    @Test func tWithMarksThrottlesThemAll() {
        var state = twoMarked()
        _ = press([.character("t"), .home, .enter], in: &state)

        #expect(plan(in: state)?.action == .throttle(.noLimit))
        #expect(plan(in: state)?.items.map(\.iccid) == [Fixtures.tracker.iccid])
        #expect(plan(in: state)?.skipSummary == "1 already at that speed")
        #expect(press([.enter], in: &state).count == 1)
    }

    @Test func readOnlyTurnsBulkActionsOff() {
        var state = Fixtures.state(readOnly: true)
        _ = press([.character(" "), .character("f")], in: &state)

        #expect(state.mode == .browsing)
        #expect(state.status?.kind == .error)
        #expect(state.status?.text.hasPrefix("Read-only mode: fund is turned off.") == true)
    }

    // MARK: Running

    private func running() -> (AppState, BulkPlan) {
        var state = twoMarked()
        _ = press([.character("f")], in: &state)
        type("5", in: &state)
        _ = press([.enter], in: &state)
        let plan = plan(in: state)!
        _ = press([.enter], in: &state)
        return (state, plan)
    }

    private func progress(_ plan: BulkPlan, index: Int, outcome: OperationReport.Outcome, succeeded: Int, failed: Int) -> BulkProgress {
        var esim = Fixtures.traveler
        esim.walletBalance = Money(cents: 1_750)
        let report = OperationReport(
            outcome: outcome, esim: outcome == .succeeded ? esim : nil, resellerBalance: .dollars(4995),
            message: outcome == .unknown ? "Fund of $5.00 to \(plan.items[index].iccid): no response; outcome unknown." : "done",
            iccid: plan.items[index].iccid)
        return BulkProgress(
            action: plan.action, plannedCount: plan.items.count, succeededCount: succeeded, failedCount: failed,
            item: plan.items[index], report: report)
    }

    @Test func progressShowsCountsAndRecordsSIM() {
        var (state, plan) = running()
        _ = state.reduce(.bulkProgress(progress(plan, index: 0, outcome: .succeeded, succeeded: 1, failed: 0)))

        #expect(state.status == StatusMessage("Fund 1/2: 1 done, 0 failed · Esc stops after the current SIM", kind: .info))
        #expect(state.fleet.row(iccid: Fixtures.traveler.iccid)?.walletBalance == Money(cents: 1_750))
        #expect(state.resellerBalance == .dollars(4995))
    }

    @Test func bulkFundSkipsSIMWithUnknownOutcome() {
        var (state, first) = running()
        _ = state.reduce(.bulkProgress(progress(first, index: 0, outcome: .unknown, succeeded: 0, failed: 0)))
        _ = state.reduce(.bulkFinished(BulkSummary(action: first.action, plannedCount: 2, skipped: [])))
        state.mode = .browsing
        #expect(state.fundOutcomeUnknown[first.items[0].iccid] == .dollars(5))

        // The same top-up again leaves that SIM out, with the reason.
        _ = press([.character("f")], in: &state)
        type("to 20", in: &state)
        _ = press([.enter], in: &state)
        let again = plan(in: state)
        #expect(again?.items.map(\.iccid).contains(first.items[0].iccid) == false)
        #expect(again?.skipped.contains(BulkSkip(iccid: first.items[0].iccid, reason: .fundOutcomeUnknown)) == true)

        // Actions that move no money are not affected.
        #expect(BulkPlan(action: .disable, sims: [state.fleet.row(iccid: first.items[0].iccid)!], resellerBalance: nil,
                         fundOutcomeUnknown: [first.items[0].iccid]).items.count == 1)
    }

    @Test func silentBulkFundSaysResponseIsLost() {
        var (state, plan) = running()
        _ = state.reduce(.bulkItemSent(plan.items[0]))
        _ = state.reduce(.fundResponseLost(iccid: plan.items[0].iccid))

        #expect(state.status == StatusMessage(
            "Fund of $5.00 to \(plan.items[0].iccid): no response; outcome unknown. Reading the SIM and the reseller balance back…",
            kind: .warning))

        _ = state.reduce(.bulkProgress(progress(plan, index: 0, outcome: .unknown, succeeded: 0, failed: 0)))
        #expect(state.fundsInFlight.isEmpty)
        #expect(state.status?.text == "Fund of $5.00 to \(plan.items[0].iccid): no response; outcome unknown.")
    }

    @Test func escDuringRunStopsAfterCurrentSIM() {
        var (state, _) = running()
        let effects = press([.escape], in: &state)

        #expect(effects == [.stopBulk])
        #expect(state.status?.text == "Fund 0/2: 0 done, 0 failed · stopping after the current SIM…")
        #expect(press([.escape], in: &state).isEmpty)
    }

    @Test func singleActionWaitsForRun() {
        var (state, _) = running()
        _ = press([.character("U"), .character("e")], in: &state)

        #expect(state.status?.text == "A bulk fund is running. Wait for its summary, or press Esc to stop it, before you enable a SIM.")
        #expect(state.pendingICCIDs.isEmpty)
    }

    @Test func quitDuringRunStopsIt() {
        var (state, _) = running()
        let effects = press([.character("q")], in: &state)

        #expect(effects == [.stopBulk, .quit])
        #expect(state.status?.text == "Quitting: the bulk fund stops after the current SIM; waiting up to 5 s for it…")
    }

    @Test func finishedRunOpensSummary() {
        var (state, plan) = running()
        var summary = BulkSummary(action: plan.action, plannedCount: 2, skipped: [])
        summary.succeeded = [BulkOutcome(iccid: plan.items[0].iccid, outcome: .succeeded, amount: .dollars(5), errorCode: nil, message: "done")]
        summary.failed = [BulkOutcome(
            iccid: plan.items[1].iccid, outcome: .failed, amount: .dollars(5), errorCode: "INSUFFICIENT_BALANCE", message: "failed")]
        _ = state.reduce(.bulkFinished(summary))

        #expect(state.bulkRun == nil)
        #expect(state.mode == .bulkSummary(summary, scroll: 0))
        #expect(state.status == StatusMessage("Fund finished: 1 done, 1 failed.", kind: .error))
        _ = press([.escape], in: &state)
        #expect(state.mode == .browsing)
    }

    @Test func unknownProgressWarns() {
        var (state, plan) = running()
        _ = state.reduce(.bulkProgress(progress(plan, index: 0, outcome: .unknown, succeeded: 0, failed: 0)))

        #expect(state.status?.kind == .warning)
        #expect(state.status?.text == "Fund of $5.00 to \(plan.items[0].iccid): no response; outcome unknown.")
    }

    @Test func bulkItemMapsToFundRequest() {
        let item = BulkItem(iccid: Fixtures.traveler.iccid, amount: Money(cents: 750), walletBefore: .dollars(1), resellerBalanceBefore: .dollars(9))
        #expect(OperationRequest(item, action: .topUp(target: .dollars(20))) == .fund(
            iccid: Fixtures.traveler.iccid, amount: Money(cents: 750), walletBefore: .dollars(1), resellerBalanceBefore: .dollars(9)))
    }
}

@Suite struct BulkViewTests {
    private func render(_ state: AppState) -> [String] {
        DashboardView.render(state, theme: .builtIn).lines()
    }

    private func twoMarked(width: Int = 100, height: Int = 12) -> AppState {
        var state = Fixtures.state(width: width, height: height)
        _ = state.reduce(.key(.character(" ")))
        _ = state.reduce(.key(.character(" ")))
        return state
    }

    @Test func markedRowsShowGutterMark() {
        let lines = render(twoMarked())

        #expect(lines[4].hasPrefix("*8910300000000000012 "))
        #expect(lines[5].hasPrefix("*8910300000000000020 "))
        #expect(lines[6].hasPrefix(" 89103000000000000038"))
    }

    @Test func headerAndFooterCountMarks() {
        let lines = render(twoMarked())

        #expect(lines[2] == " Showing all 3 SIMs  sort first seen  2 marked")
        #expect(lines[11] == " 2 marked    Space mark   * mark shown   U unmark all   e d f t act on the marked   ? help   q quit")
    }

    @Test func footerSaysGoneMarksAreSkipped() {
        var state = twoMarked()
        _ = state.reduce(.fleetChanged(FleetChangeBatch(removed: [Fixtures.tracker.iccid], observedAt: Fixtures.now)))
        let lines = render(state)

        #expect(lines[11].hasPrefix(" 2 marked (1 gone: skipped)    Space mark"))
    }

    @Test func confirmationShowsAmountsTotalAndBalances() {
        var state = twoMarked(width: 100, height: 16)
        _ = state.reduce(.key(.character("f")))
        for character in "to 20" { _ = state.reduce(.key(.character(character))) }
        _ = state.reduce(.key(.enter))
        let lines = render(state)

        #expect(lines[4] == "*89103000000│ Top up each wallet to $20.00: 2 SIMs.                                    │50 none")
        #expect(lines[5] == "*89103000000│ 8910300000000000012  +$7.50  wallet $12.50 → $20.00                      │56 500k")
        #expect(lines[6] == " 89103000000│ 8910300000000000020  +$16.80  wallet $3.20 → $20.00                      │00 5000k")
        #expect(lines[7] == "            │                                                                          │")
        #expect(lines[8] == "            │ Total $24.30 for 2 SIMs                                                  │")
        #expect(lines[9] == "            │ Reseller balance $5,000.00 → $4,975.70                                   │")
        #expect(lines[10] == "            │ Enter sends each SIM once, one at a time. Esc cancels.                   │")
    }

    @Test func typedConfirmationShowsCountField() {
        var state = twoMarked(width: 100, height: 16)
        _ = state.reduce(.key(.character("d")))
        _ = state.reduce(.key(.character("7")))
        _ = state.reduce(.key(.enter))
        let lines = render(state)

        #expect(lines.contains("            │ Type 1, the number of SIMs: 7_                                           │"))
        #expect(lines.contains("            │ \"7\" is not 1, the number of SIMs. Type it, or Esc to cancel.             │"))
        #expect(lines[15] == " 1, Enter start   ↑↓ PgUp PgDn scroll   Esc cancel")
    }

    @Test func summaryListsFailuresAndUnknown() {
        var state = Fixtures.state(width: 100, height: 16)
        var summary = BulkSummary(action: .topUp(target: .dollars(20)), plannedCount: 5, skipped: [BulkSkip(iccid: Fixtures.kiosk.iccid, reason: .terminated)])
        summary.succeeded = [BulkOutcome(iccid: Fixtures.traveler.iccid, outcome: .succeeded, amount: .dollars(5), errorCode: nil, message: "done")]
        summary.failed = [BulkOutcome(iccid: Fixtures.tracker.iccid, outcome: .failed, amount: .dollars(5), errorCode: "INSUFFICIENT_BALANCE", message: "failed")]
        summary.unknown = BulkOutcome(iccid: "8910300000000000046", outcome: .unknown, amount: .dollars(5), errorCode: nil,
                                      message: "Fund of $5.00 to 8910300000000000046: no response; outcome unknown.")
        summary.notAttemptedCount = 2
        summary.fundedTotal = .dollars(5)
        state.mode = .bulkSummary(summary, scroll: 0)
        let content = BulkSummaryView.lines(summary, width: 72, theme: .builtIn).map(\.0)

        #expect(content == [
            "Done 1   Skipped 1   Failed 1   Unknown 1   Not attempted 2",
            "Funded $5.00 in total.",
            "",
            "Fund of $5.00 to 8910300000000000046: no response; outcome unknown.",
            "The run stopped at this SIM: 2 SIMs not attempted.",
            "",
            "Failed:",
            "8910300000000000020  INSUFFICIENT_BALANCE",
            "",
            "Skipped, never sent: 1 terminated.",
        ])
        #expect(render(state).contains { $0.contains("┌─ Top-up stopped ─") })
    }

    @Test func summaryNamesUnreachableCause() {
        var summary = BulkSummary(action: .disable, plannedCount: 3, skipped: [])
        let failure = BulkOutcome(
            iccid: Fixtures.tracker.iccid, outcome: .failed, amount: nil, errorCode: nil,
            message: "Disable failed for \(Fixtures.tracker.iccid): POST /esim/\(Fixtures.tracker.iccid)/disable failed before the request was sent: …",
            reason: "no connection to 127.0.0.1:9 within 10 s (connect timeout)")
        summary.failed = [failure]
        summary.stoppedUnreachable = failure
        summary.notAttemptedCount = 2
        let content = BulkSummaryView.lines(summary, width: 72, theme: .builtIn).map(\.0)

        #expect(content == [
            "Done 0   Skipped 0   Failed 1   Not attempted 2",
            "",
            "Citrus could not be reached (no connection to 127.0.0.1:9 within 10 s",
            "(connect timeout)), so the run stopped: 2 SIMs not attempted. Check the",
            "connection, then run it again.",
            "",
            "Failed:",
            "8910300000000000020  no connection to 127.0.0.1:9 within 10 s (connect",
            "                     timeout)",
        ])
    }

    @Test func progressShowsInStatusLine() {
        var state = twoMarked()
        state.bulkRun = BulkRunState(action: .topUp(target: .dollars(20)), plannedCount: 37)
        state.bulkRun?.succeededCount = 11
        state.bulkRun?.failedCount = 1
        state.status = StatusMessage(state.bulkRun!.statusText, kind: .info)
        let lines = render(state)

        #expect(lines[10] == " Top-up 12/37: 11 done, 1 failed · Esc stops after the current SIM")
        #expect(lines[11] == " Esc stop after the current SIM   ↑↓ j/k move   Space mark   v events   ? help   q quit")
    }
}
