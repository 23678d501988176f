#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FleetCore
import Foundation

/// The UI loop. It owns the terminal on the thread that calls `run`, blocks
/// in `poll()` on the terminal's input and the mailbox's wake-up pipe, and
/// redraws once after each wake-up that brought events.
public final class DashboardApp {
    public typealias Log = @Sendable (String) -> Void

    /// The poll timeout, in milliseconds. With nothing to do, the loop wakes
    /// once per interval only to keep "updated 12s ago" current.
    public static let clockTickMilliseconds: Int32 = 1000
    /// How long quitting waits for the results of actions in flight, in
    /// seconds, so that their outcome reaches the log and the screen.
    public static let pendingActionWaitSeconds: TimeInterval = 5
    /// The exit status when actions were still in flight at exit, so their
    /// outcome is unknown.
    public static let unknownOutcomeExitStatus: Int32 = 3

    public private(set) var state: AppState
    public let mailbox: Mailbox
    /// The last frame sent to the terminal.
    private var frame: ScreenBuffer?
    private let theme: Theme
    private let clock: FleetClock
    private let performer: any OperationPerformer
    private let detailSelector: (any DetailSelector)?
    /// The last detail selection sent. The next one waits for it, so the
    /// refresh loop receives them in order.
    private var detailSelection: Task<Void, Never>?
    private let log: Log
    /// How long quitting waits for actions in flight, in seconds.
    private let pendingActionWait: TimeInterval
    /// The single-SIM requests sent whose report has not been applied yet,
    /// in the order sent, with the id of their audit records.
    private var unfinishedSingleRequests: [UnfinishedRequest] = []
    /// The bulk run under way and its plan's action, until its summary is applied.
    private var bulkRun: (control: BulkRunControl, action: BulkAction)?

    /// The summary of a bulk run that ended after the operator quit, to print
    /// once the terminal is restored.
    public private(set) var bulkSummaryAfterQuit: BulkSummary?
    /// Whether a bulk run was still under way at exit.
    public var isBulkRunUnfinished: Bool { bulkRun != nil }

    /// A request started whose report has not been applied yet.
    public struct UnfinishedRequest: Sendable {
        public var request: OperationRequest
        /// The id of the request's audit records, when known.
        public var requestID: UUID?
    }

    /// The requests started whose report has not been applied yet, in the
    /// order started, and last the bulk run's SIM in flight, if any. Some may
    /// still have been waiting for the request budget or a connection.
    public var startedRequests: [UnfinishedRequest] {
        guard let bulkRun, let item = bulkRun.control.itemInFlight else { return unfinishedSingleRequests }
        let inFlight = UnfinishedRequest(request: OperationRequest(item, action: bulkRun.action), requestID: bulkRun.control.requestIDInFlight)
        return unfinishedSingleRequests + [inFlight]
    }

    /// The started requests that reached the network, so Citrus may have
    /// applied them: their outcome is unknown. A request without an id counts
    /// as sent, the cautious side.
    public var unfinishedRequestsWithIDs: [UnfinishedRequest] {
        startedRequests.filter { started in started.requestID.map { performer.wasSent(requestID: $0) } ?? true }
    }

    /// The started requests that never reached the network. Final once the
    /// loop has returned, because the performer then sends nothing new.
    public var unsentRequests: [UnfinishedRequest] {
        startedRequests.filter { started in started.requestID.map { !performer.wasSent(requestID: $0) } ?? false }
    }

    /// The requests of `unfinishedRequestsWithIDs`.
    public var unfinishedRequests: [OperationRequest] {
        unfinishedRequestsWithIDs.map(\.request)
    }

    /// - Parameters:
    ///   - clock: the fleet clock, the same one the refresh loop stamps readings with.
    ///   - detailSelector: reads the SIM of the open detail view; nil leaves
    ///     the detail view with the fleet model's fields only.
    ///   - pendingActionWait: how long quitting waits for actions in flight, in seconds.
    public init(
        state: AppState, theme: Theme, clock: FleetClock = .system, performer: any OperationPerformer,
        detailSelector: (any DetailSelector)? = nil, mailbox: Mailbox,
        pendingActionWait: TimeInterval = DashboardApp.pendingActionWaitSeconds, log: @escaping Log
    ) {
        self.pendingActionWait = pendingActionWait
        self.state = state
        self.theme = theme
        self.clock = clock
        self.performer = performer
        self.detailSelector = detailSelector
        self.mailbox = mailbox
        self.log = log
    }

