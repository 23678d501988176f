import FleetCore

/// Sends operator actions. `FleetOperations` is the real one; tests supply
/// fakes.
public protocol OperationPerformer: Sendable {
    /// Sends `request` once and reports the result in plain words.
    func perform(_ request: OperationRequest) async -> OperationReport

    /// Runs `plan` one SIM at a time, as `BulkRunner.run` describes.
    func run(_ plan: BulkPlan, control: BulkRunControl, progress: BulkRunner.Progress) async -> BulkSummary
}

extension OperationPerformer {
    /// Sends each SIM of the plan through `perform(_:)`.
    public func run(_ plan: BulkPlan, control: BulkRunControl, progress: BulkRunner.Progress) async -> BulkSummary {
        await BulkRunner.run(plan, control: control, send: { await perform(OperationRequest($0, action: plan.action)) }, progress: progress)
    }
}

extension FleetOperations: OperationPerformer {
    public func perform(_ request: OperationRequest) async -> OperationReport {
        switch request {
        case .enable(let iccid):
            return await enable(iccid: iccid)
        case .disable(let iccid):
            return await disable(iccid: iccid)
        case .fund(let iccid, let amount, let walletBefore, let resellerBalanceBefore):
            return await fund(
                iccid: iccid, amount: amount, walletBefore: walletBefore, resellerBalanceBefore: resellerBalanceBefore)
        case .throttle(let iccid, let speed):
            return await throttle(iccid: iccid, speed: speed)
        }
    }
}
