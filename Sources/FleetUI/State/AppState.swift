import CitrusAPI
import FleetCore
import Foundation

/// A line of feedback for the operator, shown in the status line.
public struct StatusMessage: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case info
        case success
        /// The outcome is uncertain and needs the operator's attention.
        case warning
        case error
    }

    public var text: String
    public var kind: Kind
    /// When the message goes away by itself (wall clock), or nil to keep it
    /// until the next one.
    public var expiresAt: Date?

    public init(_ text: String, kind: Kind, expiresAt: Date? = nil) {
        self.text = text
        self.kind = kind
        self.expiresAt = expiresAt
    }
}

/// The amount input of the fund prompt.
public struct FundPrompt: Equatable, Sendable {
    public var iccid: String
    /// The text the operator typed, kept when the amount is rejected.
    public var text: String = ""
    /// The reason the last Enter was rejected, in plain words.
    public var error: String?

    /// The maximum number of characters in the field. The largest valid
    /// amount, `$10000.00`, has 9.
    public static let maximumLength = 16
}

/// The confirmation of a large fund: what it does to the wallet and the
/// reseller balance, and the ICCID's last four digits typed so far. A stray
/// key cannot send it: Enter sends only when the typed digits match.
public struct FundConfirmation: Equatable, Sendable {
    public var iccid: String
    public var amount: Money
    /// The wallet the table showed when the amount was entered.
    public var walletBefore: Money?
    /// The reseller balance the header showed when the amount was entered.
    public var resellerBalanceBefore: Money?
    /// The digits typed so far.
    public var text: String = ""
    /// The reason the last Enter was rejected, in plain words.
    public var error: String?
    /// The amount of an earlier fund to this SIM whose outcome is unknown:
    /// it may have been applied, so this confirmation warns about it.
    public var earlierUnknownFund: Money?

    public init(iccid: String, amount: Money, walletBefore: Money?, resellerBalanceBefore: Money?,
                text: String = "", error: String? = nil, earlierUnknownFund: Money? = nil) {
        self.iccid = iccid
        self.amount = amount
        self.earlierUnknownFund = earlierUnknownFund
        self.walletBefore = walletBefore
        self.resellerBalanceBefore = resellerBalanceBefore
        self.text = text
        self.error = error
    }

    /// The text the operator must type: the last four characters of the ICCID.
    public var expectedText: String { String(iccid.suffix(4)) }

    public static let maximumLength = 8
}

/// A fund sent and not yet reported.
struct FundInFlight: Equatable, Sendable {
    var amount: Money
    /// Set once the status line reports that the response was lost.
    var reportedLost = false
}

/// The filter prompt: the query typed so far, kept when it is rejected.
public struct FilterPrompt: Equatable, Sendable {
    public var text: String
    /// The parse error of the last Enter (a `FleetQueryError` message).
    public var error: String?

    public init(text: String = "", error: String? = nil) {
        self.text = text
        self.error = error
    }

    public static let maximumLength = 200
}

/// The throttle speed picker.
public struct ThrottlePicker: Equatable, Sendable {
    public var iccid: String
    /// The SIM's speed when the picker opened.
    public var current: ThrottleSpeed
    /// The index of the highlighted speed in `ThrottleSpeed.allCases`.
    public var highlighted: Int
    /// The number of marked SIMs when the picker applies to them, or nil
    /// when it applies to `iccid` only.
    public var markedCount: Int?

    public init(iccid: String, current: ThrottleSpeed, highlighted: Int, markedCount: Int? = nil) {
        self.iccid = iccid
        self.current = current
        self.highlighted = highlighted
        self.markedCount = markedCount
    }
}

/// The sort picker: the orders the table offers, one highlighted.
public struct SortPicker: Equatable, Sendable {
    /// The index of the highlighted order in `SortPicker.options`.
    public var highlighted: Int

    public init(highlighted: Int) {
        self.highlighted = highlighted
    }

    /// The orders offered: the order first seen, then every sort key.
    public static let options: [FleetSortKey?] = [nil] + FleetSortKey.allCases.map(Optional.some)

    /// Returns the words for a sort key in the picker and messages.
    public static func label(_ key: FleetSortKey?) -> String {
        switch key {
        case nil: return "first seen (the API's list order)"
        case .iccid: return "ICCID"
        case .label: return "label"
        case .reference: return "end-user reference"
        case .group: return "group"
        case .status: return "status (pending, active, suspended, terminated)"
        case .throttle: return "throttle (slowest cap first)"
        case .wallet: return "wallet"
        case .burn: return "burn rate"
        case .eta: return "time until the wallet reaches $0"
        case .etaLow: return "time until the wallet is low"
        case .lastSeen: return "last seen"
        case .activated: return "activated"
        case .created: return "created"
        case .charged: return "total charged"
        }
    }
}

