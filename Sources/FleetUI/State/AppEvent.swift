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
}

extension AppEvent {
    var isFleetBatch: Bool {
        if case .fleetChanged = self { return true }
        return false
    }
}

/// An operator action on one SIM, sent over HTTP by the app.
public enum OperationRequest: Hashable, Sendable {
    case enable(iccid: String)
    case disable(iccid: String)
    /// `walletBefore` is the wallet the table showed, for the before/after
    /// report when the outcome is unknown.
    case fund(iccid: String, amount: Money, walletBefore: Money?)
    case throttle(iccid: String, speed: ThrottleSpeed)

    public var iccid: String {
        switch self {
        case .enable(let iccid), .disable(let iccid), .fund(let iccid, _, _), .throttle(let iccid, _):
            return iccid
        }
    }

    /// The status-line text while the request is in flight.
    public var progressMessage: String {
        switch self {
        case .enable(let iccid): return "Enabling \(iccid)…"
        case .disable(let iccid): return "Disabling \(iccid)…"
        case .fund(let iccid, let amount, _): return "Funding \(amount) to \(iccid)…"
        case .throttle(let iccid, let speed): return "Throttling \(iccid) to \(ThrottleSpeed.label(speed))…"
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
}

extension ThrottleSpeed {
    /// Returns the speed in words for pickers and messages: "no limit", "500 kbps".
    static func label(_ speed: ThrottleSpeed) -> String {
        if speed == .noLimit { return "no limit" }
        if let kbps = speed.kilobitsPerSecond { return "\(kbps) kbps" }
        return speed.rawValue
    }
}
