import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI
#if canImport(Glibc)
import Glibc
#endif

/// A terminal for the UI loop without ncurses: keys come from a queue and a
/// pipe that the loop polls, frames are recorded.
private final class FakeTerminal: TerminalBackend, @unchecked Sendable {
    let size: (width: Int, height: Int) = (100, 12)
    private let lock = NSLock()
    private var inputs: [TerminalInput] = []
    private var signal: Int32?
    private var frames: [ScreenBuffer] = []
    private(set) var stopCount = 0
    private let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var descriptors: [Int32] = [-1, -1]
        _ = pipe(&descriptors)
        readEnd = descriptors[0]
        writeEnd = descriptors[1]
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    var inputFileDescriptor: Int32 { readEnd }

    func press(_ key: Key) {
        lock.withLock { inputs.append(.key(key)) }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func sendSignal(_ number: Int32) {
        lock.withLock { signal = number }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func draw(_ buffer: ScreenBuffer) {
        lock.withLock { frames.append(buffer) }
    }

    func readInput() -> [TerminalInput] {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &scratch, scratch.count) > 0 {}
        return lock.withLock {
            defer { inputs.removeAll() }
            return inputs
        }
    }

    func takeTerminationSignal() -> Int32? {
        lock.withLock {
            defer { signal = nil }
            return signal
        }
    }

    func stop() {
        lock.withLock { stopCount += 1 }
    }

    var lastFrame: ScreenBuffer? {
        lock.withLock { frames.last }
    }

    /// Waits up to 60 s for a frame that satisfies `condition`. It sleeps
    /// between checks instead of blocking, so the tasks that perform actions
    /// can run on the cooperative pool meanwhile. The deadline is generous
    /// because a loaded 2-core machine can starve that pool for seconds.
    func waitForFrame(_ condition: (ScreenBuffer) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let frame = lastFrame, condition(frame) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

/// Returns the SIM suspended for every request, as Citrus does for a disable.
private struct SuspendingPerformer: OperationPerformer {
    func perform(_ request: OperationRequest) async -> OperationReport {
        var esim = Fixtures.traveler
        esim.status = .suspended
        return OperationReport(outcome: .succeeded, esim: esim, message: "Disable succeeded for \(esim.iccid): status suspended.")
    }
}

/// Returns the same reports as `SuspendingPerformer`, after `delay`. The delay
/// runs on a thread of its own, so a busy cooperative pool does not stretch it.
private struct SlowPerformer: OperationPerformer {
    var delay: TimeInterval

    func perform(_ request: OperationRequest) async -> OperationReport {
        let report = await SuspendingPerformer().perform(request)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: delay)
                continuation.resume(returning: report)
            }
        }
    }
}

/// A performer that returns no report until `release()`, like Citrus with a held response.
private final class HeldPerformer: OperationPerformer, @unchecked Sendable {
    private let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var started = 0
    private var ids: [UUID] = []
    /// Reports a lost response for every request as soon as it arrives.
    let losesResponses: Bool
    /// The result of `wasSent`: false stands in for a request still waiting to connect.
    let reachesNetwork: Bool
    private var stopped = false

    init(losesResponses: Bool = false, reachesNetwork: Bool = true) {
        self.losesResponses = losesResponses
        self.reachesNetwork = reachesNetwork
    }

    /// Whether the app called `stopSending`.
    var stoppedSending: Bool { lock.withLock { stopped } }

    func stopSending() {
        lock.withLock { stopped = true }
    }

    func wasSent(requestID: UUID) -> Bool {
        lock.withLock { ids.contains(requestID) } && reachesNetwork
    }

    /// The number of requests that reached the performer.
    var startedCount: Int { lock.withLock { started } }
    /// The request ids the performer received, in order.
    var requestIDs: [UUID] { lock.withLock { ids } }

    func perform(_ request: OperationRequest, requestID: UUID, onResponseLost: @escaping @Sendable () -> Void) async -> OperationReport {
        lock.withLock { ids.append(requestID) }
        if losesResponses { onResponseLost() }
        return await perform(request)
    }

