import CitrusAPI
import Foundation

/// The fleet a simulator starts with.
public enum FleetPreset: Sendable, Equatable {
    /// The walking-skeleton demo: a 30-traveler group trip, 200 GPS trackers,
    /// a dozen pay-as-you-go and "unlimited" travelers.
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
    public var speed: Double = 1
    public var fleet: FleetPreset = .demo
    /// When set, only this bearer key is accepted; otherwise any key starting with `rsk_`.
    public var apiKey: String?
    /// Requests per minute per API key before 429 `RATE_LIMITED`.
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

    public init() {}
}
