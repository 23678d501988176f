import Foundation

/// An amount of US dollars in integer cents. Citrus wallets, funds and the
/// reseller balance are all USD. This project never stores money in a `Double`.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in cents. Negative values occur only in differences.
    public var cents: Int64

    public init(cents: Int64) {
        self.cents = cents
    }

    public static let zero = Money(cents: 0)

    /// The smallest fund Citrus accepts: $0.01.
    public static let minimumFund = Money(cents: 1)
    /// The largest single fund Citrus accepts: $10,000.00.
    public static let maximumFund = Money(cents: 1_000_000)

    public static func dollars(_ whole: Int64) -> Money {
        Money(cents: whole * 100)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.cents += rhs.cents }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.cents -= rhs.cents }

    /// The amount as a `Decimal` number of dollars, exact.
    public var decimalDollars: Decimal {
        Decimal(cents) / 100
    }

    /// Converts a decimal number of dollars to cents, rounding down (toward
    /// negative infinity) below the cent. Citrus rounds wallet readings down,
    /// so this is the rounding that matches what it displays.
    public init(roundingDown dollars: Decimal) {
        var scaled = dollars * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .down)
        self.cents = NSDecimalNumber(decimal: rounded).int64Value
    }

    /// Converts a decimal number of dollars to cents if it has at most two
    /// decimal places; otherwise returns nil.
    public init?(exactly dollars: Decimal) {
        let scaled = dollars * 100
        var rounded = Decimal()
        var copy = scaled
        NSDecimalRound(&rounded, &copy, 0, .plain)
        guard rounded == scaled else { return nil }
        self.cents = NSDecimalNumber(decimal: rounded).int64Value
    }

    /// The amount as `$1,234.56`, or `-$3.20` when negative.
    public var description: String {
        formatted()
    }

    /// Formats the amount with the dollar sign, thousands separators and two
    /// decimals: `$1,234.56`, `-$0.05`.
    public func formatted(grouping: Bool = true) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        var wholeText = String(whole)
        if grouping && wholeText.count > 3 {
            var grouped: [Character] = []
            for (index, character) in wholeText.reversed().enumerated() {
                if index > 0 && index % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            wholeText = String(grouped.reversed())
        }
        let fractionText = fraction < 10 ? "0\(fraction)" : "\(fraction)"
        return (negative ? "-$" : "$") + wholeText + "." + fractionText
    }

    /// The amount as a plain decimal with two places and no sign or grouping,
    /// as it goes into a JSON body: `12.50`.
    public var plainDecimalString: String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (negative ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0\(fraction)" : "\(fraction)")
    }
}

/// The reason `Money.parseAmount` rejected an operator's amount.
public enum MoneyParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notANumber(String)
    case tooManyDecimals(String)
    /// Zero or negative, such as `0` or `-1`.
    case notPositive(String)
    /// A leading `+` on an otherwise valid amount.
    case signed(String)
    case aboveMaximum(String, maximum: Money)

    public var description: String {
        switch self {
        case .empty:
            return "Amount is missing. Type an amount in dollars, such as 12 or 12.50."
        case .notANumber(let text):
            return "Amount \"\(text)\" is not a number. Type dollars and cents with digits and one dot, such as 12 or 12.50."
        case .tooManyDecimals(let text):
            return "Amount \"\(text)\" has more than two decimals. Citrus accepts whole cents, such as 12.34."
        case .notPositive(let text):
            return "Amount \"\(text)\" must be at least $0.01."
        case .signed(let text):
            return "Amount \"\(text)\" has a plus sign. Type the amount without a sign, such as 12 or 12.50."
        case .aboveMaximum(let text, let maximum):
            return "Amount \"\(text)\" is above the Citrus maximum of \(maximum) per fund. Split it into smaller funds."
        }
    }
}

extension Money {
    /// Parses an amount typed by an operator, strictly: digits, an optional
    /// dot and at most two decimals, an optional leading `$`, surrounding
    /// spaces ignored. Rejects signs, exponents, `NaN`, grouping commas, zero
    /// and amounts above `maximum` (the Citrus fund limit by default). A sign
    /// before an otherwise valid amount gets its own error: `-1` is
    /// `.notPositive` and `+12` is `.signed`.
    public static func parseAmount(_ input: String, maximum: Money = .maximumFund) throws(MoneyParseError) -> Money {
        var text = input.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("$") { text.removeFirst() }
        guard !text.isEmpty else { throw .empty }

        if let sign = text.first, sign == "-" || sign == "+" {
            // The sign is the problem only when the rest is a number, so `-abc` and
            // `--1` stay "not a number" while `-1`, `-0.5` and `+12` name the sign.
            var rest = text.dropFirst()
            if rest.hasPrefix("$") { rest.removeFirst() }
            do {
                _ = try parseUnsigned(String(rest), input: input, maximum: maximum)
            } catch .notANumber {
                throw .notANumber(input)
            } catch .empty {
                throw .notANumber(input)
            } catch {
                // Zero, too many decimals or above the maximum: the sign still comes first.
            }
            throw sign == "-" ? .notPositive(input) : .signed(input)
        }
        return try parseUnsigned(text, input: input, maximum: maximum)
    }

    /// Parses `text`, which is `input` without spaces, `$` or sign, and reports errors with `input`.
    private static func parseUnsigned(_ text: String, input: String, maximum: Money) throws(MoneyParseError) -> Money {
        guard !text.isEmpty else { throw .empty }
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .notANumber(input) }
        let wholePart = parts[0]
        let fractionPart = parts.count == 2 ? parts[1] : ""
        let isDigits: (Substring) -> Bool = { $0.allSatisfy { $0 >= "0" && $0 <= "9" } }
        guard isDigits(wholePart), isDigits(fractionPart) else { throw .notANumber(input) }
        guard !(wholePart.isEmpty && fractionPart.isEmpty) else { throw .notANumber(input) }
        if parts.count == 2 && fractionPart.isEmpty { throw .notANumber(input) }
        guard fractionPart.count <= 2 else { throw .tooManyDecimals(input) }

        // Twelve digits of dollars is far above any limit and cannot overflow Int64 cents.
        let trimmedWhole = wholePart.drop(while: { $0 == "0" })
        guard trimmedWhole.count <= 12 else { throw .aboveMaximum(input, maximum: maximum) }

        let whole = Int64(trimmedWhole) ?? 0
        let paddedFraction = fractionPart.padding(toLength: 2, withPad: "0", startingAt: 0)
        let fraction = Int64(paddedFraction) ?? 0
        let amount = Money(cents: whole * 100 + fraction)

        guard amount.cents > 0 else { throw .notPositive(input) }
        guard amount <= maximum else { throw .aboveMaximum(input, maximum: maximum) }
        return amount
    }
}
