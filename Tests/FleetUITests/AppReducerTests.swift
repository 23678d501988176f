import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct AppReducerTests {
    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    private func type(_ text: String, in state: inout AppState) {
        for character in text { _ = state.reduce(.key(.character(character))) }
    }

    // MARK: Moving

    @Test func jAndDownMoveSelectionDown() {
        var state = Fixtures.state()
        _ = press([.character("j")], in: &state)
        #expect(state.selectedRow == 1)
        _ = press([.down], in: &state)
        #expect(state.selectedRow == 2)
    }

    @Test func selectionStopsAtLastRow() {
        var state = Fixtures.state()
        _ = press([.down, .down, .down, .down], in: &state)
        #expect(state.selectedRow == 2)
    }

    @Test func kAndUpMoveSelectionUpAndStopAtFirst() {
        var state = Fixtures.state()
        _ = press([.end, .character("k")], in: &state)
        #expect(state.selectedRow == 1)
        _ = press([.up, .up], in: &state)
        #expect(state.selectedRow == 0)
    }

    @Test func pageDownMovesByBodyHeight() {
        var state = Fixtures.state(width: 80, height: 12, esims: Fixtures.manySIMs(50))
        _ = press([.pageDown], in: &state)
        #expect(state.selectedRow == 6)
        #expect(state.scrollTop == 1)
    }

    // MARK: Actions

    @Test func dDisablesSelectedSIM() {
        var state = Fixtures.state()
        let effects = press([.down, .character("d")], in: &state)

        #expect(effects == [.perform(.disable(iccid: Fixtures.tracker.iccid))])
        #expect(state.status == StatusMessage("Disabling \(Fixtures.tracker.iccid)…", kind: .info))
        #expect(state.pendingICCIDs == [Fixtures.tracker.iccid])
    }

    @Test func eEnablesSelectedSIM() {
        var state = Fixtures.state()
        let effects = press([.character("e")], in: &state)
        #expect(effects == [.perform(.enable(iccid: Fixtures.traveler.iccid))])
    }

    @Test func secondActionWaitsForFirst() {
        var state = Fixtures.state()
        _ = press([.character("d")], in: &state)
        let effects = press([.character("e")], in: &state)

        #expect(effects.isEmpty)
        #expect(state.status?.kind == .error)
        #expect(state.status?.text.contains("still in progress") == true)
    }

    @Test func reportUpdatesRowAndStatus() {
        var state = Fixtures.state()
        _ = press([.character("d")], in: &state)
        var suspended = Fixtures.traveler
        suspended.status = .suspended
        let report = OperationReport(outcome: .succeeded, esim: suspended, message: "Disable succeeded for \(suspended.iccid): status suspended.")
        _ = state.reduce(.operationFinished(.disable(iccid: suspended.iccid), report))

        #expect(state.fleet.row(iccid: suspended.iccid)?.status == .suspended)
        #expect(state.status == StatusMessage(report.message, kind: .success))
        #expect(state.pendingICCIDs.isEmpty)
    }

    @Test func failedReportShowsError() {
        var state = Fixtures.state()
        _ = press([.character("e")], in: &state)
        let report = OperationReport(outcome: .failed, esim: nil, message: "Enable failed for 8910300000000000012: ESIM_NOT_FOUND")
        _ = state.reduce(.operationFinished(.enable(iccid: Fixtures.traveler.iccid), report))

        #expect(state.status == StatusMessage(report.message, kind: .error))
        #expect(state.fleet.row(iccid: Fixtures.traveler.iccid)?.status == .active)
    }

    @Test func unknownFundOutcomeIsWarning() {
        var state = Fixtures.state()
        let report = OperationReport(outcome: .unknown, esim: nil, resellerBalance: .dollars(10), message: "may or may not")
        _ = state.reduce(.operationFinished(.fund(iccid: Fixtures.traveler.iccid, amount: .dollars(5), walletBefore: nil), report))

        #expect(state.status?.kind == .warning)
        #expect(state.resellerBalance == .dollars(10))
    }

    @Test func qQuits() {
        var state = Fixtures.state()
        #expect(press([.character("q")], in: &state) == [.quit])
        #expect(state.hasQuit)
    }

    @Test func quitWithActionInFlightSaysItWaits() {
        var state = Fixtures.state()
        _ = press([.character("d")], in: &state)

        #expect(press([.character("q")], in: &state) == [.quit])
        #expect(state.status == StatusMessage("Quitting: waiting up to 5 s for 1 action(s) in flight…", kind: .info))
    }

    @Test func terminationSignalQuits() {
        var state = Fixtures.state()
        #expect(state.reduce(.terminationRequested) == [.quit])
    }

    // MARK: Read-only

    @Test(arguments: ["e", "d", "f", "t"])
    func readOnlyRejectsMutatingKey(key: String) {
        var state = Fixtures.state(readOnly: true)
        let effects = press([.character(Character(key))], in: &state)

        #expect(effects.isEmpty)
        #expect(state.mode == .browsing)
        #expect(state.status?.kind == .error)
        #expect(state.status?.text.hasPrefix("Read-only mode:") == true)
    }

    @Test func readOnlyStillMovesAndQuits() {
        var state = Fixtures.state(readOnly: true)
        _ = press([.down], in: &state)
        #expect(state.selectedRow == 1)
        #expect(press([.character("q")], in: &state) == [.quit])
    }

    // MARK: Fund prompt

    @Test func fOpensFundPromptForSelectedSIM() {
        var state = Fixtures.state()
        _ = press([.down, .character("f")], in: &state)
        #expect(state.mode == .fundPrompt(FundPrompt(iccid: Fixtures.tracker.iccid)))
    }

    @Test func validAmountSendsFundOnce() {
        var state = Fixtures.state()
        _ = press([.character("f")], in: &state)
        type("12.5", in: &state)
        let effects = press([.enter], in: &state)

        #expect(effects == [.perform(.fund(
            iccid: Fixtures.traveler.iccid, amount: Money(cents: 1250), walletBefore: Fixtures.traveler.walletBalance,
            resellerBalanceBefore: Money(cents: 500_000)))])
        #expect(state.mode == .browsing)
        // Enter on the table now opens the detail; it never sends the fund again.
        #expect(press([.enter], in: &state) == [.selectDetail(iccid: Fixtures.traveler.iccid)])
    }

    @Test func badAmountKeepsPromptWithTextAndError() {
        var state = Fixtures.state()
        _ = press([.character("f")], in: &state)
        type("12.345", in: &state)
        let effects = press([.enter], in: &state)

        #expect(effects.isEmpty)
        guard case .fundPrompt(let prompt) = state.mode else {
            Issue.record("The prompt closed after a bad amount")
            return
        }
        #expect(prompt.text == "12.345")
        #expect(prompt.error == MoneyParseError.tooManyDecimals("12.345").description)
        #expect(state.status == StatusMessage("Fund not sent: \(MoneyParseError.tooManyDecimals("12.345").description)", kind: .error))
    }

    @Test func qInsideFundPromptIsText() {
        var state = Fixtures.state()
        _ = press([.character("f"), .character("q")], in: &state)
        #expect(!state.hasQuit)
        #expect(state.mode == .fundPrompt(FundPrompt(iccid: Fixtures.traveler.iccid, text: "q")))
    }

    @Test func backspaceAndCtrlUEditAmount() {
        var state = Fixtures.state()
        _ = press([.character("f")], in: &state)
        type("123", in: &state)
        _ = press([.backspace], in: &state)
        #expect(state.mode == .fundPrompt(FundPrompt(iccid: Fixtures.traveler.iccid, text: "12")))
        _ = press([.character("\u{15}")], in: &state)
        #expect(state.mode == .fundPrompt(FundPrompt(iccid: Fixtures.traveler.iccid, text: "")))
    }

    @Test func escCancelsFundWithoutEffect() {
        var state = Fixtures.state()
        _ = press([.character("f")], in: &state)
        type("5", in: &state)
        let effects = press([.escape], in: &state)

        #expect(effects.isEmpty)
        #expect(state.mode == .browsing)
        #expect(state.status?.text == "Fund cancelled for \(Fixtures.traveler.iccid); nothing was sent.")
    }

    @Test func groupSIMCannotBeFunded() {
        let grouped = ESIM(id: "esim_g", iccid: "8910300000000000053", status: .active, groupID: "grp_1")
        var state = Fixtures.state(esims: [grouped])
        _ = press([.character("f")], in: &state)

        #expect(state.mode == .browsing)
        #expect(state.status?.kind == .error)
    }

    // MARK: Throttle picker

    @Test func tOpensPickerAtCurrentSpeed() {
        var state = Fixtures.state()
        _ = press([.down, .character("t")], in: &state)
        let index = ThrottleSpeed.allCases.firstIndex(of: .kbps500)!
        #expect(state.mode == .throttlePicker(ThrottlePicker(iccid: Fixtures.tracker.iccid, current: .kbps500, highlighted: index)))
    }

    @Test func pickerEnterAppliesHighlightedSpeed() {
        var state = Fixtures.state()
        _ = press([.character("t"), .down, .down], in: &state)
        let effects = press([.enter], in: &state)

        #expect(effects == [.perform(.throttle(iccid: Fixtures.traveler.iccid, speed: ThrottleSpeed.allCases[2]))])
        #expect(state.mode == .browsing)
    }

    @Test func pickerEscCancels() {
        var state = Fixtures.state()
        let effects = press([.character("t"), .down, .escape], in: &state)

        #expect(effects.isEmpty)
        #expect(state.mode == .browsing)
    }

    @Test func pickerStopsAtEnds() {
        var state = Fixtures.state()
        _ = press([.character("t"), .up], in: &state)
        guard case .throttlePicker(let picker) = state.mode else {
            Issue.record("The picker did not open")
            return
        }
        #expect(picker.highlighted == 0)
    }

    // MARK: Too small, resize, batches

    @Test func tooSmallIgnoresKeysButQ() {
        var state = Fixtures.state()
        _ = state.reduce(.resized(width: 40, height: 8))

        #expect(press([.character("d"), .down], in: &state).isEmpty)
        #expect(state.selectedRow == 0)
        #expect(press([.character("q")], in: &state) == [.quit])
    }

    @Test func resizeKeepsSelectionVisible() {
        var state = Fixtures.state(width: 80, height: 30, esims: Fixtures.manySIMs(40))
        _ = press([.end], in: &state)
        _ = state.reduce(.resized(width: 80, height: 12))

        #expect(state.selectedRow == 39)
        #expect(state.scrollTop == 34)
    }

    @Test func removalKeepsSelectionOnSameSIM() {
        var state = Fixtures.state()
        _ = press([.end], in: &state)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(removed: [Fixtures.traveler.iccid])))

        #expect(state.selectedSIM?.iccid == Fixtures.kiosk.iccid)
        #expect(state.selectedRow == 1)
    }

    @Test func removingSelectedLastRowSelectsNewLast() {
        var state = Fixtures.state()
        _ = press([.end], in: &state)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(removed: [Fixtures.kiosk.iccid])))

        #expect(state.selectedSIM?.iccid == Fixtures.tracker.iccid)
    }

    @Test func refreshErrorClearsOnLaterBatch() {
        var state = Fixtures.state()
        _ = state.reduce(.fleetChanged(FleetChangeBatch(refreshError: "Refresh failed: timed out")))
        #expect(state.refreshError == "Refresh failed: timed out")
        _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [Fixtures.kiosk])))
        #expect(state.refreshError == nil)
    }

    @Test func changedSIMKeepsItsRow() {
        var state = Fixtures.state()
        var drained = Fixtures.traveler
        drained.walletBalance = Money(cents: 1_100)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [drained])))

        #expect(state.fleet.row(at: 0)?.iccid == drained.iccid)
        #expect(state.fleet.row(iccid: drained.iccid)?.walletBalance == Money(cents: 1_100))
    }
}

