@testable import CitrusAPI
import Foundation
import Testing

/// Tests of the connect timeout. A host that never completes the TCP handshake
/// fails within the connect timeout, as certainly not sent, long before the
/// request timeout. Proxies from the environment are honoured, and GETs on a
/// live keep-alive connection are not probed.
@Suite("Connect timeout")
struct ConnectTimeoutTests {
    static let iccid = "8910300000000000012"

    static func client(_ baseURL: URL, connectTimeout: Double = 0.5, requestTimeout: Double = 60,
                       environment: [String: String] = [:], audit: LockedList<AuditRecord>? = nil,
                       logger: RecordingLogSink? = nil) -> CitrusClient {
        var configuration = CitrusClientConfiguration(
            baseURL: baseURL, apiKey: TransportFailureTests.key, requestTimeout: requestTimeout,
            connectTimeout: connectTimeout, requestsPerMinute: 6_000, retryPolicy: TransportFailureTests.fastRetries)
        configuration.proxyEnvironment = environment
        var sink: CitrusAuditSink?
        if let audit {
            sink = { record in audit.append(record) }
        }
        return CitrusClient(configuration: configuration, audit: sink, logger: logger)
    }

    @Test("silent host: fund fails fast, not sent")
    func silentHostFund() async throws {
        let silent = try SilentPort()
        defer { withExtendedLifetime(silent) {} }
        let audit = LockedList<AuditRecord>()
        let client = Self.client(silent.baseURL, audit: audit)

        let error = await #expect(throws: CitrusError.self) {
            try await client.fund(iccid: Self.iccid, amount: .dollars(5))
        }

        // The connect timeout (0.5 s) ended it, not the request timeout (60 s).
        #expect(error?.delivery == .notSent)
        #expect(error?.mayHaveBeenApplied == false)
        #expect(error?.message.contains("no connection to 127.0.0.1:\(silent.port) within 0.50 s (connect timeout)") == true)
        #expect(audit.all.map(\.phase) == [.sending(attempt: 1), .failed(code: "NOT_SENT", httpStatus: nil)])
    }

    @Test("silent host: GET not retried")
    func silentHostGET() async throws {
        let silent = try SilentPort()
        defer { withExtendedLifetime(silent) {} }
        let logger = RecordingLogSink()
        let client = Self.client(silent.baseURL, connectTimeout: 0.3, logger: logger)

        let error = await #expect(throws: CitrusError.self) { try await client.walletBalance() }
        #expect(error?.delivery == .notSent)
        #expect(error?.message.contains("within 0.30 s (connect timeout)") == true)
        // The kernel resent the SYN within the timeout already, so the client does not retry.
        #expect(!logger.lines.all.contains { $0.contains("Retrying") })
    }

    @Test("refused: names host and port")
    func refusedConnection() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let client = Self.client(refusing.baseURL)
        let error = await #expect(throws: CitrusError.self) {
            try await client.fund(iccid: Self.iccid, amount: .dollars(5))
        }
        #expect(error?.delivery == .notSent)
        #expect(error?.message.contains("could not connect: connection refused (127.0.0.1:\(refusing.port))") == true)
    }

    @Test("capped by the request timeout")
    func cappedByRequestTimeout() async throws {
        let silent = try SilentPort()
        defer { withExtendedLifetime(silent) {} }
        let client = Self.client(silent.baseURL, connectTimeout: 30, requestTimeout: 0.4)
        let error = await #expect(throws: CitrusError.self) {
            try await client.fund(iccid: Self.iccid, amount: .dollars(5))
        }
        #expect(error?.message.contains("within 0.40 s (connect timeout)") == true)
    }

    @Test("proxy probed, no_proxy bypasses it")
    func proxyFromEnvironment() async throws {
        let silentProxy = try SilentPort()
        defer { withExtendedLifetime(silentProxy) {} }
        let server = try ScriptedHTTPServer { _ in .json(200, Fixtures.balance) }
        defer { server.stop() }

        let proxied = Self.client(server.baseURL, environment: ["http_proxy": "http://127.0.0.1:\(silentProxy.port)"])
        let error = await #expect(throws: CitrusError.self) {
            try await proxied.fund(iccid: Self.iccid, amount: .dollars(5))
        }
        #expect(error?.delivery == .notSent)
        #expect(error?.message.contains("no connection to proxy 127.0.0.1:\(silentProxy.port)") == true)
        #expect(server.requests.isEmpty)

        let bypassing = Self.client(server.baseURL, environment: [
            "http_proxy": "http://127.0.0.1:\(silentProxy.port)", "no_proxy": "localhost,127.0.0.1",
        ])
        let balance = try await bypassing.walletBalance()
        #expect(balance.balance > .zero)
    }

    @Test("probes only new connections")
    func probesOnlyNewConnections() async throws {
        let server = try ScriptedHTTPServer { request in
            request.method == "POST" ? .json(200, Fixtures.esim) : .json(200, Fixtures.balance)
        }
        defer { server.stop() }
        let client = Self.client(server.baseURL)

        for _ in 0..<5 { _ = try await client.walletBalance() }
        // One probe before the first GET, then one keep-alive connection for all five.
        #expect(server.acceptedConnections == 2)
        #expect(server.requests.count == 5)

        _ = try await client.enable(iccid: Self.iccid)
        // The enable connects twice: once to probe, once fresh for the request itself.
        #expect(server.acceptedConnections == 4)
        #expect(server.requests.count == 6)
    }

    @Test("invalid connect timeout rejected",
          arguments: [0.0, -1, Double.nan, Double.infinity])
    func invalidConnectTimeout(_ value: Double) {
        let configuration = CitrusClientConfiguration(
            baseURL: URL(string: "https://citrusmobile.com/api/v2/reseller")!,
            apiKey: TransportFailureTests.key, connectTimeout: value)
        #expect {
            try configuration.validate()
        } throws: { error in
            "\(error)".contains("Connect timeout \(value) s is invalid. Use a positive number of seconds, such as 10.")
        }
    }
}

