import CitrusAPI
import Foundation

/// What changed in the fleet since the previous batch. The UI applies batches
/// to its own fleet model, so a sweep never hands over the whole fleet per page.
public struct FleetChangeBatch: Sendable {
    /// SIMs seen for the first time.
    public var added: [ESIM]
    /// SIMs whose reading differs from the previous one.
    public var changed: [ESIM]
    /// ICCIDs missing from a complete sweep.
    public var removed: [String]
    /// The reseller balance, when it was read in this batch.
    public var resellerBalance: ResellerBalance?
    /// Set when this batch ends a complete sweep.
    public var sweepCompletedAt: Date?
    /// A refresh failure in plain words, or nil. A later successful batch clears it.
    public var refreshError: String?

    public init(
        added: [ESIM] = [],
        changed: [ESIM] = [],
        removed: [String] = [],
        resellerBalance: ResellerBalance? = nil,
        sweepCompletedAt: Date? = nil,
        refreshError: String? = nil
    ) {
        self.added = added
        self.changed = changed
        self.removed = removed
        self.resellerBalance = resellerBalance
        self.sweepCompletedAt = sweepCompletedAt
        self.refreshError = refreshError
    }

    public var isEmpty: Bool {
        added.isEmpty && changed.isEmpty && removed.isEmpty && resellerBalance == nil
            && sweepCompletedAt == nil && refreshError == nil
    }
}
