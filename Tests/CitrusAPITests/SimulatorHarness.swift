import CitrusAPI
import CitrusSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `citrus-sim` server on 127.0.0.1 with helpers for its `/_sim/` controls.
final class SimulatorHarness: Sendable {
    static let key = "rsk_harness_" + String(repeating: "s1m", count: 18)

    let server: SimulatorServer

    init(_ configure: (inout SimulatorOptions) -> Void = { _ in }) throws {
        var options = SimulatorOptions()
        options.fleet = .empty
        options.rateLimitPerMinute = 100_000
        options.startingResellerBalance = .dollars(100_000)
        options.provisionedActivationMinutes = nil
        options.backgroundTickSeconds = 0
        configure(&options)
        server = try SimulatorServer.start(options: options)
    }

    deinit {
        // stop() waits for every server thread; waiting here would block a thread of
        // the shared concurrency pool that other tests need.
        let server = self.server
        Thread { server.stop() }.start()
    }

    func client(key: String = SimulatorHarness.key, timeout: Double = 5, requestsPerMinute: Int = 60_000,
                retryPolicy: RetryPolicy = RetryPolicy(maximumGETAttempts: 6, baseDelay: 0.01, maximumDelay: 0.05),
                audit: CitrusAuditSink? = nil, logger: (any CitrusLogSink)? = nil) -> CitrusClient {
        let configuration = CitrusClientConfiguration(
            baseURL: server.baseURL, apiKey: key, requestTimeout: timeout,
            requestsPerMinute: requestsPerMinute, retryPolicy: retryPolicy)
        return CitrusClient(configuration: configuration, audit: audit, logger: logger)
    }

    /// Sends a request to a `/_sim/` control endpoint and returns the body.
    @discardableResult
    func control(_ method: String, _ path: String, body: String? = nil) async throws -> Data {
        var request = URLRequest(url: server.rootURL.appendingPathComponent(path))
        request.httpMethod = method
        request.timeoutInterval = 30
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw HarnessError("\(method) \(path) returned \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    /// Moves the simulated clock forward.
    func advanceClock(seconds: Double) async throws {
        try await control("POST", "_sim/clock", body: #"{"advance_seconds":\#(seconds)}"#)
    }

    func setResellerBalance(_ money: Money) async throws {
        try await control("POST", "_sim/balance", body: #"{"balance_usd":\#(money.plainDecimalString)}"#)
    }

    /// Reads every fund the simulator applied from its exact ledger, oldest first.
    func ledgerFunds() async throws -> [LedgerFund] {
        let data = try await control("GET", "_sim/state")
        return try JSONDecoder().decode(Ledger.self, from: data).funds
    }

    struct LedgerFund: Decodable, Hashable {
        var iccid: String
        var amount: Decimal

        enum CodingKeys: String, CodingKey {
            case iccid
            case amount = "amount_usd"
        }
    }

    private struct Ledger: Decodable {
        var funds: [LedgerFund]
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
