import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Which queue of the request budget a call waits in. Interactive requests
/// (an operator's action, the open detail view) go before background ones
/// (fleet sweeps, the reseller balance).
public enum RequestLane: Sendable, Hashable {
    case interactive
    case background
}

/// The production base URL of the Citrus Reseller API v2.
public let citrusProductionBaseURL = URL(string: "https://citrusmobile.com/api/v2/reseller")!

/// Settings of one `CitrusClient`.
public struct CitrusClientConfiguration: Sendable {
    /// For example `https://citrusmobile.com/api/v2/reseller` or the simulator's
    /// `http://127.0.0.1:PORT/api/v2/reseller`.
    public var baseURL: URL
    public var apiKey: String
    /// Time for a whole request, in seconds.
    public var requestTimeout: TimeInterval

    public init(baseURL: URL, apiKey: String, requestTimeout: TimeInterval = 30) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
    }
}

/// The typed Citrus Reseller API v2 client. Every call throws `CitrusError`.
public final class CitrusClient: Sendable {
    public let configuration: CitrusClientConfiguration
    private let session: URLSession

    public init(configuration: CitrusClientConfiguration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
        sessionConfiguration.httpMaximumConnectionsPerHost = 4
        self.session = URLSession(configuration: sessionConfiguration)
    }

    // MARK: eSIMs

    /// Provisions a new eSIM. Costs the provisioning fee ($1.75 at Citrus).
    public func provision(label: String? = nil, endUserReference: String? = nil, groupID: String? = nil) async throws -> ESIM {
        var body: [String: String] = [:]
        body["label"] = label
        body["end_user_reference"] = endUserReference
        body["group_id"] = groupID
        return try await send("POST", "/esim/provision", body: body, lane: .interactive, decode: ESIM.self)
    }

    /// Reads one eSIM by ICCID.
    public func esim(iccid: String, lane: RequestLane = .interactive) async throws -> ESIM {
        try await send("GET", "/esim/\(try Self.checkedICCID(iccid))", lane: lane, decode: ESIM.self)
    }

