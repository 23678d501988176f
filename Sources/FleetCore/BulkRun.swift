import CitrusAPI
import Foundation

/// The shared switch of a bulk run. The UI requests a stop through it, and
/// the run records the SIM whose request is in flight, so a quit can report it.
public final class BulkRunControl: @unchecked Sendable {
    private let lock = NSLock()
    private var stopRequested = false
    private var inFlight: BulkItem?
    private var inFlightRequestID: UUID?
    private let willSend: (@Sendable (BulkItem) -> Void)?
    private let responseLost: (@Sendable (BulkItem) -> Void)?

    /// - Parameters:
    ///   - willSend: called on the run's task just before each SIM is sent,
    ///     so the UI can track the fund in flight.
    ///   - responseLost: called when a SIM's fund loses its response, before
    ///     the client reads the SIM back.
    public init(willSend: (@Sendable (BulkItem) -> Void)? = nil, responseLost: (@Sendable (BulkItem) -> Void)? = nil) {
        self.willSend = willSend
        self.responseLost = responseLost
    }

    /// Asks the run to stop before its next SIM. The request in flight is never cancelled.
    public func requestStop() {
        lock.withLock { stopRequested = true }
    }

    public var isStopRequested: Bool {
        lock.withLock { stopRequested }
    }

    /// The SIM whose request has been sent and whose report has not arrived.
    public var itemInFlight: BulkItem? {
        lock.withLock { inFlight }
    }

    /// The id of the audit records of the request in flight.
    public var requestIDInFlight: UUID? {
        lock.withLock { inFlightRequestID }
    }

    /// Reports that the fund of `item` lost its response.
    public func reportResponseLost(_ item: BulkItem) {
        responseLost?(item)
    }

    func setItemInFlight(_ item: BulkItem?) {
        lock.withLock {
            inFlight = item
            inFlightRequestID = item == nil ? nil : UUID()
        }
        if let item { willSend?(item) }
    }
}

/// The result of one SIM in a bulk run, in the summary.
public struct BulkOutcome: Sendable, Equatable {
    public var iccid: String
    public var outcome: OperationReport.Outcome
    /// The fund amount sent, for fund and top-up.
    public var amount: Money?
    /// The Citrus error code of a failure, such as `INSUFFICIENT_BALANCE`.
    public var errorCode: String?
    /// The operation's sentence for the status line.
    public var message: String
    /// The cause of a failure alone, without the action or the SIM, such as
    /// "no connection to citrusmobile.com:443 within 10 s (connect timeout)".
    public var reason: String?

    public init(iccid: String, outcome: OperationReport.Outcome, amount: Money?, errorCode: String?, message: String,
                reason: String? = nil) {
        self.iccid = iccid
        self.outcome = outcome
        self.amount = amount
        self.errorCode = errorCode
        self.message = message
        self.reason = reason
    }
}

/// A bulk run's state after each SIM, for the status line.
public struct BulkProgress: Sendable {
    public var action: BulkAction
    /// The SIMs the run sends, skipped ones not counted.
    public var plannedCount: Int
    public var succeededCount: Int
    public var failedCount: Int
    /// The SIM just finished, with the report that carries the SIM as
    /// Citrus returned it.
    public var item: BulkItem
    public var report: OperationReport

    public init(
        action: BulkAction, plannedCount: Int, succeededCount: Int, failedCount: Int, item: BulkItem,
        report: OperationReport
    ) {
        self.action = action
        self.plannedCount = plannedCount
        self.succeededCount = succeededCount
        self.failedCount = failedCount
        self.item = item
        self.report = report
    }

    /// The SIMs sent so far.
    public var attemptedCount: Int { succeededCount + failedCount + (report.outcome == .unknown ? 1 : 0) }
}

/// The end of a bulk run: what was done, skipped, failed or left unknown.
public struct BulkSummary: Sendable, Equatable {
    public var action: BulkAction
    public var plannedCount: Int
    public var succeeded: [BulkOutcome] = []
    public var failed: [BulkOutcome] = []
    /// The fund whose response was lost. The run stops after it.
    public var unknown: BulkOutcome?
    public var skipped: [BulkSkip]
    /// SIMs of the plan never sent because the run stopped early.
    public var notAttemptedCount = 0
    /// Set when the operator stopped the run (Esc or quit).
    public var stoppedByOperator = false
    /// The SIM whose action failed below HTTP (Citrus unreachable), which
    /// stopped the run.
    public var stoppedUnreachable: BulkOutcome?
    /// The sum of the amounts of the funds Citrus confirmed.
    public var fundedTotal: Money = .zero
    /// The reseller balance from the last report that carried one.
    public var resellerBalanceAfter: Money?

    public init(action: BulkAction, plannedCount: Int, skipped: [BulkSkip]) {
        self.action = action
        self.plannedCount = plannedCount
        self.skipped = skipped
    }

    /// Whether the run sent every SIM of the plan.
    public var isComplete: Bool { notAttemptedCount == 0 && unknown == nil }

