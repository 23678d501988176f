import CitrusAPI

/// The rules of the burn-rate and ETA estimates, and of the wallet events.
public struct MetricsConfiguration: Sendable, Hashable {
    /// Readings older than this, counted back from the newest, are ignored
    /// (seconds). When the newest `minimumReadings` readings span more, as
    /// with slow sweeps, the window widens to that span, up to `maximumWindow`.
    public var window: Int32
    /// The widest the window gets for readings far apart (seconds).
    public var maximumWindow: Int32
    /// The shortest span of readings that gives a burn rate (seconds).
    public var minimumSpan: Int32
    /// The fewest readings that give a burn rate.
    public var minimumReadings: Int
    /// Citrus displays the wallet rounded down, up to about 5 cents below the
    /// exact wallet, so a rise of this many cents or fewer is display noise.
    /// A larger rise is a fund: it starts a new segment of the history.
    /// A smaller drop gives only an upper bound on the burn rate.
    public var noiseCents: Int32
    /// How far a displayed drop between two readings of one segment can be
    /// from the exact drop, in cents. Citrus rounds each figure down to the
    /// cent, so it is 1 when the offset below the exact wallet stays the
    /// same between funds.
    public var resolutionCents: Int32
    /// The time in seconds after which an active SIM whose charged total has
    /// not risen, and whose wallet has not dropped, counts as not draining
    /// with an ETA of "never". Until then a flat wallet gives only an upper bound.
    public var idleSpan: Int32
    /// How far Citrus wallet readings lag real usage (seconds). Citrus reports
    /// usage 10 to 15 minutes late. ETAs subtract the upper end, so they err
    /// early: the exact wallet is probably lower than the last reading.
    public var reportingLag: Int32
    /// The wallet below which a SIM counts as low. Citrus's own mark is $5.
    public var lowWalletThreshold: Money
    /// The reseller balance below which a "reseller balance low" event fires.
    public var lowResellerBalanceThreshold: Money
    /// Readings closer together than this replace the newest one instead of
    /// taking a new slot, so the fixed history covers `historyCapacity` ×
    /// this spacing even when a small fleet is swept every 10 seconds (seconds).
    public var historySpacing: Int32
    /// Readings kept per SIM. Memory per SIM grows by 12 bytes per reading.
    public var historyCapacity: Int

    public init(
        window: Int32 = 3600,
        maximumWindow: Int32 = 86_400,
        minimumSpan: Int32 = 600,
        minimumReadings: Int = 3,
        noiseCents: Int32 = 5,
        resolutionCents: Int32 = 1,
        idleSpan: Int32 = 86_400,
        reportingLag: Int32 = 900,
        lowWalletThreshold: Money = .dollars(5),
        lowResellerBalanceThreshold: Money = .dollars(50),
        historySpacing: Int32 = 120,
        historyCapacity: Int = 32
    ) {
        self.window = window
        self.maximumWindow = max(window, maximumWindow)
        self.minimumSpan = minimumSpan
        self.minimumReadings = minimumReadings
        self.noiseCents = noiseCents
        self.resolutionCents = resolutionCents
        self.idleSpan = idleSpan
        self.reportingLag = reportingLag
        self.lowWalletThreshold = lowWalletThreshold
        self.lowResellerBalanceThreshold = lowResellerBalanceThreshold
        self.historySpacing = historySpacing
        self.historyCapacity = max(2, min(historyCapacity, 255))
    }
}
