import Foundation

/// The simulator's clock: `now = start + real elapsed × speed + manual advance`,
/// in integer milliseconds since 1970.
///
/// Real time comes from a monotonic source, so the simulated clock never runs
/// backwards even when the wall clock is changed.
struct SimulatedClock {
    private(set) var startMillis: Int64
    private(set) var speed: Double
    /// Monotonic real time, in nanoseconds, when `speed` last changed.
    private var realBaseNanos: UInt64
    /// Simulated time at `realBaseNanos`, before the manual advance.
    private var simulatedBaseMillis: Int64
    private(set) var manualAdvanceMillis: Int64 = 0
    private let realNanos: @Sendable () -> UInt64

    init(start: Date, speed requestedSpeed: Double, realNanos: @escaping @Sendable () -> UInt64 = SimulatedClock.monotonicNanos) {
        let startSeconds = start.timeIntervalSince1970
        // Dates beyond ±100,000 years cannot be formatted anyway; fall back to 1970.
        self.startMillis = startSeconds.isFinite && abs(startSeconds) < 3e12 ? Int64((startSeconds * 1000).rounded(.down)) : 0
        self.speed = requestedSpeed.isFinite ? min(max(0, requestedSpeed), 1_000_000) : 1
        self.realNanos = realNanos
        self.realBaseNanos = realNanos()
        self.simulatedBaseMillis = startMillis
    }

    static let monotonicNanos: @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }

    /// Returns the simulated time now, in milliseconds since 1970.
    func now() -> Int64 {
        let real = realNanos()
        let elapsedNanos = real > realBaseNanos ? Double(real - realBaseNanos) : 0
        // Capped at about 290,000 years of simulated time, far beyond any run.
        let simulatedElapsed = Int64(min((elapsedNanos / 1_000_000 * speed).rounded(.down), 9e15))
        return simulatedBaseMillis + simulatedElapsed + manualAdvanceMillis
    }

    /// Moves the clock forward by `millis` (never backwards, so usage already
    /// evaluated stays valid).
    mutating func advance(millis: Int64) {
        manualAdvanceMillis += max(0, millis)
    }

    /// Changes the speed from now on without a jump in simulated time.
    mutating func setSpeed(_ newSpeed: Double) {
        let current = now() - manualAdvanceMillis
        realBaseNanos = realNanos()
        simulatedBaseMillis = current
        speed = newSpeed
    }
}

/// Converts a duration option to milliseconds without trapping: NaN and
/// negative values become 0, and values above ten years are capped there.
func durationMillis(seconds: Double) -> Int64 {
    let tenYears = 10.0 * 365 * 86_400
    guard seconds.isFinite, seconds > 0 else { return 0 }
    return Int64((min(seconds, tenYears) * 1000).rounded())
}

/// Formats simulated milliseconds as ISO-8601 UTC text, `2026-12-04T19:46:09Z`,
/// without `DateFormatter` (the list endpoint formats thousands of dates).
enum ISO8601Text {
    static func format(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        var text = ""
        text.reserveCapacity(20)
        text += pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "Z"
        return text
    }

    /// Converts days since 1970-01-01 to a proleptic Gregorian date, using
    /// 400-year eras of 146,097 days.
    static func civilDate(daysSince1970: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSince1970 + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