    /// Runs until the operator quits or a termination signal arrives, then
    /// stops the terminal.
    ///
    /// - Returns: the process exit status: 0 after `q`, 128 + the signal
    ///   number after SIGINT, SIGTERM or SIGHUP, and `unknownOutcomeExitStatus`
    ///   when actions were still in flight at exit (see `unfinishedRequests`).
    public func run(on terminal: TerminalBackend) -> Int32 {
        defer { terminal.stop() }
        let (width, height) = terminal.size
        apply([.resized(width: width, height: height), tick()])
        redraw(on: terminal, onlyClockMoved: false)
        log("UI loop started at \(width)x\(height).")

        var exitStatus: Int32 = 0
        while !state.hasQuit {
            let wakeUp = waitForInput(terminal)
            mailbox.consumeWakeUps()

            var events: [AppEvent] = [tick()]
            if let signal = terminal.takeTerminationSignal() {
                log("Received signal \(signal); quitting.")
                exitStatus = 128 + signal
                events.append(.terminationRequested)
            }
            if wakeUp == .terminalLost {
                events.append(.terminationRequested)
            }
            for input in terminal.readInput() {
                switch input {
                case .key(let key): events.append(.key(key))
                case .resized(let width, let height): events.append(.resized(width: width, height: height))
                }
            }
            events += mailbox.drain()
            let onlyClockMoved = events.count == 1

            apply(events)
            redraw(on: terminal, onlyClockMoved: onlyClockMoved)
        }
        waitForPendingActions(on: terminal)
        // From here on nothing new leaves, so "sent" and "not sent" are final.
        performer.stopSending()
        if !unfinishedRequests.isEmpty { exitStatus = Self.unknownOutcomeExitStatus }
        log("UI loop stopped with exit status \(exitStatus).")
        return exitStatus
    }

    /// Waits up to `pendingActionWaitSeconds` for the reports of actions still
    /// in flight after a quit, showing them as they arrive. Keys typed
    /// meanwhile are read and dropped, so they do not reach the shell; a
    /// second termination signal ends the wait.
    private func waitForPendingActions(on terminal: TerminalBackend) {
        guard hasWorkInFlight else { return }
        redraw(on: terminal, onlyClockMoved: false)
        let deadline = Date().addingTimeInterval(pendingActionWait)

        while hasWorkInFlight, Date() < deadline {
            _ = waitForInput(terminal)
            mailbox.consumeWakeUps()
            _ = terminal.readInput()
            if terminal.takeTerminationSignal() != nil { break }
            apply([tick()] + mailbox.drain())
            redraw(on: terminal, onlyClockMoved: false)
        }
        let unfinished = unfinishedRequests.map(\.iccid)
        if !unfinished.isEmpty {
            let iccids = unfinished.sorted().joined(separator: ", ")
            log("Quit before the result of actions on \(iccids) arrived; their outcome is unknown. Check these SIMs before repeating the action.")
        }
    }

    /// Whether a single action or a bulk run has not reported its end yet.
    private var hasWorkInFlight: Bool {
        !state.pendingICCIDs.isEmpty || state.bulkRun != nil
    }

    /// Draws the state. When only the clock moved, just the header (with its
    /// "updated 12s ago") and the status line (whose event messages expire)
    /// can change, so only those rows are rendered again, and nothing is sent
    /// when they read the same.
    private func redraw(on terminal: TerminalBackend, onlyClockMoved: Bool) {
        if onlyClockMoved, var next = frame, state.mode == .browsing, !state.layout.isTooSmall,
           next.width == state.layout.width, next.height == state.layout.height {
            HeaderView.draw(state, theme: theme, into: &next)
            StatusLineView.draw(state, theme: theme, into: &next)
            guard next != frame else { return }
            frame = next
            terminal.draw(next)
            return
        }
        let next = DashboardView.render(state, theme: theme)
        frame = next
        terminal.draw(next)
    }

