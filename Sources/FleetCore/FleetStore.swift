import CitrusAPI
import Foundation

/// A SIM's position in a `FleetStore`. A handle stays valid for the store's
/// lifetime: SIMs that leave the fleet are marked gone, never moved.
public struct SIMHandle: Hashable, Comparable, Sendable {
    public let index: Int32

    init(_ index: Int32) {
        self.index = index
    }

    public static func < (lhs: SIMHandle, rhs: SIMHandle) -> Bool { lhs.index < rhs.index }
}

/// The core's model of the fleet: one record per ICCID with the latest
/// reading, last-seen time, a fixed ring of wallet readings and a gone flag.
///
/// Records are stored column by column (struct of arrays) with one-byte enum
/// codes, interned strings and 12-byte readings, so a SIM with a full history
/// costs well under a kilobyte. The store keeps only what the fleet table,
/// queries, metrics and events need: the QR code, LPA string and install link
/// are not stored, so the detail view reads those with `CitrusClient.esim`.
///
/// Applying a page costs O(page). A complete sweep costs one O(fleet) pass to
/// find the SIMs that are gone.
///
/// The refresh loop owns one store and derives change batches and events
/// from it. The UI can keep a mirror by calling `apply(_:)` with every batch;
/// the mirror then holds the same readings, metrics and gone flags.
public struct FleetStore: Sendable {
    /// The estimate and event rules.
    public let configuration: MetricsConfiguration
    /// Reading times are stored as Int32 seconds since this date.
    public let epoch: Date
    var estimator: BurnRateEstimator

    var slotsByICCID: [String: Int32] = [:]
    var iccids: [String] = []
    var statusCodes: [UInt8] = []
    var throttleCodes: [UInt8] = []
    var euiccCodes: [UInt8] = []
    var labelIDs: [Int32] = []
    var referenceIDs: [Int32] = []
    var groupIDs: [Int32] = []
    /// Cents, or `FleetStore.noMoney` when Citrus sent null.
    var wallets: [Int64] = []
    var charged: [Int64] = []
    /// Seconds since `epoch` of the first reading that showed the current
    /// charged total, so idle SIMs are found beyond the reading history.
    var chargeChangedAt: [Int32] = []
    /// Seconds since `epoch`.
    var lastSeen: [Int32] = []
    /// Seconds since `epoch`, or `FleetStore.noTime`.
    var activatedTimes: [Int32] = []
    var createdTimes: [Int32] = []
    var flags: [Flags] = []
    var seenSweep: [UInt32] = []
    var historyStart: [UInt8] = []
    var historyCount: [UInt8] = []
    /// `historyCapacity` readings per slot, slot after slot.
    var history: [WalletReading] = []
    /// Cents per hour of the fleet clock, or NaN when unknown. With the
    /// `burnIsBound` flag it is an upper bound (`BurnRate.below`).
    var burnRates: [Float] = []
    var strings = StringTable()
    /// Raw text of enum values this build does not know, by slot.
    var unknownRaw: [Int32: UnknownRawValues] = [:]

    var sweepGeneration: UInt32 = 0
    var reseller = ResellerState()

    static let noMoney = Int64.min
    static let noTime = Int32.min

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let gone = Flags(rawValue: 1 << 0)
        static let lowLatched = Flags(rawValue: 1 << 1)
        static let depletedLatched = Flags(rawValue: 1 << 2)
        /// The slot's `burnRates` entry is an upper bound, not an estimate.
        static let burnIsBound = Flags(rawValue: 1 << 3)
    }

    struct UnknownRawValues: Equatable, Sendable {
        var status: String?
        var throttle: String?
        var euiccState: String?
    }

    /// Creates an empty store. `epoch` anchors the compact reading times; any
    /// date within decades of the readings works.
    public init(configuration: MetricsConfiguration = MetricsConfiguration(), epoch: Date = Date()) {
        self.configuration = configuration
        self.epoch = epoch
        self.estimator = BurnRateEstimator(configuration: configuration)
    }

    /// SIMs in the store, including gone ones.
    public var count: Int { iccids.count }

    /// Every SIM in the order first seen, including gone ones.
    public var handles: [SIMHandle] {
        (0..<Int32(iccids.count)).map(SIMHandle.init)
    }

    /// The handle of a SIM, or nil if the store never saw it.
    public func handle(for iccid: String) -> SIMHandle? {
        slotsByICCID[iccid].map(SIMHandle.init)
    }

    /// Reserves room for `count` SIMs, so growing to a known fleet size does
    /// not leave the columns with spare capacity.
    public mutating func reserveCapacity(_ count: Int) {
        guard count > iccids.count else { return }
        slotsByICCID.reserveCapacity(count)
        iccids.reserveCapacity(count)
        statusCodes.reserveCapacity(count)
        throttleCodes.reserveCapacity(count)
        euiccCodes.reserveCapacity(count)
        labelIDs.reserveCapacity(count)
        referenceIDs.reserveCapacity(count)
        groupIDs.reserveCapacity(count)
        wallets.reserveCapacity(count)
        charged.reserveCapacity(count)
        chargeChangedAt.reserveCapacity(count)
        lastSeen.reserveCapacity(count)
        activatedTimes.reserveCapacity(count)
        createdTimes.reserveCapacity(count)
        flags.reserveCapacity(count)
        seenSweep.reserveCapacity(count)
        historyStart.reserveCapacity(count)
        historyCount.reserveCapacity(count)
        history.reserveCapacity(count * configuration.historyCapacity)
        burnRates.reserveCapacity(count)
    }

    // MARK: Time

    func seconds(since date: Date) -> Int32 {
        let interval = date.timeIntervalSince(epoch).rounded(.down)
        return Int32(clamping: Int64(max(Double(Int32.min + 1), min(Double(Int32.max), interval))))
    }

    func date(_ seconds: Int32) -> Date {
        epoch.addingTimeInterval(TimeInterval(seconds))
    }

    func optionalSeconds(_ date: Date?) -> Int32 {
        date.map(seconds(since:)) ?? Self.noTime
    }

    func optionalDate(_ seconds: Int32) -> Date? {
        seconds == Self.noTime ? nil : date(seconds)
    }
}
