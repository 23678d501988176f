import CitrusAPI
import Foundation

/// An action applied to many SIMs, one SIM at a time.
public enum BulkAction: Sendable, Hashable {
    case enable
    case disable
    case throttle(ThrottleSpeed)
    /// Adds this amount to each wallet.
    case fund(Money)
    /// Brings each wallet to this balance with one fund of the difference.
    case topUp(target: Money)

    /// Whether the action sends money (fund or top-up).
    public var movesMoney: Bool {
        switch self {
        case .fund, .topUp: return true
        case .enable, .disable, .throttle: return false
        }
    }

    /// The action's name at the start of a sentence: "Top-up", "Fund".
    public var title: String {
        switch self {
        case .enable: return "Enable"
        case .disable: return "Disable"
        case .throttle: return "Throttle"
        case .fund: return "Fund"
        case .topUp: return "Top-up"
        }
    }

    /// The change to each SIM in words: "fund $5.00 to each SIM", "top up each wallet to $20.00".
    public var perSIMDescription: String {
        switch self {
        case .enable: return "enable each SIM"
        case .disable: return "disable (suspend) each SIM"
        case .throttle(let speed): return "throttle each SIM to \(speed.shortName)"
        case .fund(let amount): return "fund \(amount) to each SIM"
        case .topUp(let target): return "top up each wallet to \(target)"
        }
    }
}

/// The reason a bulk action leaves a SIM out. A skipped SIM is never sent.
public enum BulkSkipReason: Int, Sendable, Hashable, CaseIterable, Comparable {
    case gone
    case terminated
    case alreadyActive
    case alreadySuspended
    case alreadyAtSpeed
    /// A SIM in a shared-balance group has no wallet of its own to fund.
    case sharedBalance
    /// A top-up whose wallet is unknown cannot compute the difference.
    case walletUnknown
    case alreadyAtTarget
    /// An earlier fund to this SIM lost its response, so it may have been
    /// applied: a bulk run never funds such a SIM again.
    case fundOutcomeUnknown

    public static func < (lhs: BulkSkipReason, rhs: BulkSkipReason) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The reason in words, as in "2 gone, 1 already at the target".
    public var text: String {
        switch self {
        case .gone: return "gone"
        case .terminated: return "terminated"
        case .alreadyActive: return "already active"
        case .alreadySuspended: return "already suspended"
        case .alreadyAtSpeed: return "already at that speed"
        case .sharedBalance: return "in a shared-balance group"
        case .walletUnknown: return "wallet not read yet"
        case .alreadyAtTarget: return "already at the target"
        case .fundOutcomeUnknown: return "with an earlier fund of unknown outcome"
        }
    }
}

/// One SIM a bulk action sends a request for.
public struct BulkItem: Sendable, Hashable {
    public var iccid: String
    /// The fund amount (fund and top-up), nil for the other actions.
    public var amount: Money?
    /// The wallet the table showed when the plan was made.
    public var walletBefore: Money?
    /// The last reseller balance known when this SIM is sent, set by the run
    /// for the before/after figures of an unknown fund.
    public var resellerBalanceBefore: Money?

    public init(iccid: String, amount: Money? = nil, walletBefore: Money? = nil, resellerBalanceBefore: Money? = nil) {
        self.iccid = iccid
        self.amount = amount
        self.walletBefore = walletBefore
        self.resellerBalanceBefore = resellerBalanceBefore
    }
}

/// A SIM that a bulk action leaves out, and why.
public struct BulkSkip: Sendable, Hashable {
    public var iccid: String
    public var reason: BulkSkipReason

    public init(iccid: String, reason: BulkSkipReason) {
        self.iccid = iccid
        self.reason = reason
    }
}

