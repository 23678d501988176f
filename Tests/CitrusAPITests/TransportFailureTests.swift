import CitrusAPI
import Foundation
import Testing

/// Transport behaviour against real sockets on 127.0.0.1: what the client
/// reports, retries and audits when the connection is refused, reset, held
/// open or closed, and what it sends.
@Suite("Transport failures")
struct TransportFailureTests {
    static let key = "rsk_transport_" + String(repeating: "k3y", count: 18)
    static let iccid = "8910300000000000012"

    static let fastRetries = RetryPolicy(maximumGETAttempts: 4, maximumMutationAttempts: 3, baseDelay: 0.01, maximumDelay: 0.05)

    static func client(_ baseURL: URL, timeout: Double = 3, audit: LockedList<AuditRecord>? = nil,
                       logger: RecordingLogSink? = nil, requestsPerMinute: Int = 6_000) -> CitrusClient {
        let configuration = CitrusClientConfiguration(
            baseURL: baseURL, apiKey: key, requestTimeout: timeout,
            requestsPerMinute: requestsPerMinute, retryPolicy: fastRetries)
        var sink: CitrusAuditSink?
        if let audit {
            sink = { record in audit.append(record) }
        }
        return CitrusClient(configuration: configuration, audit: sink, logger: logger)
    }

    /// Returns the SIM or the reseller balance for GETs, so an unknown fund can be read back.
    static func readBack(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
        if request.target.contains("/wallet/balance") {
            return .json(200, Fixtures.balance)
        }
        return .json(200, Fixtures.esim)
    }


