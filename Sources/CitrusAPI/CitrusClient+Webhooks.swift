import Foundation

extension CitrusClient {
    /// Lists the account's webhooks (at most 5 at Citrus).
    public func webhooks(lane: RequestLane = .interactive) async throws -> [Webhook] {
        let request = APIRequest(method: "GET", path: "/webhooks", lane: lane)
        let data = try await execute(request)
        return try Self.decode(WebhookList.self, from: data, endpoint: request.endpoint).webhooks
    }

    /// Registers a webhook for `events` (`["*"]` for all) and returns it with
    /// its signing secret, which Citrus shows only this once.
    public func createWebhook(url: URL, events: [String]) async throws -> CreatedWebhook {
        let body = WebhookBody(url: try Self.checkedWebhookURL(url), events: try Self.checkedEvents(events), enabled: nil)
        let path = "/webhooks"
        let request = APIRequest(method: "POST", path: path, body: try Self.encode(body, endpoint: "POST \(path)"), lane: .interactive)
        let data = try await executeMutation(request, audit: AuditContext(action: .createWebhook, detail: url.absoluteString))
        return try Self.decode(CreatedWebhook.self, from: data, endpoint: request.endpoint)
    }

    /// Reads one webhook.
    public func webhook(id: String, lane: RequestLane = .interactive) async throws -> Webhook {
        let request = APIRequest(method: "GET", path: "/webhooks/\(try Self.checkedWebhookID(id))", lane: lane)
        let data = try await execute(request)
        return try Self.decode(Webhook.self, from: data, endpoint: request.endpoint)
    }

    /// Changes a webhook's URL, events or enabled flag; nil leaves a field as it is.
    public func updateWebhook(id: String, url: URL? = nil, events: [String]? = nil, enabled: Bool? = nil) async throws -> Webhook {
        let body = WebhookBody(url: try url.map(Self.checkedWebhookURL), events: try events.map(Self.checkedEvents), enabled: enabled)
        let path = "/webhooks/\(try Self.checkedWebhookID(id))"
        let request = APIRequest(method: "PUT", path: path, body: try Self.encode(body, endpoint: "PUT \(path)"), lane: .interactive)
        let data = try await executeMutation(request, audit: AuditContext(action: .updateWebhook, detail: id))
        return try Self.decode(Webhook.self, from: data, endpoint: request.endpoint)
    }

    /// Deletes a webhook. The response body, if any, is ignored.
    public func deleteWebhook(id: String) async throws {
        let request = APIRequest(method: "DELETE", path: "/webhooks/\(try Self.checkedWebhookID(id))", lane: .interactive)
        _ = try await executeMutation(request, audit: AuditContext(action: .deleteWebhook, detail: id))
    }

    /// Asks Citrus to send a test event to the webhook.
    public func testWebhook(id: String) async throws -> WebhookTestResult {
        let request = APIRequest(method: "POST", path: "/webhooks/\(try Self.checkedWebhookID(id))/test", lane: .interactive)
        let data = try await executeMutation(request, audit: AuditContext(action: .testWebhook, detail: id))
        if data.isEmpty { return WebhookTestResult() }
        return try Self.decode(WebhookTestResult.self, from: data, endpoint: request.endpoint)
    }

    private static func checkedWebhookURL(_ url: URL) throws -> String {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            throw CitrusError.invalidRequest("Webhook URL \(url.absoluteString) is invalid. Use an https:// URL that Citrus can reach.")
        }
        return url.absoluteString
    }

    private static func checkedEvents(_ events: [String]) throws -> [String] {
        guard !events.isEmpty else {
            throw CitrusError.invalidRequest("A webhook needs at least one event. Use [\"*\"] for all events.")
        }
        for event in events {
            let valid = event == "*" || (!event.isEmpty && event.count <= 100 && event.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "*") })
            guard valid else {
                throw CitrusError.invalidRequest("Webhook event \"\(event.prefix(40))\" is invalid. Use names such as esim.balance_low, or * for all.")
            }
        }
        return events
    }
}

/// The body of `POST /webhooks` and `PUT /webhooks/{id}`; nil fields are omitted.
private struct WebhookBody: Encodable {
    var url: String?
    var events: [String]?
    var enabled: Bool?
}
