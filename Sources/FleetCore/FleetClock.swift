import Foundation

/// The clock that stamps readings, last-seen times, events and ETAs.
///
/// Burn rates are dollars per hour of this clock. Against Citrus it is the
/// system clock. The demo simulator runs faster than real time (60 simulated
/// seconds per real second), so the dashboard passes `scaled(speed:origin:)`
/// with the same speed and start. Then burn rates read in dollars per
/// simulated hour and ETAs in simulated time. Request pacing always uses
/// real time, because the API budget is counted per real minute.
public struct FleetClock: Sendable {
    private let read: @Sendable () -> Date
    /// Fleet-clock seconds per real second, when the clock has a fixed rate: 1 for
    /// the system clock, the speed of a scaled clock, nil for other sources.
    public let rate: Double?

    /// Creates a clock from any source of the current time, e.g. a test's
    /// manually advanced time. Pass `rate` when the source runs at a known speed.
    public init(rate: Double? = nil, _ read: @escaping @Sendable () -> Date) {
        self.rate = rate
        self.read = read
    }

    /// The current time of this clock.
    public func now() -> Date {
        read()
    }

    /// The system's wall clock.
    public static let system = FleetClock(rate: 1) { Date() }

    /// A clock that starts at `origin` when it is created and then runs
    /// `speed` times faster than real time.
    public static func scaled(speed: Double, origin: Date = Date()) -> FleetClock {
        let realStart = Date()
        return FleetClock(rate: speed) {
            origin.addingTimeInterval(Date().timeIntervalSince(realStart) * speed)
        }
    }
}
