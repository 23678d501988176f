import CitrusAPI
import Foundation

/// Formatting of values for the screen.
enum DisplayFormat {
    /// Formats an amount of US dollars without the dollar sign, for columns
    /// whose heading names the currency: `1,234.56`, `-0.05`.
    static func usd(_ money: Money) -> String {
        var text = money.formatted()
        if let dollar = text.firstIndex(of: "$") { text.remove(at: dollar) }
        return text
    }

    /// Formats a count with thousands separators: `100,000`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Formats a number of SIMs with the noun: `1 SIM`, `1,200 SIMs`.
    static func sims(_ value: Int) -> String {
        value == 1 ? "1 SIM" : "\(count(value)) SIMs"
    }

    /// Formats how long ago `date` was, coarsely: `4s ago`, `12m ago`, `3h ago`.
    static func age(of date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        return "\(seconds / 3600)h ago"
    }

    /// Formats the time of day as `20:14:05` in `timeZone`, on a 24-hour clock.
    static func clockTime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return [parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0]
            .map { $0 < 10 ? "0\($0)" : "\($0)" }
            .joined(separator: ":")
    }

    /// Formats a whole number of seconds coarsely: `45 s`, `8 min`, `3 h`.
    static func duration(seconds: Int) -> String {
        if seconds < 60 { return "\(max(0, seconds)) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        return "\(seconds / 3600) h"
    }
}
