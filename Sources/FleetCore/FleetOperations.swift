import CitrusAPI
import Foundation

/// The result of one operator action, ready for the status line.
public struct OperationReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case succeeded
        case failed
        /// The request may or may not have been applied (a fund with a lost response).
        case unknown
    }

    public var outcome: Outcome
    /// The SIM as Citrus returned it after the action, when it did.
    public var esim: ESIM?
    /// The reseller balance after the action, when known.
    public var resellerBalance: Money?
    /// A plain sentence for the status line.
    public var message: String

    public init(outcome: Outcome, esim: ESIM?, resellerBalance: Money? = nil, message: String) {
        self.outcome = outcome
        self.esim = esim
        self.resellerBalance = resellerBalance
        self.message = message
    }
}

/// Operator actions on single SIMs, sent through the client's interactive lane.
public struct FleetOperations: Sendable {
    private let client: CitrusClient

    public init(client: CitrusClient) {
        self.client = client
    }

    public func enable(iccid: String) async -> OperationReport {
        await run("Enable", iccid) { try await client.enable(iccid: iccid) }
    }

    public func disable(iccid: String) async -> OperationReport {
        await run("Disable", iccid) { try await client.disable(iccid: iccid) }
    }

    public func throttle(iccid: String, speed: ThrottleSpeed) async -> OperationReport {
        await run("Throttle to \(speed.shortName)", iccid) { try await client.throttle(iccid: iccid, speed: speed) }
    }

    /// Funds once. A lost response is reported as unknown with the read-back,
    /// never resent.
    public func fund(iccid: String, amount: Money) async -> OperationReport {
        do {
            switch try await client.fund(iccid: iccid, amount: amount) {
            case .applied(let result):
                let esim = try? await client.esim(iccid: iccid)
                let wallet = result.walletBalance.map { " Wallet now \($0)." } ?? ""
                return OperationReport(
                    outcome: .succeeded, esim: esim, resellerBalance: result.balanceRemaining,
                    message: "Funded \(amount) to \(iccid).\(wallet)")
            case .unknown(let unknown):
                let wallet = unknown.esimAfter?.walletBalance.map { "wallet reads \($0)" } ?? "wallet could not be read"
                return OperationReport(
                    outcome: .unknown, esim: unknown.esimAfter, resellerBalance: unknown.resellerBalanceAfter?.balance,
                    message: "Fund of \(amount) to \(iccid) may or may not have been applied (\(wallet)). Check before funding again.")
            }
        } catch {
            return OperationReport(outcome: .failed, esim: nil, message: "Fund \(amount) failed for \(iccid): \(error)")
        }
    }

    private func run(_ action: String, _ iccid: String, _ body: () async throws -> ESIM) async -> OperationReport {
        do {
            let esim = try await body()
            return OperationReport(outcome: .succeeded, esim: esim, message: "\(action) succeeded for \(iccid): status \(esim.status).")
        } catch {
            return OperationReport(outcome: .failed, esim: nil, message: "\(action) failed for \(iccid): \(error)")
        }
    }
}
