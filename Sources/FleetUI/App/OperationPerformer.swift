import FleetCore

/// Sends operator actions. `FleetOperations` is the real one; tests supply
/// fakes.
public protocol OperationPerformer: Sendable {
    /// Sends `request` once and reports the result in plain words.
    func perform(_ request: OperationRequest) async -> OperationReport
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
