import Foundation

/// One entry of the mutation audit: a mutating request about to be sent, or
/// the outcome of one. Records never contain the API key.
public struct AuditRecord: Sendable, Hashable {
    /// The mutating call.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case provision
        case fund
        case enable
        case disable
        case throttle
        case defund
        case terminate
        case createWebhook = "create_webhook"
        case updateWebhook = "update_webhook"
        case deleteWebhook = "delete_webhook"
        case testWebhook = "test_webhook"
    }

    /// The stage of a request: about to be sent, or its outcome.
    public enum Phase: Sendable, Hashable {
        /// The request is about to be handed to the network (attempt 1, 2, …).
        /// Every fund Citrus applies was preceded by one of these.
        case sending(attempt: Int)
        /// Citrus confirmed the action with a 2xx response.
        case applied
        /// Citrus or the network rejected the action, and it certainly was not
        /// applied: an error envelope with a Citrus code, a 4xx, or a request
        /// that never left.
        case failed(code: String, httpStatus: Int?)
        /// The request may or may not have been applied: it was sent and no
        /// usable response came back (timeout, reset, a 5xx without a Citrus code).
        case unknown(reason: String)

        /// `sending`, `applied`, `failed` or `unknown`, for a log line.
        public var name: String {
            switch self {
            case .sending: return "sending"
            case .applied: return "applied"
            case .failed: return "failed"
            case .unknown: return "unknown"
            }
        }
    }

    /// Ties the `sending` records of one call to its outcome.
    public var requestID: UUID
    public var time: Date
    public var action: Action
    public var iccid: String?
    /// The fund amount; nil for other actions.
    public var amount: Money?
    /// Action details such as the throttle speed or the webhook id.
    public var detail: String?
    public var phase: Phase

    public init(requestID: UUID, time: Date = Date(), action: Action, iccid: String? = nil, amount: Money? = nil, detail: String? = nil, phase: Phase) {
        self.requestID = requestID
        self.time = time
        self.action = action
        self.iccid = iccid
        self.amount = amount
        self.detail = detail
        self.phase = phase
    }
}

/// Receives every `AuditRecord`, synchronously, before the client goes on.
public typealias CitrusAuditSink = @Sendable (AuditRecord) -> Void
