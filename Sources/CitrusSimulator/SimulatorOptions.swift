import CitrusAPI
import Foundation

/// The fleet a simulator starts with.
public enum FleetPreset: Sendable, Equatable {
    /// The demo: 200 GPS trackers, a dozen pay-as-you-go and "unlimited"
    /// travelers, and a 30-traveler group trip that lands as the clock starts,
    /// so most travelers install and activate during the first three simulated hours.
    case demo
    /// No SIMs at all.
    case empty
    /// A generated mix, e.g. `iot:10000,travel:50,payg:20`.
    case mix(iot: Int, travel: Int, payg: Int)
}

/// Settings of a simulated Citrus reseller account. Every `citrus-sim` flag maps to one field.
public struct SimulatorOptions: Sendable {
    /// Seed of every random choice: the same seed gives the same fleet and the same usage
    /// for the same simulated clock.
    public var seed: UInt64 = 1
    /// Simulated seconds per real second (1 = real time; the dashboard's demo uses 60).
    /// 0 stops the clock, so only `POST /_sim/clock` moves it.
    public var speed: Double = 1
    public var fleet: FleetPreset = .demo
    /// When set, only this bearer key is accepted; otherwise any key starting with `rsk_`.
    public var apiKey: String?
    /// Requests per minute per API key before 429 `RATE_LIMITED`, counted over a
    /// rolling minute of real (wall) time.
    public var rateLimitPerMinute: Int = 100
    /// How far readings and balance events lag usage, in simulated minutes.
    public var reportingDelayMinutes: Double = 0
    /// The reseller account balance at start.
    public var startingResellerBalance: Money = .dollars(5_000)
    /// Simulated minutes a defund takes to settle and credit the reseller balance.
    public var defundSettleMinutes: Double = 15
    /// Deliver webhooks to non-loopback URLs too.
    public var allowRemoteWebhooks: Bool = false
    /// The simulated clock's start.
    public var startDate: Date = Date()

    /// Simulated seconds after provisioning during which fund and defund fail
    /// with 400 `WALLET_NOT_READY`.
    public var walletReadySeconds: Double = 5
    /// How many eSIMs `POST /esim/provision` can still issue before 503
    /// `NO_ESIMS_AVAILABLE`; nil for no limit.
    public var inventoryLimit: Int?
    /// The unit in which Citrus credits a fund to a wallet, in micro-dollars
    /// (0.000001 USD). The credit is the fund rounded down to a whole unit.
    /// With the default of 900 ($0.0009), funding $20 credits $19.9998 and shows
    /// $19.99, while $9, $18 and $27 come out exact, as Citrus's wallets do.
    /// 1 credits funds exactly.
    public var walletCreditUnitMicros: Int64 = 900
    /// The reseller balance below which `balance.low` fires once.
    public var resellerLowBalance: Money = .dollars(50)
    /// Mean simulated minutes from provisioning until the new eSIM's profile is
    /// enabled on a device and the SIM turns active. Each SIM gets a seeded time
    /// between half and one and a half times this. nil leaves new SIMs pending
    /// until `POST /_sim/esims/{iccid}/activate`.
    public var provisionedActivationMinutes: Double? = 30
    /// Real seconds before the first webhook retry; each further retry waits twice as long.
    public var webhookRetryBaseSeconds: Double = 1
    /// Attempts per webhook delivery, the first included.
    public var webhookMaxAttempts: Int = 6
    /// Real seconds between background evaluations of the whole fleet, which
    /// fire threshold events and webhooks even when no request reads the SIMs.
    /// 0 turns the background evaluation off (events then fire when SIMs are read).
    public var backgroundTickSeconds: Double = 1

    public init() {}
}
