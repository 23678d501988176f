import CitrusAPI
import FleetCore
import Foundation

/// Keys on the fleet table, the actions they start, and the selection.
extension AppState {
    mutating func handleBrowsingKey(_ key: Key) -> [Effect] {
        if key == .character("?") {
            mode = .help(scroll: 0)
            return []
        }
        if detailICCID != nil { return handleDetailKey(key) }
        switch key {
        case .character("q"), .character("Q"):
            return quit()
        case .down, .character("j"):
            moveSelection(to: selectedRow + 1)
        case .up, .character("k"):
            moveSelection(to: selectedRow - 1)
        case .pageDown:
            moveSelection(to: selectedRow + max(1, layout.tableBodyHeight))
        case .character(" "):
            toggleMarkOnSelection()
        case .character("*"):
            markAllShown()
        case .character("U"):
            clearMarks()
        case .pageUp:
            moveSelection(to: selectedRow - max(1, layout.tableBodyHeight))
        case .home, .character("g"):
            moveSelection(to: 0)
        case .end, .character("G"):
            moveSelection(to: fleet.count - 1)
        case .character("e") where !marked.isEmpty:
            confirmBulk(.enable)
        case .character("d") where !marked.isEmpty:
            confirmBulk(.disable)
        case .character("f") where !marked.isEmpty:
            openBulkFundPrompt()
        case .character("t") where !marked.isEmpty:
            openBulkThrottlePicker()
        case .character("e"):
            return startAction("enable") { .enable(iccid: $0.iccid) }
        case .character("d"):
            return startAction("disable") { .disable(iccid: $0.iccid) }
        case .character("f"):
            openFundPrompt()
        case .character("t"):
            openThrottlePicker()
        case .character("/"):
            mode = .filterPrompt(FilterPrompt(text: fleet.query.text))
        case .character("s"):
            let current = SortPicker.options.firstIndex(of: fleet.sort.key) ?? 0
            mode = .sortPicker(SortPicker(highlighted: current))
        case .character("v"):
            layout.showsEvents.toggle()
            keepSelectionVisible()
        case .character("S"):
            fleet.setSort(TableSort(fleet.sort.key, ascending: !fleet.sort.ascending))
        case .escape where bulkRun != nil:
            return stopBulkRun()
        case .escape:
            clearFilter()
        case .enter:
            return openDetail()
        default:
            break
        }
        return []
    }

    // MARK: Detail

    mutating func openDetail() -> [Effect] {
        guard let sim = selectedSIM else {
            status = StatusMessage("No SIM to show: the fleet is empty or still loading.", kind: .error)
            return []
        }
        if detail?.iccid != sim.iccid { detail = nil }
        detailICCID = sim.iccid
        detailScroll = 0
        return [.selectDetail(iccid: sim.iccid)]
    }

    /// Keys while the detail view is open: Esc or q closes it, the arrows
    /// scroll it, and the action keys act on its SIM.
    mutating func handleDetailKey(_ key: Key) -> [Effect] {
        switch key {
        case .escape, .character("q"), .character("Q"):
            detailICCID = nil
            return [.selectDetail(iccid: nil)]
        case .down, .character("j"):
            detailScroll = min(DetailView.maximumScroll(self), detailScroll + 1)
        case .up, .character("k"):
            detailScroll = max(0, detailScroll - 1)
        case .home, .character("g"):
            detailScroll = 0
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

    // MARK: Actions

    mutating func quit() -> [Effect] {
        hasQuit = true
        if var run = bulkRun {
            run.stopRequested = true
            bulkRun = run
            status = StatusMessage(
                "Quitting: the bulk \(run.action.title.lowercased()) stops after the current SIM; waiting up to 5 s for it…",
                kind: .info)
            return [.stopBulk, .quit]
        }
        if !pendingICCIDs.isEmpty {
            status = StatusMessage(
                "Quitting: waiting up to 5 s for \(pendingICCIDs.count) action(s) in flight…", kind: .info)
        }
        return [.quit]
    }

    /// Returns the selected SIM if a mutating `action` may start on it, and
    /// otherwise explains in the status line why not.
    mutating func selectedSIMForAction(_ action: String) -> SIMRow? {
        if isReadOnly {
            status = StatusMessage(
                "Read-only mode: \(action) is turned off. Restart citrus-fleet without --read-only to change SIMs.",
                kind: .error)
            return nil
        }
        if let bulkRun {
            status = StatusMessage(
                "A bulk \(bulkRun.action.title.lowercased()) is running. Wait for its summary, or press Esc to stop it, before you \(action) a SIM.",
                kind: .error)
            return nil
        }
        guard let esim = actionTarget else {
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

    mutating func startAction(_ action: String, request: (SIMRow) -> OperationRequest) -> [Effect] {
        guard let esim = selectedSIMForAction(action) else { return [] }
        return send(request(esim))
    }

    mutating func send(_ request: OperationRequest) -> [Effect] {
        pendingICCIDs.insert(request.iccid)
        if case .fund(let iccid, let amount, _, _) = request {
            fundsInFlight[iccid] = FundInFlight(amount: amount)
        }
        status = StatusMessage(request.progressMessage, kind: .info)
        return [.perform(request)]
    }

    mutating func openFundPrompt() {
        guard let esim = selectedSIMForAction("fund") else { return }
        if esim.walletBalance == nil && esim.groupID != nil {
            status = StatusMessage(
                "\(esim.iccid) is in a shared-balance group and has no wallet of its own. Fund the group in the Citrus dashboard.",
                kind: .error)
            return
        }
        mode = .fundPrompt(FundPrompt(iccid: esim.iccid))
    }

    /// Clears an active filter, so Esc on the table goes back to every SIM.
    mutating func clearFilter() {
        guard !fleet.query.terms.isEmpty else { return }
        fleet.setQuery(.all)
        status = StatusMessage("Filter cleared.", kind: .info)
    }

    mutating func openThrottlePicker() {
        guard let esim = selectedSIMForAction("throttle") else { return }
        let index = ThrottleSpeed.allCases.firstIndex(of: esim.throttleSpeed) ?? 0
        mode = .throttlePicker(ThrottlePicker(iccid: esim.iccid, current: esim.throttleSpeed, highlighted: index))
    }

    // MARK: Selection

    mutating func moveSelection(to row: Int) {
        selectedRow = max(0, min(row, fleet.count - 1))
        selectedICCID = selectedSIM?.iccid
        keepSelectionVisible()
    }

    /// Scrolls the table so the selected row is in view, and so that no empty
    /// rows show below the last SIM while earlier SIMs are scrolled away.
    mutating func keepSelectionVisible() {
        let visible = max(1, layout.tableBodyHeight)
        if selectedRow < scrollTop {
            scrollTop = selectedRow
        } else if selectedRow >= scrollTop + visible {
            scrollTop = selectedRow - visible + 1
        }
        scrollTop = max(0, min(scrollTop, fleet.count - visible))
    }
}
