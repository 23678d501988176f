import Foundation

/// The response to `GET /account`.
public struct CitrusAccount: Sendable, Hashable {
    public var companyName: String?
    public var email: String?
    /// The reseller balance, rounded down to the cent.
    public var balance: Money?
    /// For example `active`; kept as Citrus sends it.
    public var accountStatus: String?

    public init(companyName: String? = nil, email: String? = nil, balance: Money? = nil, accountStatus: String? = nil) {
        self.companyName = companyName
        self.email = email
        self.balance = balance
        self.accountStatus = accountStatus
    }
}

extension CitrusAccount: Decodable {
    enum CodingKeys: String, CodingKey {
        case companyName = "company_name"
        case email
        case balance = "balance_usd"
        case accountStatus = "account_status"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        companyName = try container.decodeIfPresent(String.self, forKey: .companyName)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        balance = try container.decodeMoneyIfPresent(forKey: .balance)
        accountStatus = try container.decodeIfPresent(String.self, forKey: .accountStatus)
    }
}

/// The response to `POST /esim/{iccid}/defund` (HTTP 202): the wallet is being
/// returned to the reseller balance, which is credited when it settles.
public struct DefundResult: Sendable, Hashable {
    public var iccid: String?
    /// The amount Citrus expects to return, rounded down to the cent.
    public var estimatedReturn: Money?
    /// Minutes until the reseller balance is credited (about 15 at Citrus).
    public var settlesInMinutes: Decimal?
    /// The SIM's status after the request, when Citrus includes it.
    public var status: ESIMStatus?

    public init(iccid: String? = nil, estimatedReturn: Money? = nil, settlesInMinutes: Decimal? = nil, status: ESIMStatus? = nil) {
        self.iccid = iccid
        self.estimatedReturn = estimatedReturn
        self.settlesInMinutes = settlesInMinutes
        self.status = status
    }
}

extension DefundResult: Decodable {
    enum CodingKeys: String, CodingKey {
        case iccid
        case estimatedReturn = "estimated_return_usd"
        case settlesInMinutes = "settles_in_minutes"
        case status
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iccid = try container.decodeIfPresent(String.self, forKey: .iccid)
        estimatedReturn = try container.decodeMoneyIfPresent(forKey: .estimatedReturn)
        settlesInMinutes = try container.decodeLenientDecimalIfPresent(forKey: .settlesInMinutes)
        status = try container.decodeIfPresent(ESIMStatus.self, forKey: .status)
    }
}

/// The response to `GET /rates`.
public struct RateTable: Sendable, Hashable {
    /// As Citrus reports it; nil when omitted.
    public var totalCountries: Int?
    public var countries: [CountryRate]

    public init(totalCountries: Int? = nil, countries: [CountryRate]) {
        self.totalCountries = totalCountries
        self.countries = countries
    }
}

/// The data prices in one country. Prices are `Decimal` dollars, not `Money`,
/// because per-megabyte prices go below a cent.
public struct CountryRate: Sendable, Hashable {
    public var name: String
    public var iso2: String?
    public var iso3: String?
    public var flag: String?
    public var continent: String?
    public var hasData: Bool?
    public var cheapestPerGB: Decimal?
    public var cheapestOperator: String?
    public var networks: [NetworkRate]

    public init(name: String, iso2: String? = nil, iso3: String? = nil, flag: String? = nil, continent: String? = nil,
                hasData: Bool? = nil, cheapestPerGB: Decimal? = nil, cheapestOperator: String? = nil, networks: [NetworkRate] = []) {
        self.name = name
        self.iso2 = iso2
        self.iso3 = iso3
        self.flag = flag
        self.continent = continent
        self.hasData = hasData
        self.cheapestPerGB = cheapestPerGB
        self.cheapestOperator = cheapestOperator
        self.networks = networks
    }
}

/// The price of data on one operator's network, in dollars.
public struct NetworkRate: Sendable, Hashable {
    public var operatorName: String
    public var perGB: Decimal?
    public var perMB: Decimal?

    public init(operatorName: String, perGB: Decimal? = nil, perMB: Decimal? = nil) {
        self.operatorName = operatorName
        self.perGB = perGB
        self.perMB = perMB
    }
}

extension RateTable: Decodable {
    enum CodingKeys: String, CodingKey {
        case totalCountries = "total_countries"
        case countries
    }

    public init(from decoder: Decoder) throws {
        // A bare array of countries is accepted too.
        if var array = try? decoder.unkeyedContainer() {
            var countries: [CountryRate] = []
            while !array.isAtEnd { countries.append(try array.decode(CountryRate.self)) }
            self.init(totalCountries: nil, countries: countries)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            totalCountries: try container.decodeLenientIntIfPresent(forKey: .totalCountries),
            countries: try container.decodeIfPresent([CountryRate].self, forKey: .countries) ?? [])
    }
}

extension CountryRate: Decodable {
    enum CodingKeys: String, CodingKey {
        case name, iso2, iso3, flag, continent
        case hasData = "has_data"
        case cheapestPerGB = "cheapest_per_gb_usd"
        case cheapestOperator = "cheapest_operator"
        case networks
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        iso2 = try container.decodeIfPresent(String.self, forKey: .iso2)
        iso3 = try container.decodeIfPresent(String.self, forKey: .iso3)
        flag = try container.decodeIfPresent(String.self, forKey: .flag)
        continent = try container.decodeIfPresent(String.self, forKey: .continent)
        hasData = try container.decodeLenientBoolIfPresent(forKey: .hasData)
        cheapestPerGB = try container.decodeLenientDecimalIfPresent(forKey: .cheapestPerGB)
        cheapestOperator = try container.decodeIfPresent(String.self, forKey: .cheapestOperator)
        networks = try container.decodeIfPresent([NetworkRate].self, forKey: .networks) ?? []
    }
}

extension NetworkRate: Decodable {
    enum CodingKeys: String, CodingKey {
        case operatorName = "operator"
        case perGB = "per_gb_usd"
        case perMB = "per_mb_usd"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        operatorName = try container.decode(String.self, forKey: .operatorName)
        perGB = try container.decodeLenientDecimalIfPresent(forKey: .perGB)
        perMB = try container.decodeLenientDecimalIfPresent(forKey: .perMB)
    }
}
