/// One wallet reading, stored compactly: 12 bytes, so a full history of every
/// SIM in a 100,000-SIM fleet stays small.
public struct WalletReading: Sendable, Hashable {
    /// The `chargedCents` of a reading without a charged total: Citrus sent
    /// null, or the history is not a SIM's (the reseller balance).
    public static let unknownCharge = Int32.min

    /// Seconds since the owning history's epoch (a fixed date chosen by the
    /// store). Int32 seconds cover 68 years.
    public var seconds: Int32
    /// The wallet as Citrus displayed it, in cents, rounded down by Citrus.
    public var cents: Int32
    /// The SIM's lifetime usage (`total_data_charged_usd`) as Citrus displayed
    /// it, in cents, or `unknownCharge`. Unlike the wallet, it does not rise
    /// with a fund.
    public var chargedCents: Int32

    public init(seconds: Int32, cents: Int32, chargedCents: Int32 = WalletReading.unknownCharge) {
        self.seconds = seconds
        self.cents = cents
        self.chargedCents = chargedCents
    }

    /// Clamps a cent amount into the Int32 range of a reading. A wallet above
    /// $21 million is not a real Citrus wallet, so clamping loses nothing.
    static func clampedCents(_ cents: Int64) -> Int32 {
        Int32(clamping: cents)
    }

    /// Clamps a charged total into the Int32 range above `unknownCharge`.
    static func clampedCharge(_ cents: Int64) -> Int32 {
        Int32(clamping: max(Int64(Int32.min) + 1, cents))
    }
}
