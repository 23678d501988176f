import CitrusAPI
import Foundation

extension FleetStore {
    /// Returns the SIMs matching `query`, in store order (the order first seen).
    /// Gone SIMs are left out unless the query mentions `gone`. `staleAfter`
    /// is in seconds of the fleet clock (see `SweepProgress.staleAfterSeconds`).
    /// Costs one pass over the fleet; text terms are tested once per distinct
    /// label or reference.
    public func select(_ query: FleetQuery, now: Date, staleAfter: TimeInterval) -> [SIMHandle] {
        var evaluator = QueryEvaluator(store: self, query: query, now: now, staleAfter: staleAfter)
        var result: [SIMHandle] = []
        for index in 0..<iccids.count where evaluator.matches(index) {
            result.append(SIMHandle(Int32(index)))
        }
        return result
    }

    /// Filters and sorts in one call: `select` followed by `sort`.
    public func select(_ query: FleetQuery, sortedBy order: FleetSortOrder, now: Date, staleAfter: TimeInterval) -> [SIMHandle] {
        sort(select(query, now: now, staleAfter: staleAfter), by: order, now: now)
    }

    // MARK: Values shared by queries and sorting

    /// Seconds from `now` until the wallet reaches `mark`: 0 when already
    /// there, `.infinity` when it never drains, nil when the rate is unknown,
    /// and the lower bound when the rate is only an upper bound. Matches
    /// `metrics(_:)`, but reads the stored rate instead of recomputing it
    /// from the history.
    func etaSeconds(_ index: Int, mark: Int64, nowSeconds: Double) -> Double? {
        let wallet = wallets[index]
        guard wallet != Self.noMoney else { return .infinity }
        let newest = Double(newestReadingSeconds(index))
        if wallet <= mark { return max(0, newest - nowSeconds) }
        guard statusCodes[index] == CompactCodes.code(.active) else { return .infinity }
        let rate = burnRates[index]
        if rate.isNaN { return nil }
        guard rate > 0 else { return .infinity }
        let untilMark = Double(wallet - mark) / Double(rate) * 3600 - Double(configuration.reportingLag)
        return max(0, newest + max(0, untilMark) - nowSeconds)
    }

    /// Returns the burn rate in cents per hour for queries and sorting: 0 when the
    /// SIM does not drain, nil when unknown, and the bound when only an upper
    /// bound is known.
    func burnCentsPerHour(_ index: Int) -> Double? {
        guard wallets[index] != Self.noMoney, statusCodes[index] == CompactCodes.code(.active) else { return 0 }
        let rate = burnRates[index]
        return rate.isNaN ? nil : Double(rate)
    }

    func nowSeconds(_ now: Date) -> Double {
        now.timeIntervalSince(epoch)
    }
}

/// Evaluates one query over a store, caching text matches per interned string.
struct QueryEvaluator {
    let store: FleetStore
    let terms: [FleetQueryTerm]
    let includeGone: Bool
    let nowSeconds: Double
    let staleLimit: Int32
    /// Per text term, per interned string: 0 untested, 1 match, 2 no match.
    var stringMatches: [[UInt8]]

    init(store: FleetStore, query: FleetQuery, now: Date, staleAfter: TimeInterval) {
        self.store = store
        // Cheap terms first, so text terms run only on SIMs that pass the rest.
        self.terms = query.terms.sorted { Self.cost($0.predicate) < Self.cost($1.predicate) }
        self.includeGone = query.includesGone
        self.nowSeconds = store.nowSeconds(now)
        self.staleLimit = store.staleSecondsLimit(now: now, staleAfter: staleAfter)
        self.stringMatches = Array(repeating: [], count: self.terms.count)
    }

    private static func cost(_ predicate: FleetQueryPredicate) -> Int {
        switch predicate {
        case .status, .throttle, .wallet, .stale, .low, .depleted, .gone: return 0
        case .burn, .eta: return 1
        case .label, .reference, .group: return 2
        case .iccid, .text: return 3
        }
    }

    mutating func matches(_ index: Int) -> Bool {
        if !includeGone && store.flags[index].contains(.gone) { return false }
        for termIndex in terms.indices {
            let term = terms[termIndex]
            if test(term.predicate, termIndex: termIndex, index: index) == term.negated { return false }
        }
        return true
    }

    private mutating func test(_ predicate: FleetQueryPredicate, termIndex: Int, index: Int) -> Bool {
        switch predicate {
        case .status(let status):
            return store.statusCodes[index] == CompactCodes.code(status)
        case .throttle(let filter):
            let code = store.throttleCodes[index]
            switch filter {
            case .none: return code == CompactCodes.code(.noLimit)
            case .limited: return code != CompactCodes.code(.noLimit)
            case .speed(let speed): return code == CompactCodes.code(speed)
            }
        case .wallet(let comparison, let amount):
            let wallet = store.wallets[index]
            return wallet != FleetStore.noMoney && comparison.compare(wallet, amount.cents)
        case .stale:
            return store.lastSeen[index] < staleLimit
        case .low:
            let wallet = store.wallets[index]
            return wallet != FleetStore.noMoney && wallet > 0 && wallet < store.configuration.lowWalletThreshold.cents
                && store.statusCodes[index] != CompactCodes.code(.terminated)
        case .depleted:
            let wallet = store.wallets[index]
            return wallet != FleetStore.noMoney && wallet <= 0 && store.statusCodes[index] != CompactCodes.code(.terminated)
        case .gone:
            return store.flags[index].contains(.gone)
        case .burn(let comparison, let limit):
            guard let rate = store.burnCentsPerHour(index) else { return false }
            return comparison.compare(rate, limit)
        case .eta(let comparison, let seconds):
            guard let eta = store.etaSeconds(index, mark: 0, nowSeconds: nowSeconds) else { return false }
            return comparison.compare(eta, Double(seconds))
        case .label(let pattern):
            return matchString(store.labelIDs[index], pattern, termIndex: termIndex)
        case .reference(let pattern):
            return matchString(store.referenceIDs[index], pattern, termIndex: termIndex)
        case .group(let pattern):
            return matchString(store.groupIDs[index], pattern, termIndex: termIndex)
        case .iccid(let pattern):
            return pattern.matches(store.iccids[index])
        case .text(let pattern):
            return matchString(store.labelIDs[index], pattern, termIndex: termIndex)
                || matchString(store.referenceIDs[index], pattern, termIndex: termIndex)
                || pattern.matches(store.iccids[index])
        }
    }

    /// Tests an interned string once per query and caches the result.
    /// Labels and references share one cache per term, which is sound
    /// because the result depends only on the string.
    private mutating func matchString(_ id: Int32, _ pattern: TextPattern, termIndex: Int) -> Bool {
        guard id >= 0 else { return false }
        if stringMatches[termIndex].isEmpty {
            stringMatches[termIndex] = [UInt8](repeating: 0, count: store.strings.count)
        }
        let cached = stringMatches[termIndex][Int(id)]
        if cached != 0 { return cached == 1 }
        let matched = pattern.matches(store.strings.strings[Int(id)])
        stringMatches[termIndex][Int(id)] = matched ? 1 : 2
        return matched
    }
}