/// Where a request connects, from its URL and the proxy variables.
@Suite("Connect target")
struct ConnectTargetTests {
    static let api = URL(string: "https://citrusmobile.com/api/v2/reseller")!
    static let loopback = URL(string: "http://127.0.0.1:8080/api/v2/reseller")!

    @Test func directWithoutProxyVariables() {
        #expect(ConnectTarget.resolve(Self.api, environment: [:]) == ConnectTarget(host: "citrusmobile.com", port: 443, isProxy: false))
        #expect(ConnectTarget.resolve(Self.loopback, environment: [:]) == ConnectTarget(host: "127.0.0.1", port: 8080, isProxy: false))
        let ipv6 = URL(string: "http://[::1]:9000/api")!
        #expect(ConnectTarget.resolve(ipv6, environment: [:]) == ConnectTarget(host: "::1", port: 9000, isProxy: false))
    }

    @Test func httpsUsesEitherCaseAndHTTPOnlyLowerCase() {
        #expect(ConnectTarget.resolve(Self.api, environment: ["HTTPS_PROXY": "proxy.corp:3128"])
            == ConnectTarget(host: "proxy.corp", port: 3128, isProxy: true))
        #expect(ConnectTarget.resolve(Self.api, environment: ["https_proxy": "http://a:1", "HTTPS_PROXY": "http://b:2"])?.host == "a")
        // libcurl ignores HTTP_PROXY in upper case (a CGI header could set it).
        #expect(ConnectTarget.resolve(Self.loopback, environment: ["HTTP_PROXY": "http://p:1"])?.isProxy == false)
        #expect(ConnectTarget.resolve(Self.loopback, environment: ["http_proxy": "http://p:1"])?.isProxy == true)
    }

    @Test func allProxyIsTheFallbackAndPortsDefault() {
        #expect(ConnectTarget.resolve(Self.api, environment: ["ALL_PROXY": "socks5://user:secret@socks.corp"])
            == ConnectTarget(host: "socks.corp", port: 1080, isProxy: true))
        #expect(ConnectTarget.resolve(Self.api, environment: ["https_proxy": "https://tls-proxy.corp"])?.port == 443)
        #expect(ConnectTarget.resolve(Self.api, environment: ["https_proxy": "  "])?.isProxy == false)
    }

    @Test func noProxyMatchesNamesSuffixesAndStar() {
        let proxy = ["https_proxy": "http://p:1"]
        for list in ["citrusmobile.com", ".citrusmobile.com", "other.org, CitrusMobile.com", "*"] {
            var environment = proxy
            environment["no_proxy"] = list
            #expect(ConnectTarget.resolve(Self.api, environment: environment)?.isProxy == false, "no_proxy=\(list)")
        }
        for list in ["mobile.com", "api.citrusmobile.com", ""] {
            var environment = proxy
            environment["NO_PROXY"] = list
            #expect(ConnectTarget.resolve(Self.api, environment: environment)?.isProxy == true, "NO_PROXY=\(list)")
        }
    }
}

/// Redirects that race the request deadline: the redirect callback and the
/// deadline's cancel must never meet inside FoundationNetworking, which traps.
@Suite("Redirect and deadline")
struct RedirectDeadlineTests {
    @Test("redirects at the deadline never crash")
    func redirectsAroundTheDeadline() async throws {
        let arrivals = LockedList<Int>()
        let server = try ScriptedHTTPServer { _ in
            // Spread the replies over 0–40 ms around the 20 ms deadline.
            arrivals.append(1)
            Thread.sleep(forTimeInterval: Double(arrivals.count % 9) * 0.005)
            return .respond(status: 302, headers: ["Location": "/elsewhere"], body: "")
        }
        defer { server.stop() }
        let configuration = CitrusClientConfiguration(
            baseURL: server.baseURL, apiKey: TransportFailureTests.key, requestTimeout: 0.02, connectTimeout: 1,
            requestsPerMinute: 600_000, burstSeconds: 60,
            retryPolicy: RetryPolicy(maximumGETAttempts: 1, maximumMutationAttempts: 1, baseDelay: 0, maximumDelay: 0))
        let client = CitrusClient(configuration: configuration)
        var outcomes: [String: Int] = [:]
        for _ in 0..<300 {
            do {
                _ = try await client.rates(country: "JP")
                outcomes["ok", default: 0] += 1
            } catch let error as CitrusError {
                outcomes[error.httpStatus == 302 ? "302" : "deadline", default: 0] += 1
            }
        }
        #expect(outcomes.values.reduce(0, +) == 300)
    }
}
