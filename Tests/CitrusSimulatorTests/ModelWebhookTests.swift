import Foundation
import Testing
@testable import CitrusSimulator

/// A webhook receiver on 127.0.0.1 that records every request.
final class WebhookListener: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [HTTPRequest] = []
    private var receivedAt: [ContinuousClock.Instant] = []
    private var server: HTTPServer?
    let status: Int

    init(status: Int = 200) throws {
        self.status = status
        server = try HTTPServer(host: "127.0.0.1", port: 0) { [weak self] request in
            self?.record(request)
            return HTTPResponse(status: self?.status ?? 200, body: Array("ok".utf8))
        }
    }

    var url: String { "http://127.0.0.1:\(server?.port ?? 0)/hooks/citrus" }

    var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// When each request arrived, in order.
    var arrivals: [ContinuousClock.Instant] {
        lock.lock()
        defer { lock.unlock() }
        return receivedAt
    }

    private func record(_ request: HTTPRequest) {
        lock.lock()
        received.append(request)
        receivedAt.append(.now)
        lock.unlock()
    }

    /// Polls until `condition` is true or `timeout` real seconds pass.
    func wait(timeout: Double = 20, until condition: ([HTTPRequest]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(requests) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(requests)
    }

    func stop() {
        server?.stop()
    }
}

@Suite("Webhooks")
struct ModelWebhookTests {
    // MARK: Signature primitives

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesFIPSVectors(message: String, digest: String) {
        #expect(WebhookSignature.hex(WebhookSignature.sha256(Array(message.utf8))) == digest)
    }

