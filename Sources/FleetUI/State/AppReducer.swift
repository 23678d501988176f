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
            layout = ScreenLayout(width: width, height: height)
            keepSelectionVisible()
            return []
        case .tick(let date, let wall):
            now = date
            wallNow = wall ?? date
            return []
        case .terminationRequested:
            return quit()
        }
    }

    // MARK: Keys

    private mutating func handleKey(_ key: Key) -> [Effect] {
        if layout.isTooSmall {
            return key == .character("q") || key == .character("Q") ? quit() : []
        }
        switch mode {
        case .browsing:
            return handleBrowsingKey(key)
        case .fundPrompt(let prompt):
            return handleFundPromptKey(key, prompt: prompt)
        case .throttlePicker(let picker):
            return handleThrottlePickerKey(key, picker: picker)
        }
    }

    private mutating func handleBrowsingKey(_ key: Key) -> [Effect] {
        switch key {
        case .character("q"), .character("Q"):
            return quit()
        case .down, .character("j"):
            moveSelection(to: selectedRow + 1)
        case .up, .character("k"):
            moveSelection(to: selectedRow - 1)
        case .pageDown, .character(" "):
            moveSelection(to: selectedRow + max(1, layout.tableBodyHeight))
        case .pageUp:
            moveSelection(to: selectedRow - max(1, layout.tableBodyHeight))
        case .home, .character("g"):
            moveSelection(to: 0)
        case .end, .character("G"):
            moveSelection(to: fleet.count - 1)
        case .character("e"):
            return startAction("enable") { .enable(iccid: $0.iccid) }
        case .character("d"):
            return startAction("disable") { .disable(iccid: $0.iccid) }
        case .character("f"):
            openFundPrompt()
        case .character("t"):
            openThrottlePicker()
        default:
            break
        }
        return []
    }

    private mutating func handleFundPromptKey(_ key: Key, prompt: FundPrompt) -> [Effect] {
        var prompt = prompt
        switch key {
        case .escape:
            mode = .browsing
            status = StatusMessage("Fund cancelled for \(prompt.iccid); nothing was sent.", kind: .info)
            return []
        case .enter:
            do {
                let amount = try Money.parseAmount(prompt.text)
                mode = .browsing
                let walletBefore = fleet.row(iccid: prompt.iccid)?.walletBalance
                return send(.fund(iccid: prompt.iccid, amount: amount, walletBefore: walletBefore))
            } catch {
                prompt.error = error.description
                status = StatusMessage("Fund not sent: \(error.description)", kind: .error)
            }
        case .backspace, .delete:
            if !prompt.text.isEmpty { prompt.text.removeLast() }
            prompt.error = nil
        case .character("\u{15}"):
            prompt.text = ""
            prompt.error = nil
        case .character(let character):
            let isPrintable = character.unicodeScalars.allSatisfy { !TerminalSanitizer.isUnsafe($0) }
            if isPrintable && prompt.text.count < FundPrompt.maximumLength {
                prompt.text.append(character)
                prompt.error = nil
            }
        default:
            break
        }
        mode = .fundPrompt(prompt)
        return []
    }

    private mutating func handleThrottlePickerKey(_ key: Key, picker: ThrottlePicker) -> [Effect] {
        var picker = picker
        let speeds = ThrottleSpeed.allCases
        switch key {
        case .escape, .character("q"):
            mode = .browsing
            status = StatusMessage("Throttle cancelled for \(picker.iccid); nothing was sent.", kind: .info)
            return []
        case .enter:
            mode = .browsing
            return send(.throttle(iccid: picker.iccid, speed: speeds[picker.highlighted]))
        case .down, .character("j"):
            picker.highlighted = min(speeds.count - 1, picker.highlighted + 1)
        case .up, .character("k"):
            picker.highlighted = max(0, picker.highlighted - 1)
        case .home, .character("g"):
            picker.highlighted = 0
        case .end, .character("G"):
            picker.highlighted = speeds.count - 1
        default:
            break
        }
        mode = .throttlePicker(picker)
        return []
    }

    // MARK: Actions

    private mutating func quit() -> [Effect] {
        hasQuit = true
        if !pendingICCIDs.isEmpty {
            status = StatusMessage(
                "Quitting: waiting up to 5 s for \(pendingICCIDs.count) action(s) in flight…", kind: .info)
        }
        return [.quit]
    }

    /// Returns the selected SIM if a mutating `action` may start on it, and
    /// otherwise explains in the status line why not.
    private mutating func selectedSIMForAction(_ action: String) -> SIMRow? {
        if isReadOnly {
            status = StatusMessage(
                "Read-only mode: \(action) is turned off. Restart citrus-fleet without --read-only to change SIMs.",
                kind: .error)
            return nil
        }
        guard let esim = selectedSIM else {
            status = StatusMessage("No SIM to \(action): the fleet is empty or still loading.", kind: .error)
            return nil
        }
        guard !pendingICCIDs.contains(esim.iccid) else {
            status = StatusMessage(
                "An action on \(esim.iccid) is still in progress. Wait for its result before you \(action) it.",
                kind: .error)
            return nil
        }
        return esim
    }

    private mutating func startAction(_ action: String, request: (SIMRow) -> OperationRequest) -> [Effect] {
        guard let esim = selectedSIMForAction(action) else { return [] }
        return send(request(esim))
    }

    private mutating func send(_ request: OperationRequest) -> [Effect] {
        pendingICCIDs.insert(request.iccid)
        status = StatusMessage(request.progressMessage, kind: .info)
        return [.perform(request)]
    }

    private mutating func openFundPrompt() {
        guard let esim = selectedSIMForAction("fund") else { return }
        if esim.walletBalance == nil && esim.groupID != nil {
            status = StatusMessage(
                "\(esim.iccid) is in a shared-balance group and has no wallet of its own. Fund the group in the Citrus dashboard.",
                kind: .error)
            return
        }
        mode = .fundPrompt(FundPrompt(iccid: esim.iccid))
    }

    private mutating func openThrottlePicker() {
        guard let esim = selectedSIMForAction("throttle") else { return }
        let index = ThrottleSpeed.allCases.firstIndex(of: esim.throttleSpeed) ?? 0
        mode = .throttlePicker(ThrottlePicker(iccid: esim.iccid, current: esim.throttleSpeed, highlighted: index))
    }

    // MARK: Results and batches

    private mutating func applyReport(_ report: OperationReport, for request: OperationRequest) {
        pendingICCIDs.remove(request.iccid)
        if let esim = report.esim { fleet.record(esim, at: now) }
        if let balance = report.resellerBalance { resellerBalance = balance }

        let kind: StatusMessage.Kind
        switch report.outcome {
        case .succeeded: kind = .success
        case .failed: kind = .error
        case .unknown: kind = .warning
        }
        status = StatusMessage(report.message, kind: kind)
    }

    // NOTE: a sweep page read before an action's result but delivered after it
    // shows the old reading again until the next sweep reads the SIM.
    private mutating func applyFleetChanges(_ batch: FleetChangeBatch) {
        fleet.apply(batch)
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
    private mutating func refreshFleetOrderIfNeeded() {
        guard fleet.needsRefresh else { return }
        fleet.refreshOrder(now: now)
        if let selectedICCID, let row = fleet.index(of: selectedICCID) {
            selectedRow = row
        }
        moveSelection(to: selectedRow)
    }

    // MARK: Selection

    private mutating func moveSelection(to row: Int) {
        selectedRow = max(0, min(row, fleet.count - 1))
        selectedICCID = selectedSIM?.iccid
        keepSelectionVisible()
    }

    /// Scrolls the table so the selected row is in view, and so that no empty
    /// rows show below the last SIM while earlier SIMs are scrolled away.
    private mutating func keepSelectionVisible() {
        let visible = max(1, layout.tableBodyHeight)
        if selectedRow < scrollTop {
            scrollTop = selectedRow
        } else if selectedRow >= scrollTop + visible {
            scrollTop = selectedRow - visible + 1
        }
        scrollTop = max(0, min(scrollTop, fleet.count - visible))
    }
}
