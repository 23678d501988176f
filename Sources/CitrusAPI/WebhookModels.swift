import Foundation

/// A webhook registered with Citrus. The signing secret is not part of it:
/// Citrus returns the secret once, in `CreatedWebhook`.
public struct Webhook: Sendable, Hashable {
    public var id: String
    public var url: String
    /// Event names such as `esim.balance_low`, or `*` for all.
    public var events: [String]
    /// False once Citrus disabled it (after 10 failed deliveries in a row) or
    /// the reseller did; nil when omitted.
    public var enabled: Bool?
    public var createdAt: Date?
    /// Consecutive failed deliveries, when Citrus reports them.
    public var failureCount: Int?

    public init(id: String, url: String, events: [String], enabled: Bool? = nil, createdAt: Date? = nil, failureCount: Int? = nil) {
        self.id = id
        self.url = url
        self.events = events
        self.enabled = enabled
        self.createdAt = createdAt
        self.failureCount = failureCount
    }
}

extension Webhook: Decodable {
    enum CodingKeys: String, CodingKey {
        case id, url, events, enabled, active
        case createdAt = "created_at"
        case failureCount = "failure_count"
        case consecutiveFailures = "consecutive_failures"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        url = try container.decodeIfPresent(String.self, forKey: .url) ?? ""
        events = try container.decodeIfPresent([String].self, forKey: .events) ?? []
        enabled = try container.decodeLenientBoolIfPresent(forKey: .enabled)
            ?? container.decodeLenientBoolIfPresent(forKey: .active)
        createdAt = try container.decodeDateIfPresent(forKey: .createdAt)
        failureCount = try container.decodeLenientIntIfPresent(forKey: .failureCount)
            ?? container.decodeLenientIntIfPresent(forKey: .consecutiveFailures)
    }
}

/// The response to `POST /webhooks`: the webhook and its signing secret
/// (`whsec_…`), which Citrus shows only this once. `description` hides the secret.
public struct CreatedWebhook: Sendable, Hashable, CustomStringConvertible {
    public var webhook: Webhook
    public var signingSecret: String

    public init(webhook: Webhook, signingSecret: String) {
        self.webhook = webhook
        self.signingSecret = signingSecret
    }

    public var description: String {
        "CreatedWebhook(id: \(webhook.id), url: \(webhook.url), signingSecret: [hidden])"
    }
}

extension CreatedWebhook: Decodable {
    enum CodingKeys: String, CodingKey {
        case signingSecret = "signing_secret"
        case webhook
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        signingSecret = try container.decode(String.self, forKey: .signingSecret)
        // The webhook is the object itself, or nested under `webhook`.
        if container.contains(.webhook) {
            webhook = try container.decode(Webhook.self, forKey: .webhook)
        } else {
            webhook = try Webhook(from: decoder)
        }
    }
}

/// The response to `POST /webhooks/{id}/test`. Citrus's shape is not
/// documented: the webhook object is accepted, as is a delivery report.
public struct WebhookTestResult: Sendable, Hashable {
    /// The webhook, when the response contains it.
    public var webhook: Webhook?
    /// Whether the test delivery succeeded, when reported.
    public var delivered: Bool?
    /// The HTTP status of the receiver's response, when reported.
    public var responseStatus: Int?

    public init(webhook: Webhook? = nil, delivered: Bool? = nil, responseStatus: Int? = nil) {
        self.webhook = webhook
        self.delivered = delivered
        self.responseStatus = responseStatus
    }
}

extension WebhookTestResult: Decodable {
    enum CodingKeys: String, CodingKey {
        case id, webhook, delivered, success
        case responseStatus = "response_status"
        case statusCode = "status_code"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.webhook) {
            webhook = try container.decode(Webhook.self, forKey: .webhook)
        } else if container.contains(.id) {
            webhook = try Webhook(from: decoder)
        } else {
            webhook = nil
        }
        delivered = try container.decodeLenientBoolIfPresent(forKey: .delivered)
            ?? container.decodeLenientBoolIfPresent(forKey: .success)
        responseStatus = try container.decodeLenientIntIfPresent(forKey: .responseStatus)
            ?? container.decodeLenientIntIfPresent(forKey: .statusCode)
    }
}

/// A page of `GET /webhooks`: an envelope `{"webhooks": […]}` (or `data`) or a bare array.
struct WebhookList: Decodable {
    var webhooks: [Webhook]

    enum CodingKeys: String, CodingKey {
        case webhooks, data
    }

    init(from decoder: Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [Webhook] = []
            while !array.isAtEnd { items.append(try array.decode(Webhook.self)) }
            webhooks = items
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.webhooks) || !container.contains(.data) {
            webhooks = try container.decode([Webhook].self, forKey: .webhooks)
        } else {
            webhooks = try container.decode([Webhook].self, forKey: .data)
        }
    }
}
