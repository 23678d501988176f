import Foundation

/// `/webhooks` CRUD and `/webhooks/{id}/test`.
enum WebhookRoutes {
    /// `segments` follow `/webhooks`: `[]`, `[id]` or `[id, "test"]`.
    static func route(_ request: HTTPRequest, segments: [String], account: inout ResellerAccount, now: Int64) throws(APIError) -> HTTPResponse {
        switch (request.method, segments.count) {
        case ("GET", 0):
            return list(account.webhooks)
        case ("POST", 0):
            return try create(request, account: &account, now: now)
        case ("GET", 1):
            let index = try account.webhooks.index(of: segments[0])
            return webhookResponse(account.webhooks.hooks[index])
        case ("PUT", 1):
            return try update(request, id: segments[0], account: &account)
        case ("DELETE", 1):
            let index = try account.webhooks.index(of: segments[0])
            return webhookResponse(account.webhooks.delete(index))
        case ("POST", 2):
            return try sendTest(id: segments[0], account: &account, now: now)
        default:
            let allowed = segments.isEmpty ? "GET, POST" : (segments.count == 1 ? "GET, PUT, DELETE" : "POST")
            throw APIError(status: 405, code: "METHOD_NOT_ALLOWED", message: "\(request.method) is not allowed on \(request.path). Use \(allowed).", headers: [("Allow", allowed)])
        }
    }

    private static func create(_ request: HTTPRequest, account: inout ResellerAccount, now: Int64) throws(APIError) -> HTTPResponse {
        let body = try RequestBody.object(request)
        let url = try checkedURL(try RequestBody.requiredString(body, "url"), allowRemote: account.options.allowRemoteWebhooks)
        let events = try checkedEvents(body["events"] ?? .array([.string("*")]))
        let webhook = try account.webhooks.create(url: url, events: events, now: now)
        return webhookResponse(webhook, status: 201, includeSecret: true)
    }

    private static func update(_ request: HTTPRequest, id: String, account: inout ResellerAccount) throws(APIError) -> HTTPResponse {
        let index = try account.webhooks.index(of: id)
        let body = try RequestBody.object(request)
        let url = try body["url"].map { (value) throws(APIError) -> String in
            guard case .string(let text) = value else { throw .validation("Field url is \(value.typeName). Send a string.") }
            return try checkedURL(text, allowRemote: account.options.allowRemoteWebhooks)
        }
        let events = try body["events"].map { (value) throws(APIError) -> [String] in try checkedEvents(value) }
        let enabled = try body["enabled"].map { (value) throws(APIError) -> Bool in
            guard case .bool(let flag) = value else { throw .validation("Field enabled is \(value.typeName). Send true or false.") }
            return flag
        }
        account.webhooks.update(index, url: url, events: events, enabled: enabled)
        return webhookResponse(account.webhooks.hooks[index])
    }

    /// Queues a `webhook.test` event to this webhook alone, whatever its event filter.
    private static func sendTest(id: String, account: inout ResellerAccount, now: Int64) throws(APIError) -> HTTPResponse {
        let index = try account.webhooks.index(of: id)
        let hook = account.webhooks.hooks[index]
        let testEventID = account.events.record(type: "webhook.test", at: now, onlyWebhookID: hook.id) { writer in
            writer.key("webhook_id")
            writer.string(hook.id)
            writer.key("message")
            writer.string("This is a test delivery from citrus-sim.")
        }
        return webhookResponse(hook, extra: { writer in
            writer.key("test_event_id")
            writer.string(testEventID)
        })
    }

    // MARK: Validation

    /// Accepts `https://` URLs, and `http://` only for loopback hosts. Without
    /// `allowRemote`, only loopback hosts at all, because the simulator must not
    /// send traffic to other machines by default.
    static func checkedURL(_ text: String, allowRemote: Bool) throws(APIError) -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw .validation("Webhook URL \"\(text)\" is not an absolute URL. Send one such as https://example.com/citrus or http://127.0.0.1:8080/hook.")
        }
        guard scheme == "https" || scheme == "http" else {
            throw .validation("Webhook URL \"\(text)\" uses \(scheme). Use https (or http for a loopback address).")
        }
        let loopback = isLoopback(host)
        if scheme == "http" && !loopback {
            throw .validation("Webhook URL \"\(text)\" uses plain http. Citrus requires https; the simulator accepts http only for loopback addresses.")
        }
        if !loopback && !allowRemote {
            throw .validation("Webhook URL \"\(text)\" is not a loopback address. citrus-sim delivers only to 127.0.0.1, ::1 or localhost unless started with --allow-remote-webhooks.")
        }
        return text
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    private static func checkedEvents(_ value: JSONValue) throws(APIError) -> [String] {
        guard case .array(let items) = value, !items.isEmpty else {
            throw .validation("Field events must be a non-empty array of event names, such as [\"esim.balance_low\"] or [\"*\"] for all.")
        }
        var events: [String] = []
        for item in items {
            guard case .string(let name) = item else {
                throw .validation("Field events contains \(item.typeName). Send event names as strings.")
            }
            let family = name.hasSuffix(".*") ? String(name.dropLast(1)) : nil
            let known = name == "*" || WebhookRegistry.knownEvents.contains(name)
                || (family.map { prefix in WebhookRegistry.knownEvents.contains { $0.hasPrefix(prefix) } } ?? false)
            guard known else {
                throw .validation("Event \"\(name)\" is not a Citrus webhook event. Use \"*\" or names such as esim.balance_low, esim.defunded, balance.low.")
            }
            events.append(name)
        }
        return events
    }

    // MARK: JSON

    private static func list(_ registry: WebhookRegistry) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("webhooks")
        writer.beginArray()
        for hook in registry.hooks { write(hook, includeSecret: false, into: &writer) }
        writer.endArray()
        writer.key("total")
        writer.integer(registry.hooks.count)
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    private static func webhookResponse(_ hook: Webhook, status: Int = 200, includeSecret: Bool = false, extra: ((inout JSONWriter) -> Void)? = nil) -> HTTPResponse {
        var writer = JSONWriter()
        write(hook, includeSecret: includeSecret, extra: extra, into: &writer)
        return HTTPResponse.json(status, body: writer.bytes)
    }

    private static func write(_ hook: Webhook, includeSecret: Bool, extra: ((inout JSONWriter) -> Void)? = nil, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(hook.id)
        writer.key("url")
        writer.string(hook.url)
        writer.key("events")
        writer.beginArray()
        for event in hook.events { writer.string(event) }
        writer.endArray()
        writer.key("enabled")
        writer.bool(hook.enabled)
        writer.key("created_at")
        writer.string(ISO8601Text.format(millis: hook.createdAt))
        writer.key("consecutive_failures")
        writer.integer(hook.consecutiveFailures)
        writer.key("disabled_reason")
        writer.string(hook.disabledReason)
        if includeSecret {
            writer.key("signing_secret")
            writer.string(hook.signingSecret)
        }
        extra?(&writer)
        writer.endObject()
    }

    static func deliveryLogResponse(_ registry: WebhookRegistry) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("deliveries")
        writer.beginArray()
        for result in registry.log {
            writer.beginObject()
            writer.key("webhook_id")
            writer.string(result.job.webhookID)
            writer.key("event_id")
            writer.string(result.job.eventID)
            writer.key("event")
            writer.string(result.job.eventType)
            writer.key("attempt")
            writer.integer(result.attempt)
            writer.key("status_code")
            if let code = result.statusCode { writer.integer(code) } else { writer.null() }
            writer.key("succeeded")
            writer.bool(result.succeeded)
            writer.key("failure")
            writer.string(result.failure)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }
}