/// The SIMs, amounts and total of a bulk action, decided before anything is
/// sent, so the operator confirms exactly what the run uses.
///
/// A top-up's amounts come from the wallets on screen when the plan is made.
/// The run sends those amounts and does not read the wallets again, so a
/// wallet that drained meanwhile ends a little below the target.
public struct BulkPlan: Sendable, Equatable {
    public var action: BulkAction
    /// The SIMs to send, in the order given, each ICCID once.
    public var items: [BulkItem]
    public var skipped: [BulkSkip]
    /// The sum of the fund amounts; zero for actions that move no money.
    public var total: Money
    /// The reseller balance shown when the plan was made.
    public var resellerBalanceBefore: Money?

    /// Plans `action` for `sims`: the SIMs it makes sense for become items,
    /// the others are skipped with a reason, and a repeated ICCID is kept once.
    /// A fund or top-up skips the SIMs in `fundOutcomeUnknown`.
    public init(action: BulkAction, sims: [SIMRow], resellerBalance: Money?, fundOutcomeUnknown: Set<String> = []) {
        self.action = action
        self.resellerBalanceBefore = resellerBalance
        var items: [BulkItem] = []
        var skipped: [BulkSkip] = []
        var seen = Set<String>()
        for sim in sims where seen.insert(sim.iccid).inserted {
            if action.movesMoney && fundOutcomeUnknown.contains(sim.iccid) {
                skipped.append(BulkSkip(iccid: sim.iccid, reason: .fundOutcomeUnknown))
                continue
            }
            switch Self.decide(action, for: sim) {
            case .send(let item): items.append(item)
            case .skip(let reason): skipped.append(BulkSkip(iccid: sim.iccid, reason: reason))
            }
        }
        self.items = items
        self.skipped = skipped
        self.total = items.reduce(Money.zero) { $0 + ($1.amount ?? .zero) }
    }

    /// The reseller balance after every fund succeeds, when the balance before is known.
    public var resellerBalanceAfter: Money? {
        resellerBalanceBefore.map { $0 - total }
    }

    /// The skip counts by reason, in the order of `BulkSkipReason`.
    public var skipCounts: [(reason: BulkSkipReason, count: Int)] {
        let counts = Dictionary(grouping: skipped, by: \.reason).mapValues(\.count)
        return counts.keys.sorted().map { ($0, counts[$0] ?? 0) }
    }

    /// "2 gone, 1 already at the target", or "" when nothing is skipped.
    public var skipSummary: String {
        skipCounts.map { "\($0.count) \($0.reason.text)" }.joined(separator: ", ")
    }

    private enum Decision {
        case send(BulkItem)
        case skip(BulkSkipReason)
    }

    private static func decide(_ action: BulkAction, for sim: SIMRow) -> Decision {
        if sim.isGone { return .skip(.gone) }
        if sim.status == .terminated { return .skip(.terminated) }
        let hasOwnWallet = !(sim.walletBalance == nil && sim.groupID != nil)

        switch action {
        case .enable:
            return sim.status == .active ? .skip(.alreadyActive) : .send(BulkItem(iccid: sim.iccid))
        case .disable:
            return sim.status == .suspended ? .skip(.alreadySuspended) : .send(BulkItem(iccid: sim.iccid))
        case .throttle(let speed):
            return sim.throttleSpeed == speed ? .skip(.alreadyAtSpeed) : .send(BulkItem(iccid: sim.iccid))
        case .fund(let amount):
            guard hasOwnWallet else { return .skip(.sharedBalance) }
            return .send(BulkItem(iccid: sim.iccid, amount: amount, walletBefore: sim.walletBalance))
        case .topUp(let target):
            guard hasOwnWallet else { return .skip(.sharedBalance) }
            guard let wallet = sim.walletBalance else { return .skip(.walletUnknown) }
            guard let amount = FleetOperations.topUpAmount(currentWallet: wallet, target: target) else {
                return .skip(.alreadyAtTarget)
            }
            return .send(BulkItem(iccid: sim.iccid, amount: amount, walletBefore: wallet))
        }
    }
}
