import CitrusAPI
import Foundation

/// Formatting of values for the screen.
enum DisplayFormat {
    /// An amount of US dollars without the dollar sign, for columns whose
    /// heading names the currency: `1,234.56`, `-0.05`.
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

    /// Formats how long ago `date` was, coarsely: `4s ago`, `12m ago`, `3h ago`.
    static func age(of date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        return "\(seconds / 3600)h ago"
    }
}
