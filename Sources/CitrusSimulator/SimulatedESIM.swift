import CitrusAPI

/// Something that happened to one SIM while its usage was evaluated, at an
/// exact simulated time. The account turns these into webhook events.
struct ESIMNotice {
    enum Kind {
        case activated
        case balanceLow
        case balanceDepleted
    }

    var kind: Kind
    /// Simulated milliseconds since 1970.
    var at: Int64
    var walletMicros: Int64
}

/// A wallet as of one simulated instant.
struct WalletReading {
    var walletMicros: Int64
    var chargedMicros: Int64
    var usedBytes: Int64
}

/// A defund whose money is on its way back to the reseller balance.
struct PendingDefund {
    var amountMicros: Int64
    var requestedAt: Int64
    var settlesAt: Int64
}

/// One SIM of the simulated account, with its exact wallet.
///
/// Usage is evaluated lazily. `checkpoint` is the simulated time up to which
/// the wallet is committed. It only moves to deterministic instants (hour
/// boundaries, activation, depletion, and the SIM's own state changes), never
/// to the moment a request happens to read the SIM. Reads compute the last
/// partial piece without committing it, so how often a SIM is read never
/// changes its ledger.
///
/// Decided: a wallet that reaches $0 keeps `status: "active"` (Citrus cuts data
/// but does not change the status); `dataCutOff` records the cut, and a fund
/// lifts it.
struct SimulatedESIM {
    static let hourMillis: Int64 = 3_600_000
    /// `esim.balance_low` fires when the wallet crosses below $5 (fixed at Citrus).
    static let lowBalanceMicros: Int64 = 5 * MicroDollars.perDollar

    // MARK: Identity

    /// The number behind the ICCID; also the SIM's key in every seeded hash.
    let serial: UInt64
    let id: String
    let iccid: String
    let lpaString: String
    let directInstallURL: String
    let createdAt: Int64
    let label: String?
    let endUserReference: String?
    let groupID: String?

    /// The unchanging members of the eSIM object, `id` to `created_at` with the QR
    /// code, serialized once for list pages. Nil until the QR code is made.
    var staticMembersJSON: [UInt8]?

    // MARK: Usage model

    let profile: UsageProfile
    /// Indices into `RatesTable.countries` the SIM travels between (by simulated day).
    let countries: [Int]

    // MARK: Lifecycle

    var downloadedAt: Int64?
    var installedAt: Int64?
    /// When the profile is enabled on the device and the SIM becomes active; nil: not yet scheduled.
    var activatedAt: Int64? {
        didSet { activatedAtText = activatedAt.map { ISO8601Text.format(millis: $0) } }
    }
    /// `activatedAt` as ISO-8601 text, formatted once per change.
    private(set) var activatedAtText: String?
    var activationNotified = false
    var throttle: ThrottleSpeed = .noLimit
    var suspended = false
    var terminatedAt: Int64?

    // MARK: Wallet, exact as of `checkpoint`

    var checkpoint: Int64
    var walletMicros: Int64 = 0
    var chargedMicros: Int64 = 0
    var usedBytes: Int64 = 0
    /// The wallet reached $0 through usage and the network cut data.
    var dataCutOff = false
    var pendingDefund: PendingDefund?
    /// The wallet lost to `terminate`, for the ledger.
    var forfeitedMicros: Int64 = 0
    /// `esim.balance_low` may fire: the wallet has been at $5 or more since it last fired.
    var lowBalanceArmed = false
    /// `esim.balance_depleted` may fire: the wallet has been above $0 since it last fired.
    var depletedArmed = false

    var isTerminated: Bool { terminatedAt != nil }

    func isActivated(at time: Int64) -> Bool {
        if let activatedAt { return activatedAt <= time }
        return false
    }

    /// `pending` until the profile is enabled, then `active`; `suspended` and
    /// `terminated` override both.
    func status(at time: Int64) -> ESIMStatus {
        if isTerminated { return .terminated }
        if suspended { return .suspended }
        return isActivated(at: time) ? .active : .pending
    }

    func euiccState(at time: Int64) -> EUICCState {
        if isActivated(at: time) { return .enabled }
        if let installedAt, installedAt <= time { return .installed }
        if let downloadedAt, downloadedAt <= time { return .downloaded }
        return .released
    }

    /// Checks whether the wallet pays for data at `time`, given the state since the checkpoint.
    ///
    /// NOTE: SIMs in a group never drain, because the group's shared balance is not modeled.
    private func drains(at time: Int64) -> Bool {
        !isTerminated && !suspended && pendingDefund == nil && groupID == nil
            && !dataCutOff && walletMicros > 0 && isActivated(at: time)
    }

    /// The throttle cap in bytes per second, or nil for no limit.
    private var capBytesPerSecond: Int64? {
        throttle.kilobitsPerSecond.map { Int64($0) * 125 }
    }

    // MARK: Evaluation

