import CitrusAPI
import FleetCore
import Foundation

extension AppState {
    /// Applies `event` to the state and returns the work the app must do.
    /// It performs no I/O, so tests drive it with plain values.
    public mutating func reduce(_ event: AppEvent) -> [Effect] {
        let effects = handle(event)
        refreshFleetOrderIfNeeded()
        return effects
    }

    /// Applies `events` in order, like `reduce(_:)` for each, but computes the
    /// fleet's visible order once after a run of batches instead of after each.
    public mutating func reduce(_ events: [AppEvent]) -> [Effect] {
        var effects: [Effect] = []
        for (index, event) in events.enumerated() {
            effects += handle(event)
            let nextIsBatch = index + 1 < events.count && events[index + 1].isFleetBatch
            if !(event.isFleetBatch && nextIsBatch) { refreshFleetOrderIfNeeded() }
        }
        return effects
    }

    private mutating func handle(_ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(key)
        case .fleetChanged(let batch):
            applyFleetChanges(batch)
            return []
        case .operationFinished(let request, let report):
            applyReport(report, for: request)
            return []
        case .resized(let width, let height):
            layout = ScreenLayout(width: width, height: height, showsEvents: layout.showsEvents)
            keepSelectionVisible()
            return []
        case .tick(let date, let wall):
            now = date
            wallNow = wall ?? date
            if let expiry = status?.expiresAt, expiry <= wallNow { status = nil }
            return []
        case .fundResponseLost(let iccid):
            reportLostFundResponse(iccid: iccid)
            return []
        case .terminationRequested:
            return quit()
        case .bulkItemSent(let item):
            recordBulkSend(item)
            return []
        case .bulkProgress(let progress):
            applyBulkProgress(progress)
            return []
        case .bulkFinished(let summary):
            applyBulkSummary(summary)
            return []
        }
    }

    // MARK: Keys

    mutating func handleKey(_ key: Key) -> [Effect] {
        if layout.isTooSmall {
            return key == .character("q") || key == .character("Q") ? quit() : []
        }
        switch mode {
        case .browsing:
            return handleBrowsingKey(key)
        case .fundPrompt(let prompt):
            return handleFundPromptKey(key, prompt: prompt)
        case .fundConfirmation(let confirmation):
            return handleFundConfirmationKey(key, confirmation: confirmation)
        case .throttlePicker(let picker):
            return handleThrottlePickerKey(key, picker: picker)
        case .filterPrompt(let prompt):
            return handleFilterPromptKey(key, prompt: prompt)
        case .sortPicker(let picker):
            return handleSortPickerKey(key, picker: picker)
        case .help(let scroll):
            handleHelpKey(key, scroll: scroll)
            return []
        case .bulkFundPrompt(let prompt):
            return handleBulkFundPromptKey(key, prompt: prompt)
        case .bulkConfirmation(let confirmation):
            return handleBulkConfirmationKey(key, confirmation: confirmation)
        case .bulkSummary(let summary, let scroll):
            handleBulkSummaryKey(key, summary: summary, scroll: scroll)
            return []
        }
    }

    // MARK: Results and batches

    mutating func applyReport(_ report: OperationReport, for request: OperationRequest) {
        pendingICCIDs.remove(request.iccid)
        fundsInFlight[request.iccid] = nil
        if case .fund(let iccid, let amount, _, _) = request {
            recordFundOutcome(report.outcome, iccid: iccid, amount: amount)
        }
        if let esim = report.esim {
            fleet.record(esim, at: now)
            if esim.iccid == detailICCID { detail = esim }
        }
        applyReportedBalance(report)

        let kind: StatusMessage.Kind
        switch report.outcome {
        case .succeeded: kind = .success
        case .failed: kind = .error
        case .unknown: kind = .warning
        }
        status = StatusMessage(report.message, kind: kind)
    }

    /// Takes the reseller balance an action's report read back. After an
    /// unknown outcome without one, the old balance is dropped, because the
    /// fund may have moved money and the old figure would mislead a confirmation.
    mutating func applyReportedBalance(_ report: OperationReport) {
        if let balance = report.resellerBalance {
            resellerBalance = balance
        } else if report.outcome == .unknown {
            resellerBalance = nil
        }
    }

    /// Records a fund whose outcome is unknown, and removes the record once a
    /// later fund to the same SIM succeeds.
    mutating func recordFundOutcome(_ outcome: OperationReport.Outcome, iccid: String, amount: Money) {
        switch outcome {
        case .unknown: fundOutcomeUnknown[iccid] = amount
        case .succeeded: fundOutcomeUnknown[iccid] = nil
        case .failed: break
        }
    }

    /// Says in the status line, once, that a fund in flight lost its
    /// response: the outcome is unknown and the client is reading the SIM and
    /// the reseller balance back. The final report follows.
    mutating func reportLostFundResponse(iccid: String) {
        guard let fund = fundsInFlight[iccid], !fund.reportedLost else { return }
        fundsInFlight[iccid]?.reportedLost = true
        status = StatusMessage(
            "Fund of \(fund.amount) to \(iccid): no response; outcome unknown. Reading the SIM and the reseller balance back…",
            kind: .warning)
    }

    // NOTE: a sweep page read before an action's result but delivered after it
    // shows the old reading again until the next sweep reads the SIM.
    mutating func applyFleetChanges(_ batch: FleetChangeBatch) {
        fleet.apply(batch)
        recordEvents(batch.events)
        if let esim = batch.detail, esim.iccid == detailICCID { detail = esim }
        if let balance = batch.resellerBalance { resellerBalance = balance.balance }
        if let completed = batch.sweepCompletedAt {
            lastSweepCompletedAt = completed
            lastSweepReceivedAt = wallNow
            sweepInProgress = nil
        } else if let sweep = batch.sweep {
            sweepInProgress = sweep
        }
        if let health = batch.health { self.health = health }
        if let error = batch.refreshError {
            refreshError = error
        } else if !batch.isEmpty {
            refreshError = nil
        }
    }

    /// Computes the visible order after batches, a filter or a sort, and
    /// keeps the selection on the same SIM when it is still shown.
    mutating func refreshFleetOrderIfNeeded() {
        guard fleet.needsRefresh else { return }
        fleet.refreshOrder(now: now)
        if let selectedICCID, let row = fleet.index(of: selectedICCID) {
            selectedRow = row
        }
        moveSelection(to: selectedRow)
        refreshMarkCounts()
    }

    /// Keeps the newest events for the events pane, and shows an event about
    /// the selected SIM in the status line for `eventStatusSeconds`, unless
    /// the status line shows an error or warning the operator has not acted on.
    private mutating func recordEvents(_ newEvents: [FleetEvent]) {
        guard !newEvents.isEmpty else { return }
        events.append(contentsOf: newEvents)
        if events.count > Self.eventsKept { events.removeFirst(events.count - Self.eventsKept) }

        guard let selectedICCID, let event = newEvents.last(where: { $0.iccid == selectedICCID }) else { return }
        if let status, status.expiresAt == nil, status.kind == .error || status.kind == .warning { return }
        let urgent: Set<FleetEvent.Kind> = [.balanceLow, .depleted, .gone, .suspended, .terminated]
        status = StatusMessage(
            event.message, kind: urgent.contains(event.kind) ? .warning : .info,
            expiresAt: wallNow.addingTimeInterval(Self.eventStatusSeconds))
    }

    /// The events kept for the events pane, newest last.
    static let eventsKept = 500
    /// How long an event about the selected SIM stays in the status line, in seconds.
    static let eventStatusSeconds: TimeInterval = 8
}