    /// Reads one page of the fleet. `limit` is 1–200.
    public func listESIMs(status: ESIMStatus? = nil, limit: Int = 200, offset: Int = 0, lane: RequestLane = .background) async throws -> ESIMPage {
        guard (1...200).contains(limit) else {
            throw CitrusError.invalidRequest("List limit \(limit) is out of range. Use 1 to 200.")
        }
        guard offset >= 0 else {
            throw CitrusError.invalidRequest("List offset \(offset) is negative. Use 0 or more.")
        }
        var query = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "offset", value: String(offset))]
        if let status { query.append(URLQueryItem(name: "status", value: status.rawValue)) }
        let data = try await sendRaw("GET", "/esim/list", query: query, lane: lane)
        return try ListDecoding.decodePage(data, limit: limit, offset: offset)
    }

    /// Moves `amount` from the reseller balance to the SIM's wallet, sending the
    /// request at most once. A response lost after sending yields `.unknown`
    /// with the SIM and reseller balance read back; every other failure throws.
    public func fund(iccid: String, amount: Money) async throws -> FundOutcome {
        do {
            return .applied(try await sendFund(iccid: iccid, amount: amount))
        } catch let error as CitrusError {
            guard case .transport(_, .maybeSent, _) = error else { throw error }
            let esimAfter = try? await esim(iccid: iccid, lane: .interactive)
            let balanceAfter = try? await walletBalance(lane: .interactive)
            return .unknown(UnknownFundOutcome(iccid: iccid, amount: amount, error: error, esimAfter: esimAfter, resellerBalanceAfter: balanceAfter))
        }
    }

    private func sendFund(iccid: String, amount: Money) async throws -> FundResult {
        guard amount >= .minimumFund, amount <= .maximumFund else {
            throw CitrusError.invalidRequest("Fund amount \(amount) is out of range. Use \(Money.minimumFund) to \(Money.maximumFund).")
        }
        let path = "/esim/\(try Self.checkedICCID(iccid))/fund"
        let body = RawJSON("{\"amount\":\(amount.plainDecimalString)}")
        let wire = try await send("POST", path, rawBody: body, lane: .interactive, decode: FundWire.self)
        return FundResult(
            iccid: wire.iccid ?? iccid,
            funded: wire.funded.map(Money.init(roundingDown:)) ?? amount,
            walletBalance: wire.wallet.map(Money.init(roundingDown:)),
            balanceRemaining: wire.remaining.map(Money.init(roundingDown:)))
    }

    /// Resumes data for a suspended SIM.
    public func enable(iccid: String) async throws -> ESIM {
        try await send("POST", "/esim/\(try Self.checkedICCID(iccid))/enable", lane: .interactive, decode: ESIM.self)
    }

    /// Suspends data for a SIM; its wallet stops draining.
    public func disable(iccid: String) async throws -> ESIM {
        try await send("POST", "/esim/\(try Self.checkedICCID(iccid))/disable", lane: .interactive, decode: ESIM.self)
    }

    /// Caps a SIM's data speed.
    public func throttle(iccid: String, speed: ThrottleSpeed) async throws -> ESIM {
        if case .unknown(let raw) = speed {
            throw CitrusError.invalidRequest("Throttle speed \(raw) is not one Citrus accepts. Use NO_LIMIT or SPEED_100_KBPS … SPEED_5000_KBPS.")
        }
        let body = ["speed": speed.rawValue]
        return try await send("POST", "/esim/\(try Self.checkedICCID(iccid))/throttle", body: body, lane: .interactive, decode: ESIM.self)
    }

    // MARK: Reseller account

    /// Reads the reseller account balance.
    public func walletBalance(lane: RequestLane = .background) async throws -> ResellerBalance {
        let wire = try await send("GET", "/wallet/balance", lane: lane, decode: BalanceWire.self)
        return ResellerBalance(
            balance: Money(roundingDown: wire.balance),
            currency: wire.currency ?? "USD",
            lifetimeTopUp: wire.lifetimeTopUp.map(Money.init(roundingDown:)),
            lifetimeUsage: wire.lifetimeUsage.map(Money.init(roundingDown:)))
    }

    // MARK: Transport

    private static func checkedICCID(_ iccid: String) throws -> String {
        guard (18...22).contains(iccid.count), iccid.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CitrusError.invalidRequest("ICCID \"\(iccid)\" is invalid. An ICCID has 19 or 20 digits and starts with 89.")
        }
        return iccid
    }

    private func send<Body: Encodable, Response: Decodable>(
        _ method: String, _ path: String, body: Body, lane: RequestLane, decode: Response.Type
    ) async throws -> Response {
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(body)
        } catch {
            throw CitrusError.invalidRequest("Could not encode the body of \(method) \(path): \(error)")
        }
        let data = try await sendRaw(method, path, body: encoded, lane: lane)
        return try Self.decode(Response.self, from: data, endpoint: "\(method) \(path)")
    }

    private func send<Response: Decodable>(
        _ method: String, _ path: String, rawBody: RawJSON? = nil, lane: RequestLane, decode: Response.Type
    ) async throws -> Response {
        let data = try await sendRaw(method, path, body: rawBody.map { Data($0.text.utf8) } ?? (method == "POST" ? Data("{}".utf8) : nil), lane: lane)
        return try Self.decode(Response.self, from: data, endpoint: "\(method) \(path)")
    }

    static func decode<Response: Decodable>(_ type: Response.Type, from data: Data, endpoint: String) throws -> Response {
        do {
            return try JSONDecoder().decode(Response.self, from: data)
        } catch let error as DecodingError {
            throw ListDecoding.describe(error, endpoint: endpoint)
        } catch {
            throw CitrusError.decoding(endpoint: endpoint, field: "(body)", reason: "\(error)")
        }
    }

    private func sendRaw(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, lane: RequestLane) async throws -> Data {
        let endpoint = "\(method) \(path)"
        var components = URLComponents(url: configuration.baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else {
            throw CitrusError.invalidRequest("Could not build a URL for \(endpoint) from base URL \(configuration.baseURL).")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = configuration.requestTimeout
        request.setValue("Bearer \(configuration.apiKey)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }

        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError {
            throw CitrusError.transport(endpoint: endpoint, delivery: Self.delivery(of: error), reason: error.localizedDescription)
        } catch {
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "\(error)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "response is not HTTP")
        }
        guard (200..<300).contains(http.statusCode) else {
            throw ErrorEnvelope.error(status: http.statusCode, body: data, retryAfterHeader: http.value(forHTTPHeaderField: "Retry-After"), endpoint: endpoint)
        }
        return data
    }

    static func delivery(of error: URLError) -> DeliveryState {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .unsupportedURL, .badURL, .appTransportSecurityRequiresSecureConnection:
            return .notSent
        default:
            return .maybeSent
        }
    }
}

/// A JSON body written by hand, so money goes out as an exact decimal.
struct RawJSON: Sendable {
    var text: String
    init(_ text: String) { self.text = text }
}

struct FundWire: Decodable {
    var iccid: String?
    var funded: Decimal?
    var wallet: Decimal?
    var remaining: Decimal?

    enum CodingKeys: String, CodingKey {
        case iccid
        case funded = "funded_usd"
        case wallet = "wallet_balance_usd"
        case remaining = "balance_remaining"
    }
}

struct BalanceWire: Decodable {
    var balance: Decimal
    var currency: String?
    var lifetimeTopUp: Decimal?
    var lifetimeUsage: Decimal?

    enum CodingKeys: String, CodingKey {
        case balance = "balance_usd"
        case currency
        case lifetimeTopUp = "lifetime_topup_usd"
        case lifetimeUsage = "lifetime_usage_usd"
    }
}