    /// "Top-up finished: 11 done, 2 skipped, 1 failed." or, when it stopped,
    /// "Top-up stopped: …, 22 not attempted."
    public var headline: String {
        var parts = ["\(succeeded.count) done"]
        if !skipped.isEmpty { parts.append("\(skipped.count) skipped") }
        if !failed.isEmpty { parts.append("\(failed.count) failed") }
        if unknown != nil { parts.append("1 unknown") }
        if notAttemptedCount > 0 { parts.append("\(notAttemptedCount) not attempted") }
        let verb = isComplete ? "finished" : "stopped"
        var text = "\(action.title) \(verb): \(parts.joined(separator: ", "))."
        if let unknown {
            text += " The fund to \(unknown.iccid) has an unknown outcome, so the run stopped. Check that SIM before funding it again."
        } else if let unreachable = stoppedUnreachable {
            text += " Citrus could not be reached for \(unreachable.iccid), so the run stopped. Check the connection, then run it again."
        } else if stoppedByOperator && notAttemptedCount > 0 {
            text += " Stopped by the operator."
        }
        return text
    }
}

/// Runs a bulk plan one SIM at a time.
public enum BulkRunner {
    public typealias Send = @Sendable (BulkItem) async -> OperationReport
    public typealias Progress = @Sendable (BulkProgress) async -> Void

    /// Sends `plan.items` in order, one SIM after the other, so the client's
    /// request budget paces the run. Before each SIM the run checks
    /// `control`, and a stop request ends it between SIMs. An ICCID listed
    /// twice in the plan is sent once, and no SIM is ever sent again. A
    /// report with an unknown outcome (a fund whose response was lost) stops
    /// the run, and the SIMs after it are counted as not attempted.
    public static func run(
        _ plan: BulkPlan, control: BulkRunControl, send: Send, progress: Progress
    ) async -> BulkSummary {
        var summary = BulkSummary(action: plan.action, plannedCount: plan.items.count, skipped: plan.skipped)
        var sent = Set<String>()
        var resellerBalance = plan.resellerBalanceBefore

        for (index, planned) in plan.items.enumerated() {
            if control.isStopRequested {
                summary.stoppedByOperator = true
                summary.notAttemptedCount = plan.items.count - index
                break
            }
            guard sent.insert(planned.iccid).inserted else { continue }
            var item = planned
            item.resellerBalanceBefore = resellerBalance

            control.setItemInFlight(item)
            let report = await send(item)
            control.setItemInFlight(nil)

            record(report, for: item, into: &summary)
            if let balance = report.resellerBalance { resellerBalance = balance }
            await progress(BulkProgress(
                action: plan.action, plannedCount: plan.items.count, succeededCount: summary.succeeded.count,
                failedCount: summary.failed.count, item: item, report: report))

            if report.outcome == .unknown {
                summary.notAttemptedCount = plan.items.count - index - 1
                break
            }
            // The next SIM would wait for the same timeouts and fail the same way.
            if report.outcome == .failed && report.failedBelowHTTP && index < plan.items.count - 1 {
                summary.stoppedUnreachable = summary.failed.last
                summary.notAttemptedCount = plan.items.count - index - 1
                break
            }
        }
        return summary
    }

    private static func record(_ report: OperationReport, for item: BulkItem, into summary: inout BulkSummary) {
        let outcome = BulkOutcome(
            iccid: item.iccid, outcome: report.outcome, amount: item.amount, errorCode: report.errorCode,
            message: report.message, reason: report.reason)
        switch report.outcome {
        case .succeeded:
            summary.succeeded.append(outcome)
            summary.fundedTotal += item.amount ?? .zero
        case .failed:
            summary.failed.append(outcome)
        case .unknown:
            summary.unknown = outcome
        }
        if let balance = report.resellerBalance {
            summary.resellerBalanceAfter = balance
        } else if report.outcome == .unknown {
            summary.resellerBalanceAfter = nil
        }
    }
}

extension FleetOperations {
    /// Sends one SIM of a bulk run through the matching single-SIM operation,
    /// with `requestID` on its audit records.
    public func perform(_ item: BulkItem, action: BulkAction, requestID: UUID = UUID(),
                        onResponseLost: (@Sendable () -> Void)? = nil) async -> OperationReport {
        switch action {
        case .enable:
            return await enable(iccid: item.iccid, requestID: requestID)
        case .disable:
            return await disable(iccid: item.iccid, requestID: requestID)
        case .throttle(let speed):
            return await throttle(iccid: item.iccid, speed: speed, requestID: requestID)
        case .fund, .topUp:
            // The plan fixed the amount, so a top-up sends exactly what the operator confirmed.
            guard let amount = item.amount else {
                return OperationReport(
                    outcome: .failed, esim: nil,
                    message: "Fund skipped for \(item.iccid): the bulk plan has no amount for it; nothing was sent.",
                    iccid: item.iccid)
            }
            return await fund(
                iccid: item.iccid, amount: amount, walletBefore: item.walletBefore,
                resellerBalanceBefore: item.resellerBalanceBefore, requestID: requestID, onResponseLost: onResponseLost)
        }
    }

    /// Runs `plan` one SIM at a time on the client's interactive lane; see `BulkRunner.run`.
    /// Each request's audit records carry `control.requestIDInFlight`, so a
    /// quit can record the SIM in flight under the same id.
    public func run(_ plan: BulkPlan, control: BulkRunControl, progress: BulkRunner.Progress) async -> BulkSummary {
        await BulkRunner.run(plan, control: control, send: { item in
            await perform(item, action: plan.action, requestID: control.requestIDInFlight ?? UUID()) {
                control.reportResponseLost(item)
            }
        }, progress: progress)
    }
}
