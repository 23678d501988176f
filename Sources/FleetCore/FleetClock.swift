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

    /// Creates a clock from any source of the current time, e.g. a test's
    /// manually advanced time.
    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The current time of this clock.
    public func now() -> Date {
        read()
    }

    /// The system's wall clock.
    public static let system = FleetClock { Date() }

    /// A clock that starts at `origin` when it is created and then runs
    /// `speed` times faster than real time.
    public static func scaled(speed: Double, origin: Date = Date()) -> FleetClock {
        let realStart = Date()
        return FleetClock {
            origin.addingTimeInterval(Date().timeIntervalSince(realStart) * speed)
        }
    }
}
