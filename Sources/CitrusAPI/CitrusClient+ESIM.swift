import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension CitrusClient {
    /// Provisions a new eSIM. Costs the provisioning fee ($1.75 at Citrus).
    /// Never retried unless the request certainly was not sent.
    public func provision(label: String? = nil, endUserReference: String? = nil, groupID: String? = nil) async throws -> ESIM {
        var body: [String: String] = [:]
        body["label"] = label
        body["end_user_reference"] = endUserReference
        body["group_id"] = groupID
        let path = "/esim/provision"
        let request = APIRequest(method: "POST", path: path, body: try Self.encode(body, endpoint: "POST \(path)"), lane: .interactive)
        let data = try await executeMutation(request, audit: AuditContext(action: .provision, detail: label))
        return try Self.decode(ESIM.self, from: data, endpoint: request.endpoint)
    }

    /// Reads one eSIM by ICCID.
    public func esim(iccid: String, lane: RequestLane = .interactive) async throws -> ESIM {
        let request = APIRequest(method: "GET", path: "/esim/\(try Self.checkedICCID(iccid))", lane: lane)
        let data = try await execute(request)
        return try Self.decode(ESIM.self, from: data, endpoint: request.endpoint)
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
        if let status {
            if case .unknown(let raw) = status {
                throw CitrusError.invalidRequest("Status filter \"\(raw)\" is invalid. Use pending, active, suspended or terminated.")
            }
            query.append(URLQueryItem(name: "status", value: status.rawValue))
        }
        let request = APIRequest(method: "GET", path: "/esim/list", query: query, lane: lane)
        let data = try await execute(request)
        return try ListDecoding.decodePage(data, limit: limit, offset: offset)
    }

    /// Returns a sequence of every page of the fleet, in order, one request per page (see `ESIMPages`).
    public func allESIMPages(status: ESIMStatus? = nil, pageSize: Int = 200, lane: RequestLane = .background) -> ESIMPages {
        ESIMPages(client: self, status: status, pageSize: pageSize, lane: lane)
    }

    /// Moves `amount` from the reseller balance to the SIM's wallet.
    ///
    /// Citrus's fund is not idempotent, so the request is sent at most once and
    /// never repeated, not even after a failure before sending. The result:
    /// - `.applied` after a 2xx. A 2xx whose body cannot be decoded is still
    ///   applied, with the requested amount and no balances.
    /// - `.unknown` when the request may have been applied but no usable response
    ///   came (timeout, reset, a 5xx without a Citrus code). The SIM and the
    ///   reseller balance are then read back so the operator can compare them
    ///   with the figures from before and decide.
    /// - A thrown `CitrusError` when the fund certainly was not applied.
    ///
    /// - Parameters:
    ///   - requestID: the id of the fund's audit records. Pass one to write a
    ///     record of your own about the same fund, for example when quitting.
    ///   - onResponseLost: runs when the outcome becomes unknown, before the
    ///     read-back, so that a caller can report it at once.
    public func fund(iccid: String, amount: Money, requestID: UUID = UUID(),
                     onResponseLost: (@Sendable (CitrusError) -> Void)? = nil) async throws -> FundOutcome {
        guard amount >= .minimumFund, amount <= .maximumFund else {
            throw CitrusError.invalidRequest("Fund amount \(amount) is out of range. Use \(Money.minimumFund) to \(Money.maximumFund).")
        }
        let path = "/esim/\(try Self.checkedICCID(iccid))/fund"
        var request = APIRequest(method: "POST", path: path, body: Data("{\"amount\":\(amount.plainDecimalString)}".utf8), lane: .interactive)
        request.allowsRetry = false

        let data: Data
        do {
            data = try await executeMutation(request, audit: AuditContext(action: .fund, iccid: iccid, amount: amount), requestID: requestID)
        } catch let error as CitrusError where error.mayHaveBeenApplied {
            onResponseLost?(error)
            log(.warning, "Fund of \(amount) to \(iccid) has an unknown outcome: \(error). Reading the SIM and the reseller balance back; the fund is not resent.")
            return .unknown(await readBackAfterUnknownFund(iccid: iccid, amount: amount, error: error))
        }

        do {
            return .applied(try Self.decodeFundResult(data, iccid: iccid, amount: amount, endpoint: request.endpoint))
        } catch {
            log(.warning, "Fund of \(amount) to \(iccid) was applied (HTTP 2xx) but its response could not be read: \(error)")
            return .applied(FundResult(iccid: iccid, funded: amount, walletBalance: nil, balanceRemaining: nil))
        }
    }

    private func readBackAfterUnknownFund(iccid: String, amount: Money, error: CitrusError) async -> UnknownFundOutcome {
        let esimAfter = try? await esim(iccid: iccid, lane: .interactive)
        let balanceAfter = try? await walletBalance(lane: .interactive)
        return UnknownFundOutcome(iccid: iccid, amount: amount, error: error, esimAfter: esimAfter, resellerBalanceAfter: balanceAfter)
    }

    static func decodeFundResult(_ data: Data, iccid: String, amount: Money, endpoint: String) throws -> FundResult {
        let wire = try decode(FundWire.self, from: data, endpoint: endpoint)
        return FundResult(
            iccid: wire.iccid ?? iccid,
            funded: wire.funded ?? amount,
            walletBalance: wire.wallet,
            balanceRemaining: wire.remaining)
    }

    /// Resumes data for a suspended SIM.
    public func enable(iccid: String, requestID: UUID = UUID()) async throws -> ESIM {
        try await esimAction("enable", iccid: iccid, action: .enable, requestID: requestID)
    }

    /// Suspends data for a SIM; its wallet stops draining.
    public func disable(iccid: String, requestID: UUID = UUID()) async throws -> ESIM {
        try await esimAction("disable", iccid: iccid, action: .disable, requestID: requestID)
    }

    /// Caps a SIM's data speed.
    public func throttle(iccid: String, speed: ThrottleSpeed, requestID: UUID = UUID()) async throws -> ESIM {
        if case .unknown(let raw) = speed {
            throw CitrusError.invalidRequest("Throttle speed \(raw) is not one Citrus accepts. Use NO_LIMIT or SPEED_100_KBPS … SPEED_5000_KBPS.")
        }
        let body = try Self.encode(["speed": speed.rawValue], endpoint: "POST /esim/{iccid}/throttle")
        return try await esimAction("throttle", iccid: iccid, action: .throttle, body: body, detail: speed.rawValue, requestID: requestID)
    }

    /// Terminates a SIM. Irreversible, and the remaining wallet is forfeited:
    /// defund first.
    public func terminate(iccid: String, requestID: UUID = UUID()) async throws -> ESIM {
        try await esimAction("terminate", iccid: iccid, action: .terminate, requestID: requestID)
    }

    /// Starts returning the SIM's wallet to the reseller balance (HTTP 202).
    /// Data pauses at once; the balance is credited when the defund settles,
    /// and until then the SIM cannot be funded or enabled.
    public func defund(iccid: String, requestID: UUID = UUID()) async throws -> DefundResult {
        let request = APIRequest(method: "POST", path: "/esim/\(try Self.checkedICCID(iccid))/defund", lane: .interactive)
        let data = try await executeMutation(request, audit: AuditContext(action: .defund, iccid: iccid), requestID: requestID)
        return try Self.decode(DefundResult.self, from: data, endpoint: request.endpoint)
    }

    private func esimAction(_ name: String, iccid: String, action: AuditRecord.Action, body: Data? = nil, detail: String? = nil,
                            requestID: UUID) async throws -> ESIM {
        let request = APIRequest(method: "POST", path: "/esim/\(try Self.checkedICCID(iccid))/\(name)", body: body, lane: .interactive)
        let data = try await executeMutation(request, audit: AuditContext(action: action, iccid: iccid, detail: detail), requestID: requestID)
        return try Self.decode(ESIM.self, from: data, endpoint: request.endpoint)
    }
}

struct FundWire: Decodable {
    var iccid: String?
    var funded: Money?
    var wallet: Money?
    var remaining: Money?

    enum CodingKeys: String, CodingKey {
        case iccid
        case funded = "funded_usd"
        case wallet = "wallet_balance_usd"
        case remaining = "balance_remaining"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iccid = try container.decodeIfPresent(String.self, forKey: .iccid)
        funded = try container.decodeMoneyIfPresent(forKey: .funded)
        wallet = try container.decodeMoneyIfPresent(forKey: .wallet)
        remaining = try container.decodeMoneyIfPresent(forKey: .remaining)
    }
}
