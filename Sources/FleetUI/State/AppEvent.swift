import CitrusAPI
import FleetCore
import Foundation

/// Something that happened, reduced into `AppState` by `AppState.reduce`.
public enum AppEvent: Sendable {
    case key(Key)
    /// A batch from the refresh loop.
    case fleetChanged(FleetChangeBatch)
    /// An operator action finished; the report carries the SIM as Citrus
    /// returned it.
    case operationFinished(OperationRequest, OperationReport)
    /// The terminal now has this many columns and rows.
    case resized(width: Int, height: Int)
    /// The clocks moved on: the fleet clock (which stamps readings, and runs
    /// faster than real time in the demo) and the wall clock (for "updated
    /// 12s ago" and retry countdowns). A nil wall clock means the same time.
    case tick(Date, wall: Date? = nil)
    /// SIGINT or SIGTERM arrived.
    case terminationRequested
    /// A bulk run is about to send one SIM.
    case bulkItemSent(BulkItem)
    /// The fund to this SIM lost its response: its outcome is unknown, and
    /// the client is reading the SIM and the reseller balance back.
    case fundResponseLost(iccid: String)
    /// A bulk run finished one SIM.
    case bulkProgress(BulkProgress)
    /// A bulk run ended: every SIM sent, or stopped early.
    case bulkFinished(BulkSummary)
}

extension AppEvent {
    var isFleetBatch: Bool {
        if case .fleetChanged = self { return true }
        return false
    }
}

/// An operator action on one SIM, sent over HTTP by the app.
public enum OperationRequest: Hashable, Sendable, CustomStringConvertible {
    case enable(iccid: String)
    case disable(iccid: String)
    /// `walletBefore` and `resellerBalanceBefore` are the figures on screen
    /// when the fund was sent, for the before/after report when the outcome
    /// is unknown.
    case fund(iccid: String, amount: Money, walletBefore: Money?, resellerBalanceBefore: Money? = nil)
    case throttle(iccid: String, speed: ThrottleSpeed)

    public var iccid: String {
        switch self {
        case .enable(let iccid), .disable(let iccid), .fund(let iccid, _, _, _), .throttle(let iccid, _):
            return iccid
        }
    }

    /// The status-line text while the request is in flight.
    public var progressMessage: String {
        switch self {
        case .enable(let iccid): return "Enabling \(iccid)…"
        case .disable(let iccid): return "Disabling \(iccid)…"
        case .fund(let iccid, let amount, _, _): return "Funding \(amount) to \(iccid)…"
        case .throttle(let iccid, let speed): return "Throttling \(iccid) to \(ThrottleSpeed.label(speed))…"
        }
    }

    /// The sentence printed after the terminal is restored when the process
    /// exits before this request's result arrived.
    public var unknownAtExitMessage: String {
        let sent = "was sent but no result arrived before quitting; its outcome is unknown."
        switch self {
        case .enable(let iccid):
            return "the enable of \(iccid) \(sent) Check the SIM's status before enabling it again."
        case .disable(let iccid):
            return "the disable of \(iccid) \(sent) Check the SIM's status before disabling it again."
        case .fund(let iccid, let amount, _, _):
            return "the fund of \(amount) to \(iccid) \(sent) Check the SIM before funding again."
        case .throttle(let iccid, let speed):
            return "the throttle of \(iccid) to \(ThrottleSpeed.label(speed)) \(sent) Check the SIM's speed before throttling it again."
        }
    }

    /// The request in log lines: "fund of $5.00 to 8910…", "throttle of 8910… to 1 Mbps".
    public var description: String {
        switch self {
        case .enable(let iccid): return "enable of \(iccid)"
        case .disable(let iccid): return "disable of \(iccid)"
        case .fund(let iccid, let amount, _, _): return "fund of \(amount) to \(iccid)"
        case .throttle(let iccid, let speed): return "throttle of \(iccid) to \(ThrottleSpeed.label(speed))"
        }
    }

    /// The sentence printed after the terminal is restored for a request
    /// that the quit stopped before it reached the network.
    public var notSentAtExitMessage: String {
        let notSent = "was not sent: citrus-fleet quit before it left, so nothing changed."
        switch self {
        case .enable(let iccid): return "the enable of \(iccid) \(notSent)"
        case .disable(let iccid): return "the disable of \(iccid) \(notSent)"
        case .fund(let iccid, let amount, _, _): return "the fund of \(amount) to \(iccid) \(notSent)"
        case .throttle(let iccid, let speed): return "the throttle of \(iccid) to \(ThrottleSpeed.label(speed)) \(notSent)"
        }
    }

    /// Builds the audit record of a request whose result did not arrive
    /// before exit, with the id of the request's own audit records.
    public func unknownAtExitAuditRecord(requestID: UUID, time: Date = Date()) -> AuditRecord {
        auditRecord(requestID: requestID, time: time, phase: .unknown(
            reason: "citrus-fleet exited before the result arrived; the operator did not see the outcome"))
    }

    /// Builds the audit record of a request that the quit stopped before it
    /// reached the network.
    public func notSentAtExitAuditRecord(requestID: UUID, time: Date = Date()) -> AuditRecord {
        auditRecord(requestID: requestID, time: time, phase: .failed(code: "NOT_SENT", httpStatus: nil))
    }

    private func auditRecord(requestID: UUID, time: Date, phase: AuditRecord.Phase) -> AuditRecord {
        switch self {
        case .enable(let iccid):
            return AuditRecord(requestID: requestID, time: time, action: .enable, iccid: iccid, phase: phase)
        case .disable(let iccid):
            return AuditRecord(requestID: requestID, time: time, action: .disable, iccid: iccid, phase: phase)
        case .fund(let iccid, let amount, _, _):
            return AuditRecord(requestID: requestID, time: time, action: .fund, iccid: iccid, amount: amount, phase: phase)
        case .throttle(let iccid, let speed):
            return AuditRecord(requestID: requestID, time: time, action: .throttle, iccid: iccid, detail: speed.rawValue, phase: phase)
        }
    }
}

/// Work that the reducer returns for the app to do.
public enum Effect: Equatable, Sendable {
    /// Send the request; its report comes back as `.operationFinished`.
    case perform(OperationRequest)
    /// Read this SIM's detail through the interactive lane while its detail
    /// view is open, or stop reading it (nil).
    case selectDetail(iccid: String?)
    /// Leave the UI loop and restore the terminal.
    case quit
    /// Run the plan one SIM at a time. Progress comes back as `.bulkProgress`,
    /// and the end as `.bulkFinished`.
    case startBulk(BulkPlan)
    /// Stop the bulk run before its next SIM, never cancelling the request in flight.
    case stopBulk
}

extension ThrottleSpeed {
    /// Returns the speed in words for pickers and messages: "no limit", "500 kbps".
    static func label(_ speed: ThrottleSpeed) -> String {
        if speed == .noLimit { return "no limit" }
        if let kbps = speed.kilobitsPerSecond { return "\(kbps) kbps" }
        return speed.rawValue
    }
}