    /// Evaluates usage up to `time` and returns the wallet then.
    ///
    /// With `commitPartial`, the piece after the last boundary is committed too.
    /// Callers do that only right before changing the SIM's state at `time`, which
    /// makes `time` a boundary of its own. `time` must not be before `checkpoint`.
    mutating func evaluate(at time: Int64, seed: UInt64, commitPartial: Bool, notices: inout [ESIMNotice]) -> WalletReading {
        notifyActivation(upTo: time, notices: &notices)
        while checkpoint < time {
            let bucketIndex = floorDivide(checkpoint, Self.hourMillis)
            let bucketEnd = (bucketIndex + 1) * Self.hourMillis
            var end = min(bucketEnd, time)
            var isBoundary = end == bucketEnd
            if let activatedAt, activatedAt > checkpoint, activatedAt <= end {
                end = activatedAt
                isBoundary = true
            }

            guard drains(at: checkpoint) else {
                // Nothing changes until the next state change, which commits at its own
                // time, or until activation; so the checkpoint can jump.
                if let activatedAt, activatedAt > checkpoint, activatedAt <= time {
                    checkpoint = activatedAt
                } else {
                    checkpoint = time
                }
                continue
            }

            let bucket = UsageBucket(seed: seed, serial: serial, hourIndex: bucketIndex, profile: profile, countries: countries)
            let rate = min(bucket.bytesPerSecond, capBytesPerSecond ?? Int64.max)
            let elapsed = end - checkpoint
            let bytes = rate * elapsed / 1000
            let cost = bytes * bucket.perGBMicros / 1_000_000_000

            if lowBalanceArmed, walletMicros >= Self.lowBalanceMicros, walletMicros - cost < Self.lowBalanceMicros {
                let needed = walletMicros - Self.lowBalanceMicros + 1
                let crossing = checkpoint + Self.millis(toCharge: needed, rate: rate, perGBMicros: bucket.perGBMicros)
                lowBalanceArmed = false
                notices.append(ESIMNotice(kind: .balanceLow, at: crossing, walletMicros: Self.lowBalanceMicros - 1))
            }

            if cost >= walletMicros {
                let bytesNeeded = ceilDivide(walletMicros * 1_000_000_000, bucket.perGBMicros)
                checkpoint += Self.millis(toCharge: walletMicros, rate: rate, perGBMicros: bucket.perGBMicros)
                chargedMicros += walletMicros
                usedBytes += bytesNeeded
                walletMicros = 0
                dataCutOff = true
                if depletedArmed {
                    depletedArmed = false
                    notices.append(ESIMNotice(kind: .balanceDepleted, at: checkpoint, walletMicros: 0))
                }
                continue
            }

            guard isBoundary || commitPartial else {
                return WalletReading(walletMicros: walletMicros - cost, chargedMicros: chargedMicros + cost, usedBytes: usedBytes + bytes)
            }
            checkpoint = end
            walletMicros -= cost
            chargedMicros += cost
            usedBytes += bytes
        }
        return WalletReading(walletMicros: walletMicros, chargedMicros: chargedMicros, usedBytes: usedBytes)
    }

    /// Commits usage up to `time`; call before every state change at `time`.
    mutating func commit(at time: Int64, seed: UInt64, notices: inout [ESIMNotice]) {
        _ = evaluate(at: max(time, checkpoint), seed: seed, commitPartial: true, notices: &notices)
    }

    private mutating func notifyActivation(upTo time: Int64, notices: inout [ESIMNotice]) {
        guard !activationNotified, let activatedAt, activatedAt <= time else { return }
        activationNotified = true
        notices.append(ESIMNotice(kind: .activated, at: activatedAt, walletMicros: walletMicros))
    }

    /// Computes the milliseconds of usage at `rate` after which the charge reaches `micros`.
    /// Charges are floor(bytes × price / 10^9) with bytes = floor(rate × ms / 1000).
    private static func millis(toCharge micros: Int64, rate: Int64, perGBMicros: Int64) -> Int64 {
        guard rate > 0, perGBMicros > 0 else { return 0 }
        let bytesNeeded = ceilDivide(micros * 1_000_000_000, perGBMicros)
        return ceilDivide(bytesNeeded * 1000, rate)
    }
}

/// The usage of one SIM during one simulated hour: a data rate and the
/// network that carries it, both from seeded hashes.
struct UsageBucket {
    let bytesPerSecond: Int64
    let countryIndex: Int
    let networkIndex: Int
    let perGBMicros: Int64

    init(seed: UInt64, serial: UInt64, hourIndex: Int64, profile: UsageProfile, countries: [Int]) {
        let hourHash = SeededHash.hash(seed, serial, UInt64(bitPattern: hourIndex), 1)
        let hourOfDay = Int(((hourIndex % 24) + 24) % 24)
        bytesPerSecond = profile.bytesPerSecond(hash: hourHash, hourOfDay: hourOfDay)

        // Country and network depend only on the simulated day, so they change at most at midnight UTC.
        let dayIndex = floorDivide(hourIndex, 24)
        let dayHash = SeededHash.hash(seed, serial, UInt64(bitPattern: dayIndex), 2)
        countryIndex = countries.isEmpty ? 0 : countries[Int(dayHash % UInt64(countries.count))]
        let networks = RatesTable.countries[countryIndex].networks
        networkIndex = Int(SeededHash.mix(dayHash) % UInt64(networks.count))
        perGBMicros = networks[networkIndex].perGBMicros
    }
}

func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
}

func ceilDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    value >= 0 ? (value + divisor - 1) / divisor : -((-value) / divisor)
}
