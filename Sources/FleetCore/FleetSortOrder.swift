import CitrusAPI
import Foundation

/// A column the fleet table can be sorted by.
public enum FleetSortKey: String, Sendable, Hashable, CaseIterable {
    case iccid
    case label
    case reference
    case group
    /// Lifecycle order: pending, active, suspended, terminated, then unknown values.
    case status
    /// Slowest cap first; no limit counts as the fastest.
    case throttle
    case wallet
    case burn
    /// Time until the wallet reaches $0.
    case eta
    /// Time until the wallet drops below the low mark.
    case etaLow = "eta_low"
    case lastSeen = "last_seen"
    case activated
    case created
    case charged
}

/// A sort column and direction. Sorting is stable: SIMs that compare equal
/// keep their input order. SIMs without a value for the column (no wallet,
/// unknown burn rate or ETA, no label) come last in both directions. A bound
/// sorts at its worst case: `< $0.05/h` as $0.05/h, and `> 8d` as 8 days, so
/// after `3h` and before `never` in ascending ETA order.
public struct FleetSortOrder: Sendable, Hashable {
    public var key: FleetSortKey
    public var ascending: Bool

    public init(_ key: FleetSortKey, ascending: Bool = true) {
        self.key = key
        self.ascending = ascending
    }

    /// The default order: ICCID ascending. For the order in which SIMs were
    /// first seen, use `FleetStore.select(_:now:staleAfter:)` without sorting.
    public static let none = FleetSortOrder(.iccid, ascending: true)
}

extension FleetStore {
    /// Sorts `handles` by one column, stably. `now` is needed for ETAs.
    /// Costs O(n log n) over the handles given, with each key computed once.
    public func sort(_ handles: [SIMHandle], by order: FleetSortOrder, now: Date) -> [SIMHandle] {
        switch order.key {
        case .iccid:
            return sortByString(handles, ascending: order.ascending) { iccids[$0] }
        case .label:
            return sortByInterned(handles, ascending: order.ascending) { labelIDs[$0] }
        case .reference:
            return sortByInterned(handles, ascending: order.ascending) { referenceIDs[$0] }
        case .group:
            return sortByInterned(handles, ascending: order.ascending) { groupIDs[$0] }
        default:
            let nowSeconds = nowSeconds(now)
            return sortByNumber(handles, ascending: order.ascending) { numericKey(order.key, $0, nowSeconds: nowSeconds) }
        }
    }

    private func numericKey(_ key: FleetSortKey, _ index: Int, nowSeconds: Double) -> Double? {
        switch key {
        case .status:
            return Double(statusCodes[index])
        case .throttle:
            let speed = CompactCodes.throttle(throttleCodes[index], raw: unknownRaw[Int32(index)]?.throttle)
            return speed.kilobitsPerSecond.map(Double.init) ?? .infinity
        case .wallet:
            return wallets[index] == Self.noMoney ? nil : Double(wallets[index])
        case .charged:
            return charged[index] == Self.noMoney ? nil : Double(charged[index])
        case .burn:
            return burnCentsPerHour(index)
        case .eta:
            return etaSeconds(index, mark: 0, nowSeconds: nowSeconds)
        case .etaLow:
            return etaSeconds(index, mark: configuration.lowWalletThreshold.cents, nowSeconds: nowSeconds)
        case .lastSeen:
            return Double(lastSeen[index])
        case .activated:
            return activatedTimes[index] == Self.noTime ? nil : Double(activatedTimes[index])
        case .created:
            return createdTimes[index] == Self.noTime ? nil : Double(createdTimes[index])
        case .iccid, .label, .reference, .group:
            return nil
        }
    }

    /// Sorts by a number; nil values last, ties in input order.
    private func sortByNumber(_ handles: [SIMHandle], ascending: Bool, key: (Int) -> Double?) -> [SIMHandle] {
        var keyed: [(value: Double, position: Int32)] = []
        keyed.reserveCapacity(handles.count)
        var missing: [SIMHandle] = []
        for (position, handle) in handles.enumerated() {
            if let value = key(Int(handle.index)), !value.isNaN {
                keyed.append((ascending ? value : -value, Int32(position)))
            } else {
                missing.append(handle)
            }
        }
        keyed.sort { $0.value != $1.value ? $0.value < $1.value : $0.position < $1.position }
        return keyed.map { handles[Int($0.position)] } + missing
    }

    /// Sorts by an interned string, ignoring ASCII case; nil values last.
    /// Ranks the distinct strings once, then sorts the handles by rank.
    private func sortByInterned(_ handles: [SIMHandle], ascending: Bool, id: (Int) -> Int32) -> [SIMHandle] {
        var used = Set<Int32>()
        for handle in handles {
            let stringID = id(Int(handle.index))
            if stringID >= 0 { used.insert(stringID) }
        }
        let ordered = used.sorted { TextOrdering.less(strings.strings[Int($0)], strings.strings[Int($1)]) }
        var rank = [Int32](repeating: -1, count: strings.count)
        for (position, stringID) in ordered.enumerated() { rank[Int(stringID)] = Int32(position) }
        return sortByNumber(handles, ascending: ascending) { index in
            let stringID = id(index)
            return stringID < 0 ? nil : Double(rank[Int(stringID)])
        }
    }

    private func sortByString(_ handles: [SIMHandle], ascending: Bool, string: (Int) -> String) -> [SIMHandle] {
        let positions = (0..<handles.count).sorted { a, b in
            let left = string(Int(handles[a].index)), right = string(Int(handles[b].index))
            if left == right { return a < b }
            return ascending ? TextOrdering.less(left, right) : TextOrdering.less(right, left)
        }
        return positions.map { handles[$0] }
    }
}

/// Orders strings by their UTF-8 bytes with ASCII letters folded to
/// lowercase, then by the exact bytes, so "berlin" and "Berlin" sit together.
enum TextOrdering {
    static func less(_ left: String, _ right: String) -> Bool {
        var left = left, right = right
        let folded = left.withUTF8 { l in right.withUTF8 { r in compare(l, r, fold: true) } }
        if folded != 0 { return folded < 0 }
        return left.withUTF8 { l in right.withUTF8 { r in compare(l, r, fold: false) } } < 0
    }

    private static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>, fold: Bool) -> Int {
        let count = min(left.count, right.count)
        for i in 0..<count {
            let a = fold ? TextMatching.foldByte(left[i]) : left[i]
            let b = fold ? TextMatching.foldByte(right[i]) : right[i]
            if a != b { return a < b ? -1 : 1 }
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }
}