/// Tests that a fund at or above `confirmFundAbove` waits for the ICCID's last 4 digits.
@Suite struct FundConfirmationTests {
    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    private func type(_ text: String, in state: inout AppState) -> [Effect] {
        text.flatMap { state.reduce(.key(.character($0))) }
    }

    private func stateWithLargeAmountEntered(_ amount: String = "4000") -> AppState {
        var state = Fixtures.state()
        _ = press([.character("f")], in: &state)
        _ = type(amount, in: &state)
        return state
    }

    @Test func largeFundAsksForConfirmationAndSendsNothing() {
        var state = stateWithLargeAmountEntered()
        let effects = press([.enter], in: &state)

        #expect(effects.isEmpty)
        #expect(state.pendingICCIDs.isEmpty)
        #expect(state.mode == .fundConfirmation(FundConfirmation(
            iccid: Fixtures.traveler.iccid, amount: .dollars(4000), walletBefore: Fixtures.traveler.walletBalance,
            resellerBalanceBefore: Money(cents: 500_000))))
    }

    @Test func fundAfterUnknownOutcomeNeedsDigits() {
        var state = Fixtures.state()
        let iccid = Fixtures.traveler.iccid
        let lost = OperationRequest.fund(iccid: iccid, amount: .dollars(3), walletBefore: nil, resellerBalanceBefore: nil)
        _ = state.reduce(.operationFinished(lost, OperationReport(outcome: .unknown, esim: nil, message: "unknown", iccid: iccid)))
        #expect(state.fundOutcomeUnknown == [iccid: .dollars(3)])
        // The balance was not read back, so the old figure is dropped rather than shown in confirmations.
        #expect(state.resellerBalance == nil)

        // A small fund to that SIM now waits for the last 4 digits, with a warning.
        _ = press([.character("f")], in: &state)
        _ = type("5", in: &state)
        #expect(press([.enter], in: &state).isEmpty)
        guard case .fundConfirmation(let confirmation) = state.mode else {
            Issue.record("A fund after an unknown outcome was not held for confirmation")
            return
        }
        #expect(confirmation.earlierUnknownFund == .dollars(3))
        let lines = DashboardView.render(state, theme: .builtIn).lines().joined(separator: "\n")
        #expect(lines.contains("An earlier fund of $3.00 to this SIM has an unknown"))

        // Once a later fund succeeds, the SIM is funded as usual again.
        let done = OperationRequest.fund(iccid: iccid, amount: .dollars(5), walletBefore: nil, resellerBalanceBefore: nil)
        _ = state.reduce(.operationFinished(done, OperationReport(outcome: .succeeded, esim: nil, message: "done", iccid: iccid)))
        #expect(state.fundOutcomeUnknown.isEmpty)
    }

    @Test func fundBelowThresholdSendsAtOnce() {
        var state = stateWithLargeAmountEntered("99.99")
        #expect(press([.enter], in: &state) == [.perform(.fund(
            iccid: Fixtures.traveler.iccid, amount: Money(cents: 9_999), walletBefore: Fixtures.traveler.walletBalance,
            resellerBalanceBefore: Money(cents: 500_000)))])
    }

    @Test func thresholdComesFromTheState() {
        var state = Fixtures.state()
        state.confirmFundAbove = .dollars(10)
        _ = press([.character("f")], in: &state)
        _ = type("10", in: &state)
        #expect(press([.enter], in: &state).isEmpty)
        guard case .fundConfirmation = state.mode else {
            Issue.record("A $10 fund with a $10 threshold was not held for confirmation")
            return
        }
    }

    @Test func strayKeysAndEnterDoNotSend() {
        var state = stateWithLargeAmountEntered()
        _ = press([.enter], in: &state)
        // A second Enter, y, and wrong digits never send.
        #expect(press([.enter], in: &state).isEmpty)
        #expect(type("y", in: &state).isEmpty)
        #expect(press([.enter], in: &state).isEmpty)
        _ = press([.backspace], in: &state)
        #expect(type("0013", in: &state).isEmpty)
        #expect(press([.enter], in: &state).isEmpty)
        guard case .fundConfirmation(let confirmation) = state.mode else {
            Issue.record("The confirmation closed after wrong digits")
            return
        }
        #expect(confirmation.error == "\"0013\" does not match the last 4 digits of the ICCID. Type them, or Esc to cancel.")
        #expect(state.pendingICCIDs.isEmpty)
    }

    @Test func lastFourDigitsThenEnterSendsOnce() {
        var state = stateWithLargeAmountEntered()
        _ = press([.enter], in: &state)
        _ = type(String(Fixtures.traveler.iccid.suffix(4)), in: &state)
        let effects = press([.enter], in: &state)

        #expect(effects == [.perform(.fund(
            iccid: Fixtures.traveler.iccid, amount: .dollars(4000), walletBefore: Fixtures.traveler.walletBalance,
            resellerBalanceBefore: Money(cents: 500_000)))])
        #expect(state.mode == .browsing)
        #expect(press([.enter], in: &state) == [.selectDetail(iccid: Fixtures.traveler.iccid)])
    }

    @Test func escCancelsAndSendsNothing() {
        var state = stateWithLargeAmountEntered()
        _ = press([.enter], in: &state)
        _ = type("00", in: &state)
        #expect(press([.escape], in: &state).isEmpty)
        #expect(state.mode == .browsing)
        #expect(state.pendingICCIDs.isEmpty)
        #expect(state.status?.text == "Fund of $4,000.00 to \(Fixtures.traveler.iccid) cancelled; nothing was sent.")
    }

    @Test func confirmationShowsAmountSIMAndBeforeAfter() {
        var state = stateWithLargeAmountEntered()
        _ = press([.enter], in: &state)
        let text = DashboardView.render(state, theme: .builtIn).lines().joined(separator: "\n")
        #expect(text.contains("Send $4,000.00 to \(Fixtures.traveler.iccid)?"))
        #expect(text.contains("Wallet $12.50 → $4,012.50"))
        #expect(text.contains("Reseller balance $5,000.00 → $1,000.00"))
        #expect(text.contains("Last 4 digits of the ICCID: _"))
        #expect(text.contains("Enter sends the fund once. Esc cancels."))
    }

    @Test func lostFundResponseSaysReadingBack() {
        var state = Fixtures.state()
        _ = press([.character("f")], in: &state)
        _ = type("3", in: &state)
        _ = press([.enter], in: &state)
        #expect(state.status?.text == "Funding $3.00 to \(Fixtures.traveler.iccid)…")

        // A lost response of a SIM with no fund in flight changes nothing.
        _ = state.reduce(.fundResponseLost(iccid: Fixtures.tracker.iccid))
        #expect(state.status?.text == "Funding $3.00 to \(Fixtures.traveler.iccid)…")
        _ = state.reduce(.fundResponseLost(iccid: Fixtures.traveler.iccid))
        #expect(state.status == StatusMessage(
            "Fund of $3.00 to \(Fixtures.traveler.iccid): no response; outcome unknown. Reading the SIM and the reseller balance back…",
            kind: .warning))

        let request = OperationRequest.fund(
            iccid: Fixtures.traveler.iccid, amount: .dollars(3), walletBefore: Fixtures.traveler.walletBalance,
            resellerBalanceBefore: Money(cents: 500_000))
        _ = state.reduce(.operationFinished(request, OperationReport(outcome: .unknown, esim: nil, message: "final")))
        _ = state.reduce(.tick(Fixtures.now.addingTimeInterval(40)))
        #expect(state.status?.text == "final")
    }

    @Test(arguments: [(60, 10), (80, 24)])
    func confirmationFitsSmallScreens(width: Int, height: Int) {
        var state = Fixtures.state(width: width, height: height)
        _ = press([.character("f")], in: &state)
        _ = type("4000", in: &state)
        _ = press([.enter], in: &state)
        let text = DashboardView.render(state, theme: .builtIn).lines().joined(separator: "\n")
        #expect(text.contains("Last 4 digits of the ICCID:"))
        #expect(text.contains("Esc cancels."))
    }
}
