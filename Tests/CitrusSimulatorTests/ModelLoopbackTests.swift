import CitrusAPI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CitrusSimulator

/// The model behind the real HTTP server on 127.0.0.1, spoken to by the
/// project's own `CitrusClient` and by plain `URLSession` requests.
@Suite("Simulator over loopback HTTP")
struct ModelLoopbackTests {
    private static func options(_ configure: (inout SimulatorOptions) -> Void = { _ in }) -> SimulatorOptions {
        var options = SimulatorOptions()
        options.fleet = .mix(iot: 230, travel: 0, payg: 0)
        options.speed = 0
        options.walletReadySeconds = 0
        options.startDate = Date(timeIntervalSince1970: 1_780_000_000)
        options.backgroundTickSeconds = 0
        configure(&options)
        return options
    }

    private static func client(_ server: SimulatorServer) -> CitrusClient {
        CitrusClient(configuration: CitrusClientConfiguration(baseURL: server.baseURL, apiKey: "rsk_loopback_tests", requestsPerMinute: 6_000))
    }

    private static func raw(_ method: String, _ url: URL, body: String? = nil, key: String? = "rsk_loopback_tests") async throws -> (Int, [AnyHashable: Any], Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.allHeaderFields ?? [:], data)
    }

    @Test func clientProvisionsFundsAndPages() async throws {
        let server = try SimulatorServer.start(options: Self.options())
        defer { server.stop() }
        let client = Self.client(server)

        let esim = try await client.provision(label: "Loopback", endUserReference: "LB-1")
        #expect(esim.cost == Money(cents: 175))
        #expect(esim.label == "Loopback")

        let outcome = try await client.fund(iccid: esim.iccid, amount: Money(cents: 2_000))
        guard case .applied(let result) = outcome else {
            Issue.record("fund outcome was not applied: \(outcome)")
            return
        }
        #expect(result.walletBalance == Money(cents: 1_999))
        #expect(result.balanceRemaining == Money(cents: 497_825))

        var seen = 0
        var offset = 0
        while true {
            let page = try await client.listESIMs(limit: 200, offset: offset)
            #expect(page.total == 231)
            seen += page.esims.count
            if page.esims.count < 200 { break }
            offset += 200
        }
        #expect(seen == 231)
    }

    @Test func ledgerOverHTTPShowsOneFund() async throws {
        let server = try SimulatorServer.start(options: Self.options { $0.fleet = .empty })
        defer { server.stop() }
        let client = Self.client(server)
        let esim = try await client.provision()
        _ = try await client.fund(iccid: esim.iccid, amount: Money(cents: 900))

        let stateURL = server.rootURL.appendingPathComponent("_sim/state")
        let (status, _, data) = try await Self.raw("GET", stateURL, key: nil)
        #expect(status == 200)
        let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let funds = state["funds"] as? [[String: Any]] ?? []
        #expect(funds.count == 1)
        #expect(funds.first?["iccid"] as? String == esim.iccid)
        #expect(funds.first?["credited_usd"] as? String == "9.000000")
    }

    @Test func rateLimitOverHTTPSendsRetryAfter() async throws {
        let server = try SimulatorServer.start(options: Self.options { $0.rateLimitPerMinute = 5 })
        defer { server.stop() }
        let url = server.baseURL.appendingPathComponent("wallet/balance")
        for _ in 0..<5 {
            #expect(try await Self.raw("GET", url).0 == 200)
        }
        let (status, headers, data) = try await Self.raw("GET", url)
        #expect(status == 429)
        let retryAfter = headers.first { ($0.key as? String)?.lowercased() == "retry-after" }?.value as? String
        #expect(Int(retryAfter ?? "") ?? 0 >= 1)
        #expect(String(decoding: data, as: UTF8.self).contains("\"error\":\"RATE_LIMITED\""))
    }

    @Test func clockAdvanceOverHTTPDrainsWallet() async throws {
        let server = try SimulatorServer.start(options: Self.options { $0.fleet = .empty })
        defer { server.stop() }
        let client = Self.client(server)
        let esim = try await client.provision()
        let activate = server.rootURL.appendingPathComponent("_sim/esims/\(esim.iccid)/activate")
        #expect(try await Self.raw("POST", activate, key: nil).0 == 200)
        _ = try await client.fund(iccid: esim.iccid, amount: Money(cents: 5_000))

        let clock = server.rootURL.appendingPathComponent("_sim/clock")
        let (status, _, _) = try await Self.raw("POST", clock, body: "{\"advance_seconds\": 43200}", key: nil)
        #expect(status == 200)
        let after = try await client.esim(iccid: esim.iccid)
        #expect(after.status == .active)
        #expect((after.walletBalance ?? .zero) < Money(cents: 4_999))
        #expect((after.totalDataCharged ?? .zero) > .zero)
    }

    /// `%2F` is data inside one segment (RFC 3986): `{iccid}%2Ffund` names an eSIM that
    /// does not exist, and must never route as the fund action.
    @Test func encodedSlashNeverRoutesAsFund() throws {
        let server = try SimulatorServer.start(options: Self.options())
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)
        let auth = ["Authorization: Bearer rsk_loopback_tests"]
        func json(_ response: LoopbackSocketClient.Response) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        }

        try client.send(httpRequestText("POST", "/api/v2/reseller/esim/provision", headers: auth, body: "{}"))
        let provisioned = try client.readResponse()
        #expect(provisioned.status == 201)
        let iccid = try #require(json(provisioned)["iccid"] as? String)
        try client.send(httpRequestText("/api/v2/reseller/wallet/balance", headers: auth))
        let balanceBefore = json(try client.readResponse())["balance_usd"] as? Double

        for path in ["/api/v2/reseller/esim/\(iccid)%2Ffund", "/api/v2/reseller/esim/\(iccid)%2ffund", "/api/v2%2Freseller/esim/\(iccid)/fund"] {
            try client.send(httpRequestText("POST", path, headers: auth, body: #"{"amount":1}"#))
            let reply = try client.readResponse()
            #expect(reply.status == 404, "\(path)")
            #expect(["ESIM_NOT_FOUND", "NOT_FOUND"].contains(json(reply)["error"] as? String ?? ""), "\(path)")
        }

        try client.send(httpRequestText("/api/v2/reseller/wallet/balance", headers: auth))
        #expect(json(try client.readResponse())["balance_usd"] as? Double == balanceBefore)
        try client.send(httpRequestText("/api/v2/reseller/esim/\(iccid)", headers: auth))
        #expect(json(try client.readResponse())["wallet_balance_usd"] as? Double == 0)
    }
}
