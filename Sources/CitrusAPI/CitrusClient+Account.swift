import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension CitrusClient {
    /// Reads the reseller account balance.
    public func walletBalance(lane: RequestLane = .background) async throws -> ResellerBalance {
        let request = APIRequest(method: "GET", path: "/wallet/balance", lane: lane)
        let data = try await execute(request)
        return try Self.decode(ResellerBalance.self, from: data, endpoint: request.endpoint)
    }

    /// Reads the reseller account: company, email, balance and status.
    public func account(lane: RequestLane = .background) async throws -> CitrusAccount {
        let request = APIRequest(method: "GET", path: "/account", lane: lane)
        let data = try await execute(request)
        return try Self.decode(CitrusAccount.self, from: data, endpoint: request.endpoint)
    }

    /// Reads data prices, optionally for one country (ISO2 code or name) or one continent.
    public func rates(country: String? = nil, continent: String? = nil, lane: RequestLane = .background) async throws -> RateTable {
        var query: [URLQueryItem] = []
        if let country {
            query.append(URLQueryItem(name: "country", value: try Self.checkedFilter(country, name: "Country")))
        }
        if let continent {
            query.append(URLQueryItem(name: "continent", value: try Self.checkedFilter(continent, name: "Continent")))
        }
        let request = APIRequest(method: "GET", path: "/rates", query: query, lane: lane)
        let data = try await execute(request)
        return try Self.decode(RateTable.self, from: data, endpoint: request.endpoint)
    }

    private static func checkedFilter(_ value: String, name: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let printable = trimmed.unicodeScalars.allSatisfy { !CharacterSet.controlCharacters.contains($0) }
        guard (1...100).contains(trimmed.count), printable else {
            throw CitrusError.invalidRequest("\(name) filter \"\(value.prefix(40))\" is invalid. Use a name or code such as JP, Japan or Asia.")
        }
        return trimmed
    }
}

extension ResellerBalance: Decodable {
    enum CodingKeys: String, CodingKey {
        case balance = "balance_usd"
        case currency
        case lifetimeTopUp = "lifetime_topup_usd"
        case lifetimeUsage = "lifetime_usage_usd"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            balance: try container.decodeMoney(forKey: .balance),
            currency: try container.decodeIfPresent(String.self, forKey: .currency) ?? "USD",
            lifetimeTopUp: try container.decodeMoneyIfPresent(forKey: .lifetimeTopUp),
            lifetimeUsage: try container.decodeMoneyIfPresent(forKey: .lifetimeUsage))
    }
}
