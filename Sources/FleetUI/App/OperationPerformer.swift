import FleetCore
import Foundation

/// Sends operator actions. `FleetOperations` is the real one; tests supply
/// fakes.
public protocol OperationPerformer: Sendable {
    /// Sends `request` once and reports the result in plain words.
    func perform(_ request: OperationRequest) async -> OperationReport

    /// Sends `request` once with `requestID` on its audit records, and calls
    /// `onResponseLost` when a fund's outcome becomes unknown, before its read-back.
    func perform(_ request: OperationRequest, requestID: UUID, onResponseLost: @escaping @Sendable () -> Void) async -> OperationReport

    /// Stops sending requests before the program exits. Requests already sent go on.
    func stopSending()

    /// Returns whether the request with `requestID` was sent; after
    /// `stopSending`, an unsent request can no longer leave.
    func wasSent(requestID: UUID) -> Bool

    /// Runs `plan` one SIM at a time, as `BulkRunner.run` describes.
    func run(_ plan: BulkPlan, control: BulkRunControl, progress: BulkRunner.Progress) async -> BulkSummary
}

extension OperationPerformer {
    /// Does nothing: performers without a network stop with the program.
    public func stopSending() {}

    /// Returns true, the cautious result, for performers that do not track requests.
    public func wasSent(requestID: UUID) -> Bool { true }

    /// Sends `request` without tracking: for performers that keep no audit.
    public func perform(_ request: OperationRequest, requestID: UUID, onResponseLost: @escaping @Sendable () -> Void) async -> OperationReport {
        await perform(request)
    }

    /// Sends each SIM of the plan through `perform(_:requestID:onResponseLost:)`.
    public func run(_ plan: BulkPlan, control: BulkRunControl, progress: BulkRunner.Progress) async -> BulkSummary {
        await BulkRunner.run(plan, control: control, send: { item in
            await perform(OperationRequest(item, action: plan.action), requestID: control.requestIDInFlight ?? UUID()) {
                control.reportResponseLost(item)
            }
        }, progress: progress)
    }
}

extension FleetOperations: OperationPerformer {
    public func perform(_ request: OperationRequest) async -> OperationReport {
        await perform(request, requestID: UUID()) {}
    }

    public func perform(_ request: OperationRequest, requestID: UUID, onResponseLost: @escaping @Sendable () -> Void) async -> OperationReport {
        switch request {
        case .enable(let iccid):
            return await enable(iccid: iccid, requestID: requestID)
        case .disable(let iccid):
            return await disable(iccid: iccid, requestID: requestID)
        case .fund(let iccid, let amount, let walletBefore, let resellerBalanceBefore):
            return await fund(
                iccid: iccid, amount: amount, walletBefore: walletBefore, resellerBalanceBefore: resellerBalanceBefore,
                requestID: requestID, onResponseLost: onResponseLost)
        case .throttle(let iccid, let speed):
            return await throttle(iccid: iccid, speed: speed, requestID: requestID)
        }
    }
}
