import Foundation

/// One page of `GET /esim/list`. `total` is nil when the server omits it
/// (or sends a bare array), and then callers page until a short page.
public struct ESIMPage: Sendable, Hashable {
    public var esims: [ESIM]
    public var total: Int?
    public var limit: Int
    public var offset: Int

    public init(esims: [ESIM], total: Int?, limit: Int, offset: Int) {
        self.esims = esims
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

/// The response to `POST /esim/{iccid}/fund`.
public struct FundResult: Sendable, Hashable {
    public var iccid: String
    public var funded: Money
    /// The wallet after the fund, rounded down to the cent. Nil if omitted.
    public var walletBalance: Money?
    /// The reseller balance after the fund. Nil if omitted.
    public var balanceRemaining: Money?

    public init(iccid: String, funded: Money, walletBalance: Money?, balanceRemaining: Money?) {
        self.iccid = iccid
        self.funded = funded
        self.walletBalance = walletBalance
        self.balanceRemaining = balanceRemaining
    }
}

/// The response to `GET /wallet/balance`: the reseller account's USD balance.
public struct ResellerBalance: Sendable, Hashable {
    public var balance: Money
    public var currency: String
    public var lifetimeTopUp: Money?
    public var lifetimeUsage: Money?

    public init(balance: Money, currency: String = "USD", lifetimeTopUp: Money? = nil, lifetimeUsage: Money? = nil) {
        self.balance = balance
        self.currency = currency
        self.lifetimeTopUp = lifetimeTopUp
        self.lifetimeUsage = lifetimeUsage
    }
}
