import Foundation

/// The outcome of a fund request. Citrus's `POST /fund` is not idempotent,
/// so a fund whose response was lost is reported as unknown and never resent.
public enum FundOutcome: Sendable {
    /// Citrus confirmed the fund.
    case applied(FundResult)
    /// The request may have reached Citrus, but no response arrived. The
    /// read-back shows the state after the attempt so the operator can decide.
    case unknown(UnknownFundOutcome)
}

/// A fund that was sent without a response, with what could be read back.
public struct UnknownFundOutcome: Sendable {
    public var iccid: String
    public var amount: Money
    /// The transport failure that lost the response.
    public var error: CitrusError
    /// The SIM as read after the attempt, or nil if the read-back failed too.
    public var esimAfter: ESIM?
    /// The reseller balance as read after the attempt, or nil if that failed.
    public var resellerBalanceAfter: ResellerBalance?

    public init(iccid: String, amount: Money, error: CitrusError, esimAfter: ESIM?, resellerBalanceAfter: ResellerBalance?) {
        self.iccid = iccid
        self.amount = amount
        self.error = error
        self.esimAfter = esimAfter
        self.resellerBalanceAfter = resellerBalanceAfter
    }
}
