import CitrusAPI
import FleetCore
import Foundation

/// Actions on the marked SIMs: the prompts, the confirmation, the run's
/// progress and its summary.
extension AppState {
    // MARK: Starting

    /// Returns the marked SIMs as rows if a bulk `action` may start, and
    /// otherwise explains in the status line why not.
    mutating func markedRowsForBulk(_ action: String) -> [SIMRow]? {
        if isReadOnly {
            status = StatusMessage(
                "Read-only mode: \(action) is turned off. Restart citrus-fleet without --read-only to change SIMs.",
                kind: .error)
            return nil
        }
        if let bulkRun {
            status = StatusMessage(
                "A bulk \(bulkRun.action.title.lowercased()) is running. Wait for its summary, or press Esc to stop it.",
                kind: .error)
            return nil
        }
        if let pending = pendingICCIDs.sorted().first {
            status = StatusMessage(
                "An action on \(pending) is still in progress. Wait for its result before you \(action) the marked SIMs.",
                kind: .error)
            return nil
        }
        return markedRows()
    }

    /// Plans `action` for the marked SIMs and opens its confirmation, or
    /// explains in the status line why nothing would be sent.
    mutating func confirmBulk(_ action: BulkAction) {
        guard let rows = markedRowsForBulk(action.title.lowercased()) else {
            mode = .browsing
            return
        }
        let plan = BulkPlan(
            action: action, sims: rows, resellerBalance: resellerBalance, fundOutcomeUnknown: Set(fundOutcomeUnknown.keys))
        guard !plan.items.isEmpty else {
            mode = .browsing
            status = StatusMessage(
                "\(action.title) not sent: every marked SIM is skipped (\(plan.skipSummary)).",
                kind: .error)
            return
        }
        let typed = action == .disable || (action.movesMoney && plan.total >= confirmFundAbove)
        mode = .bulkConfirmation(BulkConfirmation(plan: plan, requiresTypedConfirmation: typed))
    }

    mutating func openBulkFundPrompt() {
        guard markedRowsForBulk("fund") != nil else { return }
        mode = .bulkFundPrompt(BulkFundPrompt(markedCount: marked.count))
    }

    mutating func openBulkThrottlePicker() {
        guard markedRowsForBulk("throttle") != nil else { return }
        let current = selectedSIM?.throttleSpeed ?? .noLimit
        let index = ThrottleSpeed.allCases.firstIndex(of: current) ?? 0
        mode = .throttlePicker(ThrottlePicker(
            iccid: selectedSIM?.iccid ?? "", current: current, highlighted: index, markedCount: marked.count))
    }

    // MARK: Prompt and confirmation keys

    mutating func handleBulkFundPromptKey(_ key: Key, prompt: BulkFundPrompt) -> [Effect] {
        var prompt = prompt
        switch key {
        case .escape:
            mode = .browsing
            status = StatusMessage("Bulk fund cancelled; nothing was sent.", kind: .info)
            return []
        case .enter:
            do {
                confirmBulk(try BulkFundPrompt.parse(prompt.text))
                return []
            } catch {
                prompt.error = error.description
            }
        default:
            if TextEditing.apply(key, to: &prompt.text, maximumLength: BulkFundPrompt.maximumLength) {
                prompt.error = nil
            }
        }
        mode = .bulkFundPrompt(prompt)
        return []
    }

    /// Enter starts the run. When a typed confirmation is needed, it starts
    /// only if the typed text is the number of SIMs. Esc cancels and nothing is sent.
    mutating func handleBulkConfirmationKey(_ key: Key, confirmation: BulkConfirmation) -> [Effect] {
        var confirmation = confirmation
        switch key {
        case .escape:
            mode = .browsing
            status = StatusMessage(
                "\(confirmation.plan.action.title) of \(DisplayFormat.sims(confirmation.plan.items.count)) cancelled; nothing was sent.",
                kind: .info)
            return []
        case .enter:
            if !confirmation.requiresTypedConfirmation || confirmation.text == confirmation.expectedText {
                return startBulk(confirmation.plan)
            }
            confirmation.error = confirmation.text.isEmpty
                ? "Type \(confirmation.expectedText), the number of SIMs, then Enter."
                : "\"\(confirmation.text)\" is not \(confirmation.expectedText), the number of SIMs. Type it, or Esc to cancel."
        case .down:
            confirmation.scroll = min(max(0, confirmation.plan.items.count - 1), confirmation.scroll + 1)
        case .up:
            confirmation.scroll = max(0, confirmation.scroll - 1)
        case .pageDown:
            confirmation.scroll = min(max(0, confirmation.plan.items.count - 1), confirmation.scroll + Self.confirmationPage)
        case .pageUp:
            confirmation.scroll = max(0, confirmation.scroll - Self.confirmationPage)
        default:
            if confirmation.requiresTypedConfirmation,
               TextEditing.apply(key, to: &confirmation.text, maximumLength: BulkConfirmation.maximumLength) {
                confirmation.error = nil
            }
        }
        mode = .bulkConfirmation(confirmation)
        return []
    }