    func perform(_ request: OperationRequest) async -> OperationReport {
        lock.withLock { started += 1 }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { [gate] in
                gate.wait()
                continuation.resume(returning: OperationReport(outcome: .unknown, esim: nil, message: "released"))
            }
        }
    }

    func release() {
        gate.signal()
    }
}

/// Records every detail selection, in the order they arrive.
private final class RecordingSelector: DetailSelector, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String?] = []

    func select(iccid: String?) async {
        // A slow first call would let a later one overtake it if the app did not keep them in order.
        if lock.withLock({ stored.isEmpty }) { try? await Task.sleep(for: .milliseconds(100)) }
        lock.withLock { stored.append(iccid) }
    }

    var selections: [String?] {
        lock.withLock { stored }
    }
}

/// The exit status of a UI loop running on its own thread.
private final class LoopResult: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32?

    func set(_ value: Int32) {
        lock.withLock { status = value }
    }

    var value: Int32? { lock.withLock { status } }

    /// Waits up to 60 s for the loop to end, without blocking a thread.
    func finished() async -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if value != nil { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

@Suite(.serialized) struct DashboardAppTests {
    private func startLoop(
        _ terminal: FakeTerminal, mailbox: Mailbox, performer: any OperationPerformer = SuspendingPerformer(),
        detailSelector: (any DetailSelector)? = nil, pendingActionWait: TimeInterval = 60
    ) -> LoopResult {
        startLoopReturningApp(
            terminal, mailbox: mailbox, performer: performer, detailSelector: detailSelector,
            pendingActionWait: pendingActionWait
        ).result
    }

    /// Starts the loop on its own thread. Quitting waits up to
    /// `pendingActionWait` seconds for actions in flight: far more than the
    /// fakes need, so a starved cooperative pool cannot end the wait early.
    /// Read the app only after `result.finished()`.
    private func startLoopReturningApp(
        _ terminal: FakeTerminal, mailbox: Mailbox, performer: any OperationPerformer,
        detailSelector: (any DetailSelector)? = nil, pendingActionWait: TimeInterval
    ) -> (result: LoopResult, app: DashboardApp) {
        let state = AppState(isDemo: true, isReadOnly: false, width: 100, height: 12, now: Fixtures.now)
        let app = DashboardApp(
            state: state, theme: .builtIn, performer: performer, detailSelector: detailSelector, mailbox: mailbox,
            pendingActionWait: pendingActionWait, log: { _ in })
        let result = LoopResult()
        // The loop owns the app from here on; the test only reads the terminal.
        nonisolated(unsafe) let unsafeApp = app
        Thread.detachNewThread {
            result.set(unsafeApp.run(on: terminal))
        }
        return (result, app)
    }

    @Test func batchKeyAndReportReachScreen() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let result = startLoop(terminal, mailbox: mailbox)

        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        terminal.press(.character("d"))
        #expect(await terminal.waitForFrame { $0.line(4).contains("suspended") })
        #expect(terminal.lastFrame?.line(10) == " Disable succeeded for \(Fixtures.traveler.iccid): status suspended.")

        terminal.press(.character("q"))
        #expect(await result.finished())
        #expect(result.value == 0)
        #expect(terminal.stopCount == 1)
    }

    @Test func quitWaitsForActionInFlight() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let result = startLoop(terminal, mailbox: mailbox, performer: SlowPerformer(delay: 0.3))
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        terminal.press(.character("d"))
        terminal.press(.character("q"))

        #expect(await result.finished())
        #expect(result.value == 0)
        #expect(terminal.lastFrame?.line(4).contains("suspended") == true)
        #expect(terminal.lastFrame?.line(10) == " Disable succeeded for \(Fixtures.traveler.iccid): status suspended.")
    }

    /// Funds $4 to the traveler through `performer`, quits at once, and
    /// returns when the loop has ended.
    private func quitWhileFunding(_ performer: HeldPerformer) async throws -> (LoopResult, DashboardApp) {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let (result, app) = startLoopReturningApp(
            terminal, mailbox: mailbox, performer: performer, pendingActionWait: 0.2)
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        terminal.press(.character("f"))
        terminal.press(.character("4"))
        terminal.press(.enter)
        #expect(await terminal.waitForFrame { $0.line(10).contains("Funding $4.00") })
        terminal.press(.character("q"))

        #expect(await result.finished())
        #expect(terminal.stopCount == 1)
        return (result, app)
    }

    @Test func quitWithActionUnansweredExitsWithUnknownOutcome() async throws {
        let performer = HeldPerformer()
        defer { performer.release() }
        let (result, app) = try await quitWhileFunding(performer)
        #expect(result.value == DashboardApp.unknownOutcomeExitStatus)
        let request = OperationRequest.fund(
            iccid: Fixtures.traveler.iccid, amount: .dollars(4), walletBefore: Fixtures.traveler.walletBalance,
            resellerBalanceBefore: nil)
        #expect(app.unfinishedRequests == [request])
        #expect(request.unknownAtExitMessage == "the fund of $4.00 to \(Fixtures.traveler.iccid) was sent but no result arrived before quitting; its outcome is unknown. Check the SIM before funding again.")
        // The exit record carries the id the request was sent with, so it pairs with its `sending` record.
        let requestID = try #require(app.unfinishedRequestsWithIDs.first?.requestID)
        #expect(performer.requestIDs == [requestID])
        let line = AuditLog.line(for: request.unknownAtExitAuditRecord(requestID: requestID))
        #expect(line.contains("\"request_id\":\"\(requestID.uuidString.lowercased())\""))
        #expect(line.contains("\"action\":\"fund\",\"iccid\":\"\(Fixtures.traveler.iccid)\",\"amount\":\"4.00\",\"outcome\":\"unknown\""))
    }

    @Test func quitBeforeRequestLeftIsNotUnknown() async throws {
        let performer = HeldPerformer(reachesNetwork: false)
        defer { performer.release() }
        let (result, app) = try await quitWhileFunding(performer)
        // Nothing reached the network, so nothing is unknown and the exit status is 0.
        #expect(result.value == 0)
        #expect(performer.stoppedSending)
        #expect(app.unfinishedRequests.isEmpty)
        let unsent = try #require(app.unsentRequests.first)
        #expect(unsent.requestID == performer.requestIDs.first)
        #expect(unsent.request.notSentAtExitMessage == "the fund of $4.00 to \(Fixtures.traveler.iccid) was not sent: citrus-fleet quit before it left, so nothing changed.")
        let line = AuditLog.line(for: unsent.request.notSentAtExitAuditRecord(requestID: try #require(unsent.requestID)))
        #expect(line.contains("\"outcome\":\"failed\",\"error_code\":\"NOT_SENT\""))
    }

    @Test func lostFundResponseShowsAtOnce() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let performer = HeldPerformer(losesResponses: true)
        defer { performer.release() }
        let result = startLoop(terminal, mailbox: mailbox, performer: performer)
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        terminal.press(.character("f"))
        terminal.press(.character("4"))
        terminal.press(.enter)

        #expect(await terminal.waitForFrame { $0.line(10).contains("no response; outcome unknown") })
        performer.release()
        terminal.press(.character("q"))
        #expect(await result.finished())
    }

    @Test func quitAfterResultExitsZeroWithNothingUnfinished() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let (result, app) = startLoopReturningApp(
            terminal, mailbox: mailbox, performer: SuspendingPerformer(), pendingActionWait: 60)
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })
        terminal.press(.character("d"))
        #expect(await terminal.waitForFrame { $0.line(4).contains("suspended") })
        terminal.press(.character("q"))

        #expect(await result.finished())
        #expect(result.value == 0)
        #expect(app.unfinishedRequests.isEmpty)
    }

    @Test func terminationSignalEndsLoopWithSignalStatus() async throws {
        let terminal = FakeTerminal()
        let result = startLoop(terminal, mailbox: try Mailbox())
        #expect(await terminal.waitForFrame { _ in true })

        terminal.sendSignal(SIGTERM)

        #expect(await result.finished())
        #expect(result.value == 128 + SIGTERM)
        #expect(terminal.stopCount == 1)
    }

    @Test func detailSelectionsReachSelectorInOrder() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let selector = RecordingSelector()
        let result = startLoop(terminal, mailbox: mailbox, detailSelector: selector)
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        for key: Key in [.enter, .escape, .down, .enter, .escape] { terminal.press(key) }
        let deadline = Date().addingTimeInterval(10)
        while selector.selections.count < 4, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }

        #expect(selector.selections == [Fixtures.traveler.iccid, nil, Fixtures.tracker.iccid, nil])
        terminal.press(.character("q"))
        #expect(await result.finished())
    }

    @Test func bulkFundRunsToSummary() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let result = startLoop(terminal, mailbox: mailbox)
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        for key: Key in [.character(" "), .character(" "), .character("f"), .character("5"), .enter, .enter] {
            terminal.press(key)
        }

        #expect(await terminal.waitForFrame { $0.line(10) == " Fund finished: 2 done." })
        #expect(terminal.lastFrame?.lines().contains { $0.contains("Fund finished ─") } == true)
        terminal.press(.escape)
        terminal.press(.character("q"))
        #expect(await result.finished())
        #expect(result.value == 0)
    }

    @Test func quitDuringBulkRunReportsSIMInFlight() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let performer = HeldPerformer()
        defer { performer.release() }
        let (result, app) = startLoopReturningApp(
            terminal, mailbox: mailbox, performer: performer, pendingActionWait: 0.2)
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        for key: Key in [.character(" "), .character(" "), .character("f"), .character("5"), .enter, .enter] {
            terminal.press(key)
        }
        let deadline = Date().addingTimeInterval(30)
        while performer.startedCount == 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(performer.startedCount == 1)
        terminal.press(.character("q"))

        #expect(await result.finished())
        #expect(result.value == DashboardApp.unknownOutcomeExitStatus)
        #expect(app.unfinishedRequests == [.fund(
            iccid: Fixtures.traveler.iccid, amount: .dollars(5), walletBefore: Fixtures.traveler.walletBalance,
            resellerBalanceBefore: nil)])
        #expect(performer.startedCount == 1)
    }

    @Test func quitStopsBulkRunAfterCurrentSIM() async throws {
        let terminal = FakeTerminal()
        let mailbox = try Mailbox()
        let (result, app) = startLoopReturningApp(
            terminal, mailbox: mailbox, performer: SlowPerformer(delay: 0.3), pendingActionWait: 60)
        mailbox.post(.fleetChanged(FleetChangeBatch(added: Fixtures.threeSIMs, sweepCompletedAt: Date())))
        #expect(await terminal.waitForFrame { $0.line(4).contains(Fixtures.traveler.iccid) })

        for key: Key in [.character(" "), .character(" "), .character("f"), .character("5"), .enter, .enter, .character("q")] {
            terminal.press(key)
        }

        #expect(await result.finished())
        #expect(result.value == 0)
        #expect(app.unfinishedRequests.isEmpty)
        #expect(!app.isBulkRunUnfinished)
        let summary = try #require(app.bulkSummaryAfterQuit)
        #expect(summary.stoppedByOperator)
        #expect(summary.notAttemptedCount >= 1)
        #expect(summary.succeeded.count + summary.notAttemptedCount == 2)
    }

    @Test func mailboxDrainsInPostOrder() async throws {
        let mailbox = try Mailbox()
        mailbox.post(.tick(Fixtures.now))
        mailbox.post(.terminationRequested)
        let events = mailbox.drain()

        #expect(events.count == 2)
        #expect(mailbox.drain().isEmpty)
    }
}
