import CitrusAPI
import Foundation

/// Parsers of `citrus-sim` flag values. Each rejects a bad value with a message that
/// names the flag, the value and what the flag expects.
extension SimulatorCommandLine {
    static func invalid(_ value: String, flag: String, expected: String) -> SimulatorCommandLineError {
        SimulatorCommandLineError("Invalid value '\(value)' for \(flag): expected \(expected).")
    }

    /// Accepts an IPv4 or IPv6 literal (checked with `inet_pton`), or `localhost` as
    /// 127.0.0.1. Anything else is rejected here, so no value ever triggers a DNS lookup.
    static func parseHost(_ value: String) throws(SimulatorCommandLineError) -> String {
        if value.lowercased() == "localhost" { return "127.0.0.1" }
        var address = in6_addr()
        guard inet_pton(AF_INET, value, &address) == 1 || inet_pton(AF_INET6, value, &address) == 1 else {
            throw invalid(value, flag: "--host", expected: "an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost; host names are not looked up")
        }
        return value
    }

    static func parseNumber<Number>(_ value: String, flag: String, expected: String, _ convert: (String) -> Number?) throws(SimulatorCommandLineError) -> Number {
        guard let number = convert(value) else {
            throw invalid(value, flag: flag, expected: expected)
        }
        return number
    }

    static func parseProbability(_ value: String, flag: String) throws(SimulatorCommandLineError) -> Double {
        try parseNumber(value, flag: flag, expected: "a probability from 0 to 1, e.g. 0.05") {
            Double($0).flatMap { $0 >= 0 && $0 <= 1 ? $0 : nil }
        }
    }

    static func parseSeconds(_ value: String, flag: String) throws(SimulatorCommandLineError) -> Duration {
        let seconds = try parseNumber(value, flag: flag, expected: "seconds, a number above 0 and at most 86400, e.g. 30") {
            Double($0).flatMap { $0 > 0 && $0 <= 86_400 ? $0 : nil }
        }
        return .milliseconds(Int((seconds * 1000).rounded(.up)))
    }

    /// `50` (fixed) or `20..200` (uniform), in milliseconds.
    static func parseLatency(_ value: String) throws(SimulatorCommandLineError) -> ClosedRange<Int> {
        let expected = "milliseconds as N or MIN..MAX with whole numbers from 0 to \(FaultSettings.maxMilliseconds), e.g. 50 or 20..200"
        let bounds = value.components(separatedBy: "..")
        let numbers = bounds.compactMap { Int($0) }
        guard (1...2).contains(bounds.count), numbers.count == bounds.count,
              let low = numbers.first, let high = numbers.last,
              low >= 0, low <= high, high <= FaultSettings.maxMilliseconds else {
            throw invalid(value, flag: "--latency", expected: expected)
        }
        return low...high
    }

    /// `demo`, `empty`, or comma-separated `kind:count` with kinds `iot`, `travel`, `payg`.
    static func parseFleet(_ value: String) throws(SimulatorCommandLineError) -> FleetPreset {
        switch value {
        case "demo": return .demo
        case "empty": return .empty
        default: break
        }
        let expected = "demo, empty, or kind:count pairs joined by commas, with kinds iot, travel and payg and counts from 0 to 1000000, e.g. iot:10000,travel:50"
        var counts: [String: Int] = [:]
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2,
                  ["iot", "travel", "payg"].contains(String(pieces[0])),
                  counts[String(pieces[0])] == nil,
                  let count = Int(pieces[1]), (0...1_000_000).contains(count) else {
                throw invalid(value, flag: "--fleet", expected: expected)
            }
            counts[String(pieces[0])] = count
        }
        return .mix(iot: counts["iot"] ?? 0, travel: counts["travel"] ?? 0, payg: counts["payg"] ?? 0)
    }

    /// The largest dollar amount `--balance` and `--low-balance` take: $1,000,000,000,
    /// the same bound as `POST /_sim/balance`.
    static let maximumDollars: Int64 = 1_000_000_000

    /// Parses dollars strictly into cents, never through `Double`: digits with an optional
    /// dot and one or two decimals, from 0 to `maximumDollars`. Signs, exponents, `$`,
    /// grouping commas, `nan` and a third decimal are rejected.
    static func parseDollars(_ value: String, flag: String) throws(SimulatorCommandLineError) -> Money {
        let expected = "dollars with at most two decimals, from 0 to \(maximumDollars), e.g. 250 or 49.99"
        let parts = value.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count <= 2, !whole.isEmpty, whole.count <= 10, isDigits(whole),
              parts.count == 1 || (1...2).contains(fraction.count), isDigits(fraction),
              let dollars = Int64(whole) else {
            throw invalid(value, flag: flag, expected: expected)
        }
        let cents = dollars * 100 + (Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0)
        guard cents <= maximumDollars * 100 else {
            throw invalid(value, flag: flag, expected: expected)
        }
        return Money(cents: cents)
    }

    /// Parses a plain decimal number such as `15` or `0.5` within `range`. Signs,
    /// exponents, hexadecimal, `inf` and `nan` are rejected, so a typo cannot become
    /// an unexpected duration.
    static func parseDecimal(_ value: String, flag: String, range: ClosedRange<Double>, expected: String) throws(SimulatorCommandLineError) -> Double {
        let parts = value.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && isDigits($0) }), value.count <= 20,
              let number = Double(value), range.contains(number) else {
            throw invalid(value, flag: flag, expected: expected)
        }
        return number
    }

    /// Parses `--activation-minutes`: simulated minutes, or `never`.
    static func parseActivationMinutes(_ value: String) throws(SimulatorCommandLineError) -> Double? {
        if value == "never" { return nil }
        return try parseDecimal(value, flag: "--activation-minutes", range: 0...525_600, expected: "simulated minutes from 0 to 525600, or never, e.g. 30")
    }

    /// Parses `--start`: an ISO-8601 UTC time with seconds, from 1970 to 9999.
    static func parseStartTime(_ value: String) throws(SimulatorCommandLineError) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard value.hasSuffix("Z"), let date = formatter.date(from: value),
              date.timeIntervalSince1970 >= 0, date.timeIntervalSince1970 < 253_402_300_800 else {
            throw invalid(value, flag: "--start", expected: "an ISO-8601 UTC time such as 2026-06-01T08:00:00Z")
        }
        return date
    }

    private static func isDigits(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
