/// Exact simulator money in integer micro-dollars (1 USD = 1,000,000).
///
/// Wallets drain by fractions of a cent, so the model keeps them exact in
/// micro-dollars and only the API view rounds down to the cent, as Citrus does.
enum MicroDollars {
    static let perCent: Int64 = 10_000
    static let perDollar: Int64 = 1_000_000

    static func fromCents(_ cents: Int64) -> Int64 { cents * perCent }

    /// Whole cents, rounded toward negative infinity.
    static func centsRoundedDown(_ micros: Int64) -> Int64 {
        micros >= 0 ? micros / perCent : -((-micros + perCent - 1) / perCent)
    }

    /// Formats the exact amount with six decimal places, such as `19.999800`.
    static func decimalString(_ micros: Int64) -> String {
        let negative = micros < 0
        let magnitude = micros.magnitude
        let fraction = String(magnitude % UInt64(perDollar))
        let padded = String(repeating: "0", count: 6 - fraction.count) + fraction
        return (negative ? "-" : "") + String(magnitude / UInt64(perDollar)) + "." + padded
    }

    /// Formats the amount as `$12.34`, rounded down to the cent, for messages.
    static func display(_ micros: Int64) -> String {
        let cents = centsRoundedDown(micros)
        let fraction = cents.magnitude % 100
        return (cents < 0 ? "-$" : "$") + String(cents.magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