    private func tick() -> AppEvent {
        .tick(clock.now(), wall: Date())
    }

    /// Reduces `events` in order and starts the effects they return.
    func apply(_ events: [AppEvent]) {
        for event in events {
            switch event {
            case .operationFinished(let request, _):
                if let index = unfinishedSingleRequests.firstIndex(where: { $0.request == request }) {
                    unfinishedSingleRequests.remove(at: index)
                }
            case .bulkFinished:
                bulkRun = nil
            default:
                break
            }
        }
        let effects = state.reduce(events)
        for case .bulkFinished(let summary) in events where state.hasQuit {
            bulkSummaryAfterQuit = summary
        }
        for effect in effects {
            perform(effect)
        }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit:
            break
        case .selectDetail(let iccid):
            guard let detailSelector else { return }
            let previous = detailSelection
            detailSelection = Task.detached {
                await previous?.value
                await detailSelector.select(iccid: iccid)
            }
        case .startBulk(let plan):
            startBulk(plan)
        case .stopBulk:
            log("Stopping the bulk run after the current SIM.")
            bulkRun?.control.requestStop()
        case .perform(let request):
            let requestID = UUID()
            log("Sending the \(request) (request \(requestID.uuidString.lowercased())).")
            unfinishedSingleRequests.append(UnfinishedRequest(request: request, requestID: requestID))
            let performer = performer
            let mailbox = mailbox
            let log = log
            Task.detached {
                let report = await performer.perform(request, requestID: requestID) {
                    mailbox.post(.fundResponseLost(iccid: request.iccid))
                }
                log("Finished the \(request) (request \(requestID.uuidString.lowercased())): \(report.outcome): \(report.message)")
                mailbox.post(.operationFinished(request, report))
            }
        }
    }

    /// Runs the plan in a detached task. Each SIM's report and the summary
    /// come back through the mailbox, and each is logged.
    private func startBulk(_ plan: BulkPlan) {
        let mailbox = mailbox
        let control = BulkRunControl(
            willSend: { mailbox.post(.bulkItemSent($0)) },
            responseLost: { mailbox.post(.fundResponseLost(iccid: $0.iccid)) })
        bulkRun = (control, plan.action)
        log("Starting a bulk \(plan.action.title.lowercased()) of \(plan.items.count) SIMs (\(plan.skipped.count) skipped), total \(plan.total).")
        let performer = performer
        let log = log
        Task.detached {
            let summary = await performer.run(plan, control: control) { progress in
                log("Bulk \(plan.action.title.lowercased()), SIM \(progress.attemptedCount) of \(plan.items.count) (\(progress.report.outcome)): \(progress.report.message)")
                mailbox.post(.bulkProgress(progress))
            }
            log(summary.headline)
            mailbox.post(.bulkFinished(summary))
        }
    }

    private enum WakeUp {
        case ready
        /// The terminal hung up, or `poll` itself failed: there is no way to
        /// read keys any more.
        case terminalLost
    }

    /// Blocks until terminal input, a mailbox wake-up, a signal or the clock
    /// tick. A signal interrupts `poll` with EINTR, which counts as a wake-up.
    private func waitForInput(_ terminal: TerminalBackend) -> WakeUp {
        var fds = [
            pollfd(fd: terminal.inputFileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: mailbox.wakeUpReadFD, events: Int16(POLLIN), revents: 0),
        ]
        let result = poll(&fds, nfds_t(fds.count), Self.clockTickMilliseconds)
        if result < 0 && errno != EINTR {
            log("poll failed: \(String(cString: strerror(errno))); quitting.")
            return .terminalLost
        }
        let closed = Int16(POLLHUP | POLLERR | POLLNVAL)
        if result > 0 && fds[0].revents & closed != 0 && fds[0].revents & Int16(POLLIN) == 0 {
            log("Terminal input closed; quitting.")
            return .terminalLost
        }
        return .ready
    }
}
