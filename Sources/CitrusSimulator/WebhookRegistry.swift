import Foundation

/// One registered webhook.
struct Webhook {
    let id: String
    var url: String
    /// Event types, `*` for all, or a family such as `esim.*`.
    var events: [String]
    /// `whsec_…`; shown only in the response that creates the webhook.
    let signingSecret: String
    var enabled: Bool
    let createdAt: Int64
    var consecutiveFailures = 0
    var disabledReason: String?

    func wants(_ eventType: String) -> Bool {
        events.contains { pattern in
            if pattern == "*" || pattern == eventType { return true }
            if pattern.hasSuffix(".*") { return eventType.hasPrefix(pattern.dropLast()) }
            return false
        }
    }
}

/// One delivery to send: a signed envelope for one webhook.
struct WebhookDeliveryJob: Sendable {
    var webhookID: String
    var url: String
    var eventID: String
    var eventType: String
    var body: [UInt8]
    /// The `X-Citrus-Signature` header value.
    var signature: String
}

/// The outcome of one delivery attempt.
struct WebhookDeliveryResult: Sendable {
    var job: WebhookDeliveryJob
    var attempt: Int
    /// The HTTP status, or nil when no response arrived.
    var statusCode: Int?
    var failure: String?

    var succeeded: Bool {
        failure == nil && (statusCode.map { (200..<300).contains($0) } ?? false)
    }
}

/// The account's webhooks (at most 5) and the log of delivery attempts.
struct WebhookRegistry {
    static let maximumCount = 5
    /// Citrus disables a webhook after this many consecutive failed deliveries.
    static let failuresBeforeDisable = 10
    /// Delivery attempts kept for `GET /_sim/webhooks/deliveries`.
    static let logCapacity = 1_000

    /// Every event type of the Citrus webhook catalogue, plus the test event.
    static let knownEvents: Set<String> = [
        "esim.provisioned", "esim.activated", "esim.balance_low", "esim.balance_depleted",
        "esim.defunded", "esim.data_suspended", "esim.data_resumed", "esim.terminated",
        "balance.low", "balance.depleted", "balance.topped_up", "balance.auto_refill_succeeded",
        "balance.auto_refill_failed", "group.created", "group.updated", "group.deleted",
        "esim.group_assigned", "esim.group_removed", "webhook.test",
    ]

    private(set) var hooks: [Webhook] = []
    private(set) var log: [WebhookDeliveryResult] = []
    private var nextNumber = 1
    /// Seed of the webhook IDs, so the same seed gives the same IDs.
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    var hasEnabledWebhook: Bool { hooks.contains(where: \.enabled) }

    func index(of id: String) throws(APIError) -> Int {
        guard let index = hooks.firstIndex(where: { $0.id == id }) else {
            throw APIError(status: 404, code: "NOT_FOUND", message: "No webhook with id \(id). List them with GET /webhooks.")
        }
        return index
    }

    mutating func create(url: String, events: [String], now: Int64) throws(APIError) -> Webhook {
        guard hooks.count < Self.maximumCount else {
            throw .validation("This account already has \(Self.maximumCount) webhooks, the maximum. Delete one with DELETE /webhooks/{id} first.")
        }
        // The secret is the one value that does not follow the seed: a seeded secret
        // would let anyone who knows the seed forge deliveries.
        var secretBytes = [UInt8](repeating: 0, count: 24)
        var generator = SystemRandomNumberGenerator()
        for position in secretBytes.indices { secretBytes[position] = UInt8.random(in: 0...255, using: &generator) }
        let idHash = SeededHash.hash(seed, UInt64(nextNumber), 10)
        let webhook = Webhook(
            id: "wh_" + String(nextNumber) + "_" + String(idHash >> 32, radix: 16),
            url: url,
            events: events,
            signingSecret: "whsec_" + WebhookSignature.hex(secretBytes),
            enabled: true,
            createdAt: now
        )
        nextNumber += 1
        hooks.append(webhook)
        return webhook
    }

    mutating func update(_ index: Int, url: String?, events: [String]?, enabled: Bool?) {
        if let url { hooks[index].url = url }
        if let events { hooks[index].events = events }
        if let enabled {
            hooks[index].enabled = enabled
            if enabled {
                hooks[index].consecutiveFailures = 0
                hooks[index].disabledReason = nil
            }
        }
    }

    mutating func delete(_ index: Int) -> Webhook {
        hooks.remove(at: index)
    }

    /// Builds the signed deliveries of `events` to every enabled webhook subscribed to them.
    func deliveries(for events: [SimulatorEvent]) -> [WebhookDeliveryJob] {
        guard !events.isEmpty, !hooks.isEmpty else { return [] }
        var jobs: [WebhookDeliveryJob] = []
        for event in events {
            let body = Array(event.envelopeJSON.utf8)
            if let target = event.onlyWebhookID {
                if let hook = hooks.first(where: { $0.id == target }) { jobs.append(job(hook, event: event, body: body)) }
                continue
            }
            for hook in hooks where hook.enabled && hook.wants(event.type) {
                jobs.append(job(hook, event: event, body: body))
            }
        }
        return jobs
    }

    func job(_ hook: Webhook, event: SimulatorEvent, body: [UInt8]) -> WebhookDeliveryJob {
        WebhookDeliveryJob(webhookID: hook.id, url: hook.url, eventID: event.id, eventType: event.type, body: body, signature: WebhookSignature.sign(body: body, secret: hook.signingSecret))
    }

    /// Whether a retry that is due may still go out: only while its webhook exists and is
    /// enabled, so a DELETE or a PUT with `"enabled": false` drops the retries pending for it.
    func acceptsRetry(of job: WebhookDeliveryJob) -> Bool {
        hooks.contains { $0.id == job.webhookID && $0.enabled }
    }

    /// Records an attempt and returns whether a failed attempt should be retried:
    /// not after success, not once the webhook is deleted or disabled, and not
    /// after the last attempt.
    mutating func record(_ result: WebhookDeliveryResult, maxAttempts: Int) -> Bool {
        log.append(result)
        if log.count > Self.logCapacity { log.removeFirst(log.count - Self.logCapacity) }
        guard let index = hooks.firstIndex(where: { $0.id == result.job.webhookID }) else { return false }
        if result.succeeded {
            hooks[index].consecutiveFailures = 0
            return false
        }
        // Attempts still in flight when the webhook was disabled do not count.
        guard hooks[index].enabled else { return false }
        hooks[index].consecutiveFailures += 1
        if hooks[index].consecutiveFailures >= Self.failuresBeforeDisable {
            hooks[index].enabled = false
            hooks[index].disabledReason = "Disabled after \(Self.failuresBeforeDisable) consecutive failed deliveries."
        }
        return hooks[index].enabled && result.attempt < maxAttempts
    }
}