    @Test("closed port: GET fails as not sent after its retries")
    func closedPortGET() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let client = Self.client(refusing.baseURL)
        let error = await #expect(throws: CitrusError.self) { try await client.walletBalance() }
        #expect(error?.delivery == .notSent)
    }

    @Test("closed port: provision is retried because it was never sent")
    func closedPortProvision() async throws {
        let audit = LockedList<AuditRecord>()
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let client = Self.client(refusing.baseURL, audit: audit)
        let error = await #expect(throws: CitrusError.self) { try await client.provision(label: "x") }
        #expect(error?.delivery == .notSent)
        let phases = audit.all.map(\.phase)
        #expect(phases == [.sending(attempt: 1), .sending(attempt: 2), .sending(attempt: 3), .failed(code: "NOT_SENT", httpStatus: nil)])
    }

    @Test("closed port: fund is not retried and fails as not sent")
    func closedPortFund() async throws {
        let audit = LockedList<AuditRecord>()
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let client = Self.client(refusing.baseURL, audit: audit)
        let error = await #expect(throws: CitrusError.self) { try await client.fund(iccid: Self.iccid, amount: .dollars(5)) }
        #expect(error?.delivery == .notSent)
        #expect(audit.all.map(\.phase) == [.sending(attempt: 1), .failed(code: "NOT_SENT", httpStatus: nil)])
    }

    @Test("reset after the request: fund outcome is unknown and read back")
    func resetFund() async throws {
        let server = try ScriptedHTTPServer { request in
            request.method == "POST" ? .reset : Self.readBack(request)
        }
        defer { server.stop() }
        let audit = LockedList<AuditRecord>()
        let client = Self.client(server.baseURL, audit: audit)

        let outcome = try await client.fund(iccid: Self.iccid, amount: .dollars(20))
        guard case .unknown(let unknown) = outcome else {
            Issue.record("expected an unknown outcome, got \(outcome)")
            return
        }
        #expect(unknown.error.delivery == .maybeSent)
        #expect(unknown.esimAfter?.iccid == Self.iccid)
        #expect(unknown.resellerBalanceAfter?.balance == Money(cents: 496_050))
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
        #expect(audit.all.map(\.phase.name) == ["sending", "unknown"])
    }

    @Test("reset after the request: GET is retried")
    func resetGET() async throws {
        let failing = try ScriptedHTTPServer { _ in .reset }
        defer { failing.stop() }
        let logger = RecordingLogSink()
        let client = Self.client(failing.baseURL, logger: logger)
        let error = await #expect(throws: CitrusError.self) { try await client.walletBalance() }
        #expect(error?.delivery == .maybeSent)
        #expect(logger.lines.all.filter { $0.contains("Retrying GET /wallet/balance") }.count == 3)
        // A GET may die on a pooled connection the server already reset, before the server
        // reads it, so the server receives between one and four of the four attempts.
        #expect((1...4).contains(failing.requests.count))
    }

    @Test("held connection: fund is unknown at the client's deadline")
    func hangFund() async throws {
        let server = try ScriptedHTTPServer { request in
            request.method == "POST" ? .hang(seconds: 20) : Self.readBack(request)
        }
        defer { server.stop() }
        let client = Self.client(server.baseURL, timeout: 0.4)

        let outcome = try await client.fund(iccid: Self.iccid, amount: .dollars(5))
        guard case .unknown(let unknown) = outcome else {
            Issue.record("expected an unknown outcome, got \(outcome)")
            return
        }
        #expect(unknown.error.delivery == .maybeSent)
        // The client's own deadline fired, not URLSession's whole-second backstop.
        #expect(unknown.error.message.contains("no response within 0.40 s"))
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test("close without a response: enable fails as maybe sent, not retried")
    func closeWithoutResponse() async throws {
        let server = try ScriptedHTTPServer { _ in .close }
        defer { server.stop() }
        let audit = LockedList<AuditRecord>()
        let client = Self.client(server.baseURL, audit: audit)
        let error = await #expect(throws: CitrusError.self) { try await client.enable(iccid: Self.iccid) }
        #expect(error?.delivery == .maybeSent)
        #expect(server.requests.count == 1)
        #expect(audit.all.last?.phase.name == "unknown")
    }

    @Test("mutations never reuse a kept-alive connection")
    func freshConnectionPerMutation() async throws {
        // A dead kept-alive connection makes libcurl resend a request; a server
        // that resets every second request on a connection exposes any reuse.
        let server = try ScriptedHTTPServer { request in
            if request.indexOnConnection > 1 && request.method == "POST" { return .reset }
            if request.method == "POST" { return .json(200, Fixtures.fund) }
            return Self.readBack(request)
        }
        defer { server.stop() }
        let client = Self.client(server.baseURL)
        _ = try await client.walletBalance()
        _ = try await client.esim(iccid: Self.iccid)
        for _ in 0..<3 {
            let outcome = try await client.fund(iccid: Self.iccid, amount: .dollars(20))
            guard case .applied = outcome else {
                Issue.record("expected an applied fund, got \(outcome)")
                return
            }
        }
        let posts = server.requests.filter { $0.method == "POST" }
        #expect(posts.count == 3)
        #expect(posts.allSatisfy { $0.indexOnConnection == 1 })
    }

    @Test("TLS handshake failure is not sent")
    func tlsFailure() async throws {
        // The server reads the ClientHello and closes, so the handshake fails in SSL_connect.
        let server = try ScriptedHTTPServer(rawGreeting: Data()) { _ in .close }
        defer { server.stop() }
        let url = URL(string: "https://127.0.0.1:\(server.port)/api/v2/reseller")!
        let audit = LockedList<AuditRecord>()
        let client = Self.client(url, audit: audit)
        let error = await #expect(throws: CitrusError.self) { try await client.fund(iccid: Self.iccid, amount: .dollars(5)) }
        #expect(error?.delivery == .notSent)
        #expect(server.requests.isEmpty)
        #expect(audit.all.last?.phase == .failed(code: "NOT_SENT", httpStatus: nil))
    }

    @Test("garbage instead of TLS is treated as maybe sent")
    func tlsGarbage() async throws {
        // libcurl reports this as URLError -1 with an OpenSSL record error, which can also
        // happen after the request was written, so the client cannot call it unsent.
        let server = try ScriptedHTTPServer(rawGreeting: Data("this is not TLS\r\n\r\n".utf8)) { _ in .close }
        defer { server.stop() }
        let url = URL(string: "https://127.0.0.1:\(server.port)/api/v2/reseller")!
        let client = Self.client(url)
        let outcome = try await client.fund(iccid: Self.iccid, amount: .dollars(5))
        guard case .unknown(let unknown) = outcome else {
            Issue.record("expected unknown, got \(outcome)")
            return
        }
        #expect(unknown.error.delivery == .maybeSent)
    }

    @Test("redirects are not followed")
    func redirectNotFollowed() async throws {
        let server = try ScriptedHTTPServer { request in
            request.target.contains("elsewhere")
                ? .json(200, Fixtures.balance)
                : .respond(status: 302, headers: ["Location": "/elsewhere"], body: "")
        }
        defer { server.stop() }
        // A generous timeout: on a loaded machine the redirect callback can take seconds.
        let client = Self.client(server.baseURL, timeout: 15)
        let error = await #expect(throws: CitrusError.self) { try await client.walletBalance() }
        #expect(error?.httpStatus == 302)
        #expect(server.requests.count == 1)
    }

    @Test("GET is retried after a 500 and then succeeds")
    func getRetriedAfter500() async throws {
        let calls = LockedList<Int>()
        let flaky = try ScriptedHTTPServer { _ in
            calls.append(1)
            return calls.count <= 2 ? .json(500, #"{"error":"INTERNAL_ERROR","message":"boom"}"#) : .json(200, Fixtures.balance)
        }
        defer { flaky.stop() }
        let logger = RecordingLogSink()
        let client = Self.client(flaky.baseURL, logger: logger)
        let balance = try await client.walletBalance()
        #expect(balance.balance == Money(cents: 496_050))
        #expect(flaky.requests.count == 3)
        #expect(logger.lines.all.filter { $0.contains("Retrying GET /wallet/balance") }.count == 2)
    }

    @Test("fund answered 500 is unknown and not resent")
    func fund500() async throws {
        let server = try ScriptedHTTPServer { request in
            request.method == "POST" ? .json(500, #"{"error":"INTERNAL_ERROR","message":"boom"}"#) : Self.readBack(request)
        }
        defer { server.stop() }
        let client = Self.client(server.baseURL)
        let outcome = try await client.fund(iccid: Self.iccid, amount: .dollars(5))
        guard case .unknown(let unknown) = outcome else {
            Issue.record("expected unknown, got \(outcome)")
            return
        }
        #expect(unknown.error.httpStatus == 500)
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
    }

    @Test("fund answered 402 throws with the Citrus code")
    func fund402() async throws {
        let server = try ScriptedHTTPServer { _ in
            .json(402, #"{"error":"INSUFFICIENT_BALANCE","message":"Reseller balance $3.20 is below $5.00"}"#)
        }
        defer { server.stop() }
        let audit = LockedList<AuditRecord>()
        let client = Self.client(server.baseURL, audit: audit)
        let error = await #expect(throws: CitrusError.self) { try await client.fund(iccid: Self.iccid, amount: .dollars(5)) }
        #expect(error?.code == .insufficientBalance)
        #expect(audit.all.last?.phase == .failed(code: "INSUFFICIENT_BALANCE", httpStatus: 402))
    }

    @Test("fund answered 200 with a truncated body is applied")
    func fundMalformed() async throws {
        let server = try ScriptedHTTPServer { _ in .json(200, #"{"iccid":"89103000"#) }
        defer { server.stop() }
        let client = Self.client(server.baseURL)
        let outcome = try await client.fund(iccid: Self.iccid, amount: Money(cents: 1250))
        guard case .applied(let result) = outcome else {
            Issue.record("expected applied, got \(outcome)")
            return
        }
        #expect(result.funded == Money(cents: 1250))
        #expect(result.walletBalance == nil)
    }

    @Test("requests carry the key, user agent and exact fund body")
    func requestHeaders() async throws {
        let server = try ScriptedHTTPServer { _ in .json(200, Fixtures.fund) }
        defer { server.stop() }
        let client = Self.client(server.baseURL)
        _ = try await client.fund(iccid: Self.iccid, amount: Money(cents: 1250))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.target == "/api/v2/reseller/esim/\(Self.iccid)/fund")
        #expect(request.headers["authorization"] == "Bearer \(Self.key)")
        #expect(request.headers["user-agent"] == CitrusClient.defaultUserAgent)
        #expect(request.headers["content-type"] == "application/json")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"amount":12.50}"#)
    }

    @Test("a server message that echoes the key is redacted")
    func echoedKeyRedacted() async throws {
        let server = try ScriptedHTTPServer { _ in
            .json(401, #"{"error":"INVALID_API_KEY","message":"Key \#(Self.key) is revoked"}"#)
        }
        defer { server.stop() }
        let client = Self.client(server.baseURL)
        let error = await #expect(throws: CitrusError.self) { try await client.account() }
        #expect(error?.code == .invalidAPIKey)
        #expect(error?.description.contains(Self.key) == false)
        #expect(error?.message.contains("[redacted API key]") == true)
    }
}
