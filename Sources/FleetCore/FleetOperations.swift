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
    /// The SIM the action was for.
    public var iccid: String?
    /// The Citrus error code of a failure, such as `INSUFFICIENT_BALANCE`.
    public var errorCode: String?
    /// The wallet before the action, when the caller knew it (fund, top-up).
    public var walletBefore: Money?
    /// The cause of a failure alone, without the action or the SIM.
    public var reason: String?
    /// Whether the action failed below HTTP (no connection, a timeout, a
    /// reset): Citrus could not be reached, so the next action would most
    /// likely fail the same way.
    public var failedBelowHTTP = false

    public init(outcome: Outcome, esim: ESIM?, resellerBalance: Money? = nil, message: String,
                iccid: String? = nil, errorCode: String? = nil, walletBefore: Money? = nil) {
        self.outcome = outcome
        self.esim = esim
        self.resellerBalance = resellerBalance
        self.message = message
        self.iccid = iccid
        self.errorCode = errorCode
        self.walletBefore = walletBefore
    }
}

/// Operator actions on single SIMs, sent through the client's interactive lane.
///
/// Each SIM returned by an action is passed to the refresh loop (when given),
/// so the table shows the new state before the next sweep. Auditing happens
/// in the client: build it with `audit: auditLog.sink`.
public struct FleetOperations: Sendable {
    private let client: CitrusClient
    private let refreshLoop: RefreshLoop?

    public init(client: CitrusClient, refreshLoop: RefreshLoop? = nil) {
        self.client = client
        self.refreshLoop = refreshLoop
    }

    /// `requestID` is the id of the action's audit records (see `CitrusClient`).
    public func enable(iccid: String, requestID: UUID = UUID()) async -> OperationReport {
        await run("Enable", iccid) { try await client.enable(iccid: iccid, requestID: requestID) }
    }

    public func disable(iccid: String, requestID: UUID = UUID()) async -> OperationReport {
        await run("Disable", iccid) { try await client.disable(iccid: iccid, requestID: requestID) }
    }

    public func throttle(iccid: String, speed: ThrottleSpeed, requestID: UUID = UUID()) async -> OperationReport {
        await run("Throttle to \(speed.shortName)", iccid) { try await client.throttle(iccid: iccid, speed: speed, requestID: requestID) }
    }

    /// Terminates a SIM. Irreversible: Citrus forfeits the remaining wallet,
    /// so the UI must confirm first and suggest a defund.
    public func terminate(iccid: String) async -> OperationReport {
        await run("Terminate", iccid) { try await client.terminate(iccid: iccid) }
    }

    /// Starts returning a SIM's wallet to the reseller balance. Citrus
    /// returns 202 and credits the balance about 15 minutes later.
    public func defund(iccid: String) async -> OperationReport {
        do {
            let result = try await client.defund(iccid: iccid)
            let esim = try? await client.esim(iccid: iccid)
            await recordInLoop(esim)
            let amount = result.estimatedReturn.map { " about \($0)" } ?? ""
            let minutes = result.settlesInMinutes.map { " in about \($0) minutes" } ?? " later"
            return OperationReport(
                outcome: .succeeded, esim: esim,
                message: "Defund started for \(iccid): \(amount.isEmpty ? "the wallet" : String(amount.dropFirst())) returns to the reseller balance\(minutes).",
                iccid: iccid)
        } catch {
            return failure("Defund", iccid, error)
        }
    }

    /// Funds once. A lost response is reported as unknown with the read-back
    /// of the wallet and the reseller balance, before and after. It is never resent.
    /// `onResponseLost` runs when the outcome becomes unknown, before the read-back.
    public func fund(
        iccid: String, amount: Money, walletBefore: Money? = nil, resellerBalanceBefore: Money? = nil,
        requestID: UUID = UUID(), onResponseLost: (@Sendable () -> Void)? = nil
    ) async -> OperationReport {
        do {
            let outcome = try await client.fund(iccid: iccid, amount: amount, requestID: requestID) { _ in onResponseLost?() }
            switch outcome {
            case .applied(let result):
                let esim = try? await client.esim(iccid: iccid)
                await recordInLoop(esim)
                let wallet = result.walletBalance.map { " Wallet now \($0)." } ?? ""
                return OperationReport(
                    outcome: .succeeded, esim: esim, resellerBalance: result.balanceRemaining,
                    message: "Funded \(amount) to \(iccid).\(wallet)", iccid: iccid, walletBefore: walletBefore)
            case .unknown(let unknown):
                await recordInLoop(unknown.esimAfter)
                let message = Self.unknownFundMessage(
                    iccid: iccid, amount: amount, cause: Self.cause(of: unknown.error),
                    wallet: (walletBefore, unknown.esimAfter?.walletBalance),
                    resellerBalance: (resellerBalanceBefore, unknown.resellerBalanceAfter?.balance))
                return OperationReport(
                    outcome: .unknown, esim: unknown.esimAfter, resellerBalance: unknown.resellerBalanceAfter?.balance,
                    message: message, iccid: iccid, walletBefore: walletBefore)
            }
        } catch {
            var report = failure("Fund \(amount)", iccid, error)
            report.walletBefore = walletBefore
            return report
        }
    }