/// The part of the screen that receives keys.
public enum InputMode: Equatable, Sendable {
    case browsing
    case fundPrompt(FundPrompt)
    /// A fund at or above `AppState.confirmFundAbove`, waiting for the
    /// operator to type the ICCID's last four digits.
    case fundConfirmation(FundConfirmation)
    case throttlePicker(ThrottlePicker)
    case filterPrompt(FilterPrompt)
    case sortPicker(SortPicker)
    /// The help overlay, scrolled down by this many lines.
    case help(scroll: Int)
    /// The amount or top-up target for every marked SIM.
    case bulkFundPrompt(BulkFundPrompt)
    /// The count, amounts and total of a bulk action, before anything is sent.
    case bulkConfirmation(BulkConfirmation)
    /// The result of the last bulk run, scrolled down by this many lines.
    case bulkSummary(BulkSummary, scroll: Int)
}

/// Everything the views draw. It changes only through `reduce(_:)`.
public struct AppState: Sendable {
    /// Set when the dashboard talks to the built-in simulator.
    public var isDemo: Bool
    /// Set by `--read-only`: every key that changes a SIM is off.
    public var isReadOnly: Bool

    public var fleet: FleetModel
    /// The row of the selected SIM in `fleet.visible`.
    public var selectedRow = 0
    /// The selected SIM, so the selection follows it when the order changes.
    public var selectedICCID: String?
    /// The first row of `fleet.visible` shown in the table body.
    public var scrollTop = 0
    public var layout: ScreenLayout
    public var mode: InputMode = .browsing
    public var status: StatusMessage?
    public var resellerBalance: Money?
    /// The end of the last complete sweep (fleet clock).
    public var lastSweepCompletedAt: Date?
    /// When the UI received that sweep's end (wall clock), for "updated 12s ago".
    public var lastSweepReceivedAt: Date?
    /// The last refresh failure, until a later batch succeeds.
    public var refreshError: String?
    /// Whether the refresh loop reaches the API, from its last report.
    public var health: RefreshHealth = .healthy
    /// The sweep under way, or nil between sweeps.
    public var sweepInProgress: SweepProgress?
    /// The fleet clock's time: burn rates, ETAs and stale rows are measured
    /// against it. In the demo it is the simulator's time.
    public var now: Date
    /// The wall clock's time, for "updated 12s ago" and retry countdowns.
    public var wallNow: Date
    /// The burn-rate and low-wallet rules, shared with the refresh loop.
    public let metrics: MetricsConfiguration
    /// The time zone of times of day on screen ("since 20:14:05").
    public var timeZone: TimeZone = .current
    /// The SIM whose detail view is open, or nil when the table shows.
    public var detailICCID: String?
    /// The open SIM as last read through the interactive lane, with every
    /// field (LPA string, install link, QR code), or nil before the first read.
    public var detail: ESIM?
    /// The first line of the detail view on screen.
    public var detailScroll = 0
    /// The newest fleet events, newest last, for the events pane.
    public var events: [FleetEvent] = []
    /// ICCIDs with an action in flight, so a second action on the same SIM
    /// waits for the first one's result.
    public var pendingICCIDs: Set<String> = []
    /// The funds in flight, by ICCID, with when they were sent (wall clock).
    var fundsInFlight: [String: FundInFlight] = [:]
    /// SIMs whose last fund lost its response, in this session or in an
    /// earlier one (read from the audit log at start), with that fund's amount. It may have been applied, so another fund to such a SIM
    /// needs the typed confirmation, and bulk funds skip it. A later fund
    /// that succeeds clears the entry.
    public var fundOutcomeUnknown: [String: Money] = [:]
    /// Funds of this amount or more need a typed confirmation
    /// (`confirm_fund_above_usd`).
    public var confirmFundAbove: Money = .dollars(100)
    /// Set once the operator has asked to quit.
    public var hasQuit = false
    /// The marked SIMs. Marks follow the SIM through sorts, filters and
    /// sweeps, because a handle never changes while the dashboard runs.
    public var marked: Set<SIMHandle> = []
    /// The counts of `marked`, as of the last change of marks or order.
    public var markCounts = MarkCounts()
    /// The bulk run under way, or nil.
    public var bulkRun: BulkRunState?

    public init(
        isDemo: Bool, isReadOnly: Bool, width: Int, height: Int, now: Date = Date(), wallNow: Date? = nil,
        metrics: MetricsConfiguration = MetricsConfiguration()
    ) {
        self.isDemo = isDemo
        self.isReadOnly = isReadOnly
        self.layout = ScreenLayout(width: width, height: height)
        self.now = now
        self.wallNow = wallNow ?? now
        self.metrics = metrics
        self.fleet = FleetModel(metrics: metrics, epoch: now)
    }

    /// The SIM under the selection, if any row is shown.
    public var selectedSIM: SIMRow? {
        fleet.row(at: selectedRow)
    }

    /// The SIM that action keys act on: the open detail's, else the selected one.
    public var actionTarget: SIMRow? {
        if let detailICCID { return fleet.row(iccid: detailICCID) }
        return selectedSIM
    }
}
