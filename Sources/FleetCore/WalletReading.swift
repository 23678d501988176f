/// One wallet reading, stored compactly: 8 bytes, so a full history of every
/// SIM in a 100,000-SIM fleet stays small.
public struct WalletReading: Sendable, Hashable {
    /// Seconds since the owning history's epoch (a fixed date chosen by the
    /// store). Int32 seconds cover 68 years.
    public var seconds: Int32
    /// The wallet as Citrus displayed it, in cents, rounded down by Citrus.
    public var cents: Int32

    public init(seconds: Int32, cents: Int32) {
        self.seconds = seconds
        self.cents = cents
    }

    /// Clamps a cent amount into the Int32 range of a reading. A wallet above
    /// $21 million is not a real Citrus wallet, so clamping loses nothing.
    static func clampedCents(_ cents: Int64) -> Int32 {
        Int32(clamping: cents)
    }
}