    /// Returns what lost a fund's result: "no response", or the HTTP status
    /// and code of an error that does not say whether the fund was applied.
    static func cause(of error: CitrusError) -> String {
        guard let status = error.httpStatus else { return "no response" }
        // A bare status comes back as the code HTTP_500, which repeats the status.
        var code = ""
        if let raw = error.code?.rawValue, !raw.hasPrefix("HTTP_") { code = " " + raw }
        return "Citrus returned HTTP \(status)\(code) without saying whether it was applied"
    }

    /// Returns the report of a fund with a lost response: "Fund of $3.00 to
    /// 8910…: no response; outcome unknown. Wallet $12.50 → $15.50, reseller
    /// balance $5,000.00 → $4,997.00. Check before funding again."
    public static func unknownFundMessage(
        iccid: String, amount: Money, cause: String = "no response", wallet: (before: Money?, after: Money?),
        resellerBalance: (before: Money?, after: Money?)
    ) -> String {
        func change(_ values: (before: Money?, after: Money?)) -> String {
            let before = values.before.map { "\($0)" } ?? "unknown"
            let after = values.after.map { "\($0)" } ?? "could not be read"
            return "\(before) → \(after)"
        }
        return "Fund of \(amount) to \(iccid): \(cause); outcome unknown. Wallet \(change(wallet)), "
            + "reseller balance \(change(resellerBalance)). Check before funding again."
    }

    /// Brings a wallet read as `currentWallet` up to `target` with one fund
    /// of the difference. Does nothing when the wallet is already there.
    public func topUp(iccid: String, currentWallet: Money, target: Money) async -> OperationReport {
        guard let amount = Self.topUpAmount(currentWallet: currentWallet, target: target) else {
            return OperationReport(
                outcome: .succeeded, esim: nil,
                message: "Top-up skipped for \(iccid): the wallet \(currentWallet) is at or above \(target), or one cent below it. Citrus rounds wallets down, so that cent is not funded.",
                iccid: iccid, walletBefore: currentWallet)
        }
        return await fund(iccid: iccid, amount: amount, walletBefore: currentWallet)
    }

    /// Returns the fund that brings `currentWallet` to `target`, or nil when
    /// none is needed. A wallet one cent below the target counts as there:
    /// Citrus rounds wallets down, so a top-up to $20 can read $19.99, and a
    /// second top-up must not fund that cent again. The amount is capped at
    /// the Citrus maximum per fund.
    public static func topUpAmount(currentWallet: Money, target: Money) -> Money? {
        let difference = target - currentWallet
        guard difference > roundingShortfall else { return nil }
        return min(difference, .maximumFund)
    }

    /// The largest amount that Citrus's round-down can take off a wallet reading: one cent.
    static let roundingShortfall = Money(cents: 1)

    // MARK: Helpers

    /// Stops sending requests, for a program about to exit: see `CitrusClient.stopSending`.
    public func stopSending() {
        client.stopSending()
    }

    /// Returns whether the action with `requestID` was handed to the network.
    public func wasSent(requestID: UUID) -> Bool {
        client.wasHandedToNetwork(requestID: requestID)
    }

    private func run(_ action: String, _ iccid: String, _ body: () async throws -> ESIM) async -> OperationReport {
        do {
            let esim = try await body()
            await recordInLoop(esim)
            return OperationReport(outcome: .succeeded, esim: esim, message: "\(action) succeeded for \(iccid): status \(esim.status).", iccid: iccid)
        } catch {
            return failure(action, iccid, error)
        }
    }

    private func failure(_ action: String, _ iccid: String, _ error: any Error) -> OperationReport {
        let code = (error as? CitrusError)?.code?.rawValue
        var report = OperationReport(outcome: .failed, esim: nil, message: "\(action) failed for \(iccid): \(error)", iccid: iccid, errorCode: code)
        if case .transport = error as? CitrusError { report.failedBelowHTTP = true }
        report.reason = (error as? CitrusError)?.message ?? "\(error)"
        return report
    }

    private func recordInLoop(_ esim: ESIM?) async {
        guard let esim, let refreshLoop else { return }
        await refreshLoop.record(esim)
    }
}
