import CitrusAPI
import Foundation

/// The changes in the fleet since the previous batch. The UI applies batches
/// to its own fleet model, so a sweep never hands over the whole fleet per page.
/// A `FleetStore` mirror applies them with `FleetStore.apply(_:)`.
public struct FleetChangeBatch: Sendable {
    /// SIMs seen for the first time, or again after being gone.
    public var added: [ESIM]
    /// SIMs whose reading differs from the previous one.
    public var changed: [ESIM]
    /// ICCIDs missing from a complete sweep. The store keeps them, marked gone.
    public var removed: [String]
    /// The reseller balance, when it was read in this batch.
    public var resellerBalance: ResellerBalance?
    /// Set when this batch ends a complete sweep.
    public var sweepCompletedAt: Date?
    /// A refresh failure in plain words, or nil. A later successful batch clears it.
    public var refreshError: String?
    /// When the page, balance or detail in this batch was read (fleet clock).
    public var observedAt: Date?
    /// ICCIDs read in this batch with no change. They count as seen at
    /// `observedAt` and add a wallet reading to the history.
    public var unchanged: [String]
    /// Events derived from this batch's readings, oldest first.
    public var events: [FleetEvent]
    /// The refresh loop's health, when it changed or a failure repeated.
    public var health: RefreshHealth?
    /// Sweep progress and pacing, set on every page and sweep end.
    public var sweep: SweepProgress?
    /// The selected SIM as read through the interactive lane, with every
    /// field (QR code, LPA string), while its detail view is open.
    public var detail: ESIM?
    /// The reseller account (company, email, status), read at the first sweep
    /// and then about once an hour.
    public var account: CitrusAccount?

    public init(
        added: [ESIM] = [],
        changed: [ESIM] = [],
        removed: [String] = [],
        resellerBalance: ResellerBalance? = nil,
        sweepCompletedAt: Date? = nil,
        refreshError: String? = nil,
        observedAt: Date? = nil,
        unchanged: [String] = [],
        events: [FleetEvent] = [],
        health: RefreshHealth? = nil,
        sweep: SweepProgress? = nil,
        detail: ESIM? = nil,
        account: CitrusAccount? = nil
    ) {
        self.added = added
        self.changed = changed
        self.removed = removed
        self.resellerBalance = resellerBalance
        self.sweepCompletedAt = sweepCompletedAt
        self.refreshError = refreshError
        self.observedAt = observedAt
        self.unchanged = unchanged
        self.events = events
        self.health = health
        self.sweep = sweep
        self.detail = detail
        self.account = account
    }

    public var isEmpty: Bool {
        added.isEmpty && changed.isEmpty && removed.isEmpty && resellerBalance == nil
            && sweepCompletedAt == nil && refreshError == nil && unchanged.isEmpty
            && events.isEmpty && health == nil && sweep == nil && detail == nil && account == nil
    }

    /// Appends `other` to this batch: its SIM lists and events after these,
    /// its single values in place of these when set.
    public mutating func merge(_ other: FleetChangeBatch) {
        added += other.added
        changed += other.changed
        removed += other.removed
        unchanged += other.unchanged
        events += other.events
        resellerBalance = other.resellerBalance ?? resellerBalance
        sweepCompletedAt = other.sweepCompletedAt ?? sweepCompletedAt
        refreshError = other.refreshError ?? refreshError
        observedAt = other.observedAt ?? observedAt
        health = other.health ?? health
        sweep = other.sweep ?? sweep
        detail = other.detail ?? detail
        account = other.account ?? account
    }
}

/// Whether the refresh loop reaches the API.
public enum RefreshHealth: Sendable, Hashable {
    /// The last request succeeded.
    case healthy
    /// Every request since `since` failed (fleet clock). The loop retries at
    /// `nextRetryAt` (real time), backing off exponentially.
    case unreachable(since: Date, failures: Int, lastError: String, nextRetryAt: Date)
    /// Citrus at `host` rejected the API key (HTTP 401 or 403, with the Citrus
    /// `code` or "HTTP 403"). The loop stops sweeping until a restart.
    case keyRejected(host: String, code: String)

    /// The start of the outage, or nil when healthy.
    public var unreachableSince: Date? {
        if case .unreachable(let since, _, _, _) = self { return since }
        return nil
    }

    /// A status-line sentence: "API unreachable since 14:02:10 (3 failures, next retry in 8 s): …".
    public func formatted(now: Date = Date()) -> String {
        switch self {
        case .healthy:
            return "API reachable."
        case .unreachable(let since, let failures, let lastError, let nextRetryAt):
            let time = since.formatted(date: .omitted, time: .standard)
            let retry = max(0, Int(nextRetryAt.timeIntervalSince(now).rounded(.up)))
            let plural = failures == 1 ? "failure" : "failures"
            return "API unreachable since \(time) (\(failures) \(plural), next retry in \(retry) s): \(lastError)"
        case .keyRejected(let host, let code):
            return Self.keyRejectedMessage(host: host, code: code)
        }
    }

    /// "API key rejected by citrusmobile.com (INVALID_API_KEY). Check …".
    public static func keyRejectedMessage(host: String, code: String) -> String {
        "API key rejected by \(host) (\(code)). Check CITRUS_API_KEY or the key file."
    }

    /// Returns the cause of a failed request, short and without the endpoint,
    /// for the header: "INTERNAL_ERROR (HTTP 500): boom", "timed out".
    public static func cause(of error: any Error) -> String {
        guard let error = error as? CitrusError else { return "\(error)" }
        switch error {
        case .api(let status, let code, let message, _, _):
            return "\(code.rawValue) (HTTP \(status)): \(message)"
        case .transport(_, _, let reason):
            return reason
        case .decoding(_, let field, let reason):
            return "malformed response at \(field): \(reason)"
        case .invalidRequest(let reason):
            return reason
        }
    }

    /// Returns the code to show when `error` means Citrus rejected the API
    /// key (HTTP 401, or 403), or nil for any other failure.
    public static func rejectedKeyCode(of error: any Error) -> String? {
        guard let error = error as? CitrusError, let status = error.httpStatus else { return nil }
        guard error.code == .invalidAPIKey || status == 401 || status == 403 else { return nil }
        let code = error.code?.rawValue ?? ""
        return code.isEmpty ? "HTTP \(status)" : code
    }
}

/// Where the current sweep is and how it is paced.
public struct SweepProgress: Sendable, Hashable {
    /// Pages read in the current sweep.
    public var pagesRead: Int
    /// SIMs read in the current sweep.
    public var simsRead: Int
    /// The fleet size the API reported, when it did.
    public var totalSIMs: Int?
    /// The sweep's start (fleet clock).
    public var startedAt: Date
    /// The period of the last complete sweep (fleet clock seconds), or nil
    /// before the first one ends.
    public var lastSweepSeconds: Double?
    /// SIMs not seen for longer than this are stale (fleet clock seconds):
    /// two sweep periods, or two refresh intervals when that is longer.
    public var staleAfterSeconds: Double
    /// The background requests per minute the loop paces to.
    public var budgetPerMinute: Int

    public init(
        pagesRead: Int, simsRead: Int, totalSIMs: Int?, startedAt: Date,
        lastSweepSeconds: Double?, staleAfterSeconds: Double, budgetPerMinute: Int
    ) {
        self.pagesRead = pagesRead
        self.simsRead = simsRead
        self.totalSIMs = totalSIMs
        self.startedAt = startedAt
        self.lastSweepSeconds = lastSweepSeconds
        self.staleAfterSeconds = staleAfterSeconds
        self.budgetPerMinute = budgetPerMinute
    }
}