    /// The lines that PgUp and PgDn scroll the per-SIM list of a confirmation.
    static let confirmationPage = 10

    /// Starts the run, unless something started meanwhile.
    mutating func startBulk(_ plan: BulkPlan) -> [Effect] {
        mode = .browsing
        guard markedRowsForBulk(plan.action.title.lowercased()) != nil else { return [] }
        bulkRun = BulkRunState(action: plan.action, plannedCount: plan.items.count)
        status = StatusMessage(bulkRun?.statusText ?? "", kind: .info)
        return [.startBulk(plan)]
    }

    /// Esc during a run: the run stops before its next SIM.
    mutating func stopBulkRun() -> [Effect] {
        guard var run = bulkRun, !run.stopRequested else { return [] }
        run.stopRequested = true
        bulkRun = run
        status = StatusMessage(run.statusText, kind: .info)
        return [.stopBulk]
    }

    mutating func handleBulkSummaryKey(_ key: Key, summary: BulkSummary, scroll: Int) {
        switch key {
        case .escape, .enter, .character("q"), .character("Q"):
            mode = .browsing
        case .down, .character("j"):
            mode = .bulkSummary(summary, scroll: min(BulkSummaryView.maximumScroll(summary, state: self), scroll + 1))
        case .up, .character("k"):
            mode = .bulkSummary(summary, scroll: max(0, scroll - 1))
        default:
            break
        }
    }

    // MARK: Progress

    /// Tracks a bulk fund like a single one, so the status line can report
    /// when its response is lost (see `reportLostFundResponse`).
    mutating func recordBulkSend(_ item: BulkItem) {
        guard let amount = item.amount else { return }
        fundsInFlight[item.iccid] = FundInFlight(amount: amount)
    }

    mutating func applyBulkProgress(_ progress: BulkProgress) {
        fundsInFlight[progress.item.iccid] = nil
        if let amount = progress.item.amount {
            recordFundOutcome(progress.report.outcome, iccid: progress.item.iccid, amount: amount)
        }
        if let esim = progress.report.esim {
            fleet.record(esim, at: now)
            if esim.iccid == detailICCID { detail = esim }
        }
        applyReportedBalance(progress.report)
        guard var run = bulkRun else { return }
        run.succeededCount = progress.succeededCount
        run.failedCount = progress.failedCount
        bulkRun = run
        if progress.report.outcome == .unknown {
            status = StatusMessage(progress.report.message, kind: .warning)
        } else {
            status = StatusMessage(run.statusText, kind: .info)
        }
    }

    /// Ends the run: the summary opens over the table when nothing else is open.
    mutating func applyBulkSummary(_ summary: BulkSummary) {
        bulkRun = nil
        if let balance = summary.resellerBalanceAfter { resellerBalance = balance }
        let kind: StatusMessage.Kind
        if summary.unknown != nil {
            kind = .warning
        } else if !summary.failed.isEmpty {
            kind = .error
        } else {
            kind = .success
        }
        status = StatusMessage(summary.headline, kind: kind)
        if mode == .browsing && !hasQuit { mode = .bulkSummary(summary, scroll: 0) }
    }
}

extension OperationRequest {
    /// Creates the single-SIM request that a bulk run sends for `item`, for
    /// the report of a request in flight at exit.
    public init(_ item: BulkItem, action: BulkAction) {
        switch action {
        case .enable:
            self = .enable(iccid: item.iccid)
        case .disable:
            self = .disable(iccid: item.iccid)
        case .throttle(let speed):
            self = .throttle(iccid: item.iccid, speed: speed)
        case .fund(let amount), .topUp(let amount):
            self = .fund(
                iccid: item.iccid, amount: item.amount ?? amount, walletBefore: item.walletBefore,
                resellerBalanceBefore: item.resellerBalanceBefore)
        }
    }
}