    @Test func sha256OfMillionAs() {
        let digest = WebhookSignature.sha256([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(WebhookSignature.hex(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacMatchesRFC4231() {
        let case1 = WebhookSignature.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(WebhookSignature.hex(case1) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let case2 = WebhookSignature.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(WebhookSignature.hex(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let case6 = WebhookSignature.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131), message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(WebhookSignature.hex(case6) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func verifyAcceptsPrefixAndRejectsTampering() {
        let body = Array("{\"id\":\"evt_1\"}".utf8)
        let signature = WebhookSignature.sign(body: body, secret: "whsec_abc")
        #expect(WebhookSignature.verify(header: signature, body: body, secret: "whsec_abc"))
        #expect(WebhookSignature.verify(header: "sha256=" + signature, body: body, secret: "whsec_abc"))
        #expect(!WebhookSignature.verify(header: signature, body: body + [0x20], secret: "whsec_abc"))
        #expect(!WebhookSignature.verify(header: signature, body: body, secret: "whsec_abd"))
    }

    // MARK: Registration

    @Test func secretShownOnlyOnCreate() {
        let harness = ModelHarness()
        let created = harness.post("/webhooks", "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"*\"]}")
        #expect(created.status == 201)
        let secret = created.json["signing_secret"] as? String ?? ""
        #expect(secret.hasPrefix("whsec_"))
        #expect(secret.count > 20)
        let id = created.json["id"] as? String ?? ""
        #expect(harness.get("/webhooks/\(id)").json["signing_secret"] == nil)
        #expect(!harness.get("/webhooks").text.contains("whsec_"))
    }

    @Test func atMostFiveWebhooks() {
        let harness = ModelHarness()
        for port in 1...5 {
            #expect(harness.post("/webhooks", "{\"url\": \"http://127.0.0.1:\(port)/hook\"}").status == 201)
        }
        let sixth = harness.post("/webhooks", "{\"url\": \"http://127.0.0.1:6/hook\"}")
        #expect(sixth.status == 400)
        #expect(sixth.errorCode == "VALIDATION_ERROR")
        #expect(harness.get("/webhooks").json["total"] as? Int == 5)
    }

    @Test(arguments: ["http://example.com/hook", "https://example.com/hook", "ftp://127.0.0.1/hook", "not a url"])
    func nonLoopbackURLIsRejected(url: String) {
        let harness = ModelHarness()
        let reply = harness.post("/webhooks", "{\"url\": \"\(url)\"}")
        #expect(reply.status == 400)
        #expect(reply.errorCode == "VALIDATION_ERROR")
    }

    @Test func remoteHTTPSAllowedWhenEnabled() {
        let harness = ModelHarness { $0.allowRemoteWebhooks = true }
        #expect(harness.post("/webhooks", "{\"url\": \"https://example.com/hook\"}").status == 201)
        #expect(harness.post("/webhooks", "{\"url\": \"http://example.com/hook\"}").status == 400)
    }

    @Test func unknownEventIsRejected() {
        let harness = ModelHarness()
        let reply = harness.post("/webhooks", "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"esim.exploded\"]}")
        #expect(reply.status == 400)
        #expect(harness.post("/webhooks", "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"esim.*\"]}").status == 201)
    }

    @Test func updateAndDeleteWebhook() {
        let harness = ModelHarness()
        let id = harness.post("/webhooks", "{\"url\": \"http://127.0.0.1:9/hook\"}").json["id"] as? String ?? ""
        let updated = harness.send("PUT", "/webhooks/\(id)", body: "{\"events\": [\"esim.balance_low\"], \"enabled\": false}")
        #expect(updated.json["events"] as? [String] == ["esim.balance_low"])
        #expect(updated.json["enabled"] as? Bool == false)
        #expect(harness.send("DELETE", "/webhooks/\(id)").status == 200)
        #expect(harness.get("/webhooks/\(id)").status == 404)
    }

    // MARK: Delivery over loopback

    @Test func testDeliveryIsSignedWithSecret() throws {
        let listener = try WebhookListener()
        defer { listener.stop() }
        let harness = ModelHarness()
        let created = harness.post("/webhooks", "{\"url\": \"\(listener.url)\", \"events\": [\"esim.balance_low\"]}")
        let secret = created.json["signing_secret"] as? String ?? ""
        let id = created.json["id"] as? String ?? ""

        let test = harness.post("/webhooks/\(id)/test")
        #expect(test.status == 200)
        #expect(listener.wait { $0.count == 1 })

        let delivery = try #require(listener.requests.first)
        #expect(delivery.method == "POST")
        #expect(delivery.path == "/hooks/citrus")
        let signature = try #require(delivery.header("x-citrus-signature"))
        #expect(signature == WebhookSignature.hex(WebhookSignature.hmacSHA256(key: Array(secret.utf8), message: delivery.body)))
        let envelope = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])
        #expect(envelope["event"] as? String == "webhook.test")
        #expect(envelope["id"] as? String == test.json["test_event_id"] as? String)
        #expect(envelope["created_at"] is String)
        #expect(envelope["data"] is [String: Any])
    }

    @Test func thresholdEventDeliveredOnce() throws {
        let listener = try WebhookListener()
        defer { listener.stop() }
        let harness = ModelHarness { $0.backgroundTickSeconds = 0.05 }
        harness.post("/webhooks", "{\"url\": \"\(listener.url)\", \"events\": [\"esim.balance_low\", \"esim.balance_depleted\"]}")
        let iccid = harness.activeFundedSIM(amount: "5.20")

        // No request reads the SIM: the background evaluation finds the crossings.
        harness.advance(seconds: 14 * 24 * 3600)
        #expect(listener.wait { $0.count >= 2 })
        Thread.sleep(forTimeInterval: 0.3)
        harness.advance(seconds: 24 * 3600)
        _ = harness.get("/esim/\(iccid)")
        Thread.sleep(forTimeInterval: 0.3)

        let events = listener.requests.compactMap { request -> String? in
            let envelope = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            return envelope?["event"] as? String
        }
        #expect(events.sorted() == ["esim.balance_depleted", "esim.balance_low"])
    }

    @Test func webhookDisabledAfterTenFailures() throws {
        let listener = try WebhookListener(status: 500)
        defer { listener.stop() }
        let harness = ModelHarness {
            $0.webhookRetryBaseSeconds = 0.01
            $0.webhookMaxAttempts = 4
        }
        let id = harness.post("/webhooks", "{\"url\": \"\(listener.url)\"}").json["id"] as? String ?? ""
        // Three test events, one after the other: 4 + 4 failed attempts, then the
        // tenth failure disables the webhook and the third event's retries stop.
        for expected in [4, 8, 10] {
            harness.post("/webhooks/\(id)/test")
            #expect(listener.wait { $0.count >= expected })
            Thread.sleep(forTimeInterval: 0.1)
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(listener.requests.count == 10)

        let webhook = harness.get("/webhooks/\(id)").json
        #expect(webhook["enabled"] as? Bool == false)
        #expect(webhook["consecutive_failures"] as? Int == 10)
        #expect(webhook["disabled_reason"] is String)

        let log = harness.send("GET", "/_sim/webhooks/deliveries").json["deliveries"] as? [[String: Any]] ?? []
        #expect(log.count == 10)
        #expect(log.allSatisfy { $0["status_code"] as? Int == 500 })
    }

    @Test func retriesBackOffExponentially() throws {
        let listener = try WebhookListener(status: 500)
        defer { listener.stop() }
        let harness = ModelHarness {
            $0.webhookRetryBaseSeconds = 0.3
            $0.webhookMaxAttempts = 3
        }
        let id = harness.post("/webhooks", "{\"url\": \"\(listener.url)\"}").json["id"] as? String ?? ""
        harness.post("/webhooks/\(id)/test")
        #expect(listener.wait { $0.count >= 3 })

        // Only lower bounds: a busy machine can delay a retry but never advance it.
        let arrivals = listener.arrivals
        try #require(arrivals.count == 3)
        #expect(arrivals[1] - arrivals[0] >= .milliseconds(290))
        #expect(arrivals[2] - arrivals[1] >= .milliseconds(590))
    }

    @Test func webhookIDsFollowSeed() {
        func createdID(seed: UInt64) -> String? {
            ModelHarness(seed: seed).post("/webhooks", "{\"url\": \"http://127.0.0.1:9/hook\"}").json["id"] as? String
        }

        #expect(createdID(seed: 3) == createdID(seed: 3))
        #expect(createdID(seed: 3) != createdID(seed: 4))
    }

    @Test func failedDeliveryIsRetried() throws {
        let listener = try WebhookListener(status: 503)
        defer { listener.stop() }
        let harness = ModelHarness {
            $0.webhookRetryBaseSeconds = 0.01
            $0.webhookMaxAttempts = 3
        }
        let id = harness.post("/webhooks", "{\"url\": \"\(listener.url)\"}").json["id"] as? String ?? ""
        harness.post("/webhooks/\(id)/test")
        #expect(listener.wait { $0.count >= 3 })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(listener.requests.count == 3)
        let eventIDs = Set(listener.requests.compactMap { $0.header("x-citrus-delivery") })
        #expect(eventIDs.count == 1)
    }

    /// A retry already waiting when the webhook is deleted or disabled is dropped.
    @Test(arguments: ["DELETE", "disable"])
    func pendingRetryDroppedOnRemoval(change: String) throws {
        let listener = try WebhookListener(status: 500)
        defer { listener.stop() }
        let harness = ModelHarness {
            $0.webhookRetryBaseSeconds = 0.4
            $0.webhookMaxAttempts = 3
        }
        let id = harness.post("/webhooks", "{\"url\": \"\(listener.url)\"}").json["id"] as? String ?? ""
        harness.post("/webhooks/\(id)/test")
        // The first failure is logged before its retry is scheduled.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (harness.send("GET", "/_sim/webhooks/deliveries").json["deliveries"] as? [Any])?.isEmpty != false {
            Thread.sleep(forTimeInterval: 0.02)
        }
        try #require(listener.requests.count == 1)

        if change == "DELETE" {
            #expect(harness.send("DELETE", "/webhooks/\(id)").status == 200)
        } else {
            #expect(harness.send("PUT", "/webhooks/\(id)", body: "{\"enabled\": false}").status == 200)
        }
        // Without the drop, retries arrive 0.4 s and 1.2 s after the first attempt.
        Thread.sleep(forTimeInterval: 1.6)
        #expect(listener.requests.count == 1)
    }
}
