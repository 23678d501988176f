/// One mobile network in a country, with its data price.
struct SimulatedNetwork: Sendable {
    let operatorName: String
    /// The price of one gigabyte (10^9 bytes) in micro-dollars.
    let perGBMicros: Int64
}

/// One country of the rates table.
struct SimulatedCountry: Sendable {
    let name: String
    let iso2: String
    let iso3: String
    let continent: String
    let networks: [SimulatedNetwork]

    /// The flag emoji: the two regional-indicator symbols of the ISO2 code.
    var flag: String {
        var scalars = String.UnicodeScalarView()
        for letter in iso2.unicodeScalars {
            if let indicator = Unicode.Scalar(0x1F1E6 + letter.value - 0x41) { scalars.append(indicator) }
        }
        return String(scalars)
    }

    var cheapestNetwork: SimulatedNetwork {
        networks.min(by: { $0.perGBMicros < $1.perGBMicros }) ?? networks[0]
    }
}

/// The rates table that `GET /rates` serves and the usage engine charges by.
///
/// SAMPLE DATA: these operators and prices are invented for the simulator,
/// except Japan on KDDI at $1.38/GB, the one figure Citrus shows publicly.
/// Do not quote them as Citrus prices.
enum RatesTable {
    private static func network(_ name: String, _ dollarsPerGB: Double) -> SimulatedNetwork {
        // The literals below have at most two decimals, so rounding to micro-dollars is exact.
        SimulatedNetwork(operatorName: name, perGBMicros: Int64((dollarsPerGB * 1_000_000).rounded()))
    }

    private static func country(_ name: String, _ iso2: String, _ iso3: String, _ continent: String, _ networks: [SimulatedNetwork]) -> SimulatedCountry {
        SimulatedCountry(name: name, iso2: iso2, iso3: iso3, continent: continent, networks: networks)
    }

    static let countries: [SimulatedCountry] = [
        // Europe
        country("Germany", "DE", "DEU", "Europe", [network("Telekom", 2.10), network("Vodafone", 2.35), network("O2", 1.95)]),
        country("France", "FR", "FRA", "Europe", [network("Orange", 2.20), network("SFR", 2.05), network("Bouygues", 2.40)]),
        country("Spain", "ES", "ESP", "Europe", [network("Movistar", 1.90), network("Vodafone", 2.15), network("Orange", 1.85)]),
        country("Italy", "IT", "ITA", "Europe", [network("TIM", 2.25), network("Vodafone", 2.30), network("WindTre", 1.99)]),
        country("United Kingdom", "GB", "GBR", "Europe", [network("EE", 2.45), network("Vodafone", 2.50), network("O2", 2.20), network("Three", 2.10)]),
        country("Netherlands", "NL", "NLD", "Europe", [network("KPN", 2.60), network("Vodafone", 2.55)]),
        country("Switzerland", "CH", "CHE", "Europe", [network("Swisscom", 4.80), network("Sunrise", 4.50)]),
        country("Portugal", "PT", "PRT", "Europe", [network("MEO", 2.00), network("NOS", 2.10)]),
        country("Poland", "PL", "POL", "Europe", [network("Orange", 1.70), network("Play", 1.60), network("Plus", 1.75)]),
        country("Greece", "GR", "GRC", "Europe", [network("Cosmote", 2.70), network("Vodafone", 2.80)]),
        country("Norway", "NO", "NOR", "Europe", [network("Telenor", 3.20), network("Telia", 3.10)]),
        country("Iceland", "IS", "ISL", "Europe", [network("Siminn", 4.20)]),
        // Asia
        country("Japan", "JP", "JPN", "Asia", [network("KDDI", 1.38), network("NTT Docomo", 1.60), network("SoftBank", 1.55)]),
        country("South Korea", "KR", "KOR", "Asia", [network("SK Telecom", 2.40), network("KT", 2.30), network("LG U+", 2.20)]),
        country("China", "CN", "CHN", "Asia", [network("China Mobile", 3.50), network("China Unicom", 3.40)]),
        country("Thailand", "TH", "THA", "Asia", [network("AIS", 1.50), network("True", 1.45), network("dtac", 1.55)]),
        country("Vietnam", "VN", "VNM", "Asia", [network("Viettel", 1.20), network("Vinaphone", 1.25)]),
        country("Indonesia", "ID", "IDN", "Asia", [network("Telkomsel", 1.40), network("Indosat", 1.35), network("XL Axiata", 1.30)]),
        country("India", "IN", "IND", "Asia", [network("Jio", 0.95), network("Airtel", 1.05), network("Vi", 1.00)]),
        country("Singapore", "SG", "SGP", "Asia", [network("Singtel", 1.80), network("StarHub", 1.85), network("M1", 1.75)]),
        country("United Arab Emirates", "AE", "ARE", "Asia", [network("Etisalat", 4.50), network("du", 4.30)]),
        country("Turkey", "TR", "TUR", "Asia", [network("Turkcell", 2.90), network("Vodafone", 3.00), network("Turk Telekom", 2.85)]),
        country("Israel", "IL", "ISR", "Asia", [network("Partner", 2.60), network("Cellcom", 2.55)]),
        country("Philippines", "PH", "PHL", "Asia", [network("Globe", 1.90), network("Smart", 1.95)]),
        // North America
        country("United States", "US", "USA", "North America", [network("T-Mobile", 2.90), network("AT&T", 3.10), network("Verizon", 3.40)]),
        country("Canada", "CA", "CAN", "North America", [network("Rogers", 3.80), network("Bell", 3.90), network("Telus", 3.85)]),
        country("Mexico", "MX", "MEX", "North America", [network("Telcel", 2.40), network("AT&T", 2.50)]),
        country("Costa Rica", "CR", "CRI", "North America", [network("Kolbi", 3.20), network("Claro", 3.30)]),
        country("Dominican Republic", "DO", "DOM", "North America", [network("Claro", 3.60), network("Altice", 3.70)]),
        // South America
        country("Brazil", "BR", "BRA", "South America", [network("Vivo", 2.60), network("Claro", 2.55), network("TIM", 2.50)]),
        country("Argentina", "AR", "ARG", "South America", [network("Personal", 3.10), network("Movistar", 3.20), network("Claro", 3.00)]),
        country("Chile", "CL", "CHL", "South America", [network("Entel", 2.70), network("Movistar", 2.80)]),
        country("Peru", "PE", "PER", "South America", [network("Claro", 3.30), network("Movistar", 3.40)]),
        country("Colombia", "CO", "COL", "South America", [network("Claro", 2.90), network("Movistar", 3.00), network("Tigo", 2.95)]),
        // Africa
        country("South Africa", "ZA", "ZAF", "Africa", [network("Vodacom", 3.60), network("MTN", 3.50), network("Cell C", 3.70)]),
        country("Morocco", "MA", "MAR", "Africa", [network("Maroc Telecom", 3.20), network("Orange", 3.10), network("inwi", 3.15)]),
        country("Egypt", "EG", "EGY", "Africa", [network("Vodafone", 2.80), network("Orange", 2.85), network("Etisalat", 2.90)]),
        country("Kenya", "KE", "KEN", "Africa", [network("Safaricom", 4.10), network("Airtel", 4.00)]),
        country("Nigeria", "NG", "NGA", "Africa", [network("MTN", 4.40), network("Glo", 4.30), network("Airtel", 4.35)]),
        country("Tanzania", "TZ", "TZA", "Africa", [network("Vodacom", 4.90)]),
        // Oceania
        country("Australia", "AU", "AUS", "Oceania", [network("Telstra", 2.80), network("Optus", 2.70), network("Vodafone", 2.65)]),
        country("New Zealand", "NZ", "NZL", "Oceania", [network("Spark", 3.00), network("One NZ", 3.05), network("2degrees", 2.95)]),
        country("Fiji", "FJ", "FJI", "Oceania", [network("Vodafone", 6.50), network("Digicel", 6.20)]),
    ]

    static let germany = index(iso2: "DE")!

    /// Finds a country's index by ISO2 code.
    static func index(iso2: String) -> Int? {
        countries.firstIndex(where: { $0.iso2 == iso2 })
    }

    /// Every continent in the table, in first-seen order.
    static var continents: [String] {
        var seen: [String] = []
        for country in countries where !seen.contains(country.continent) { seen.append(country.continent) }
        return seen
    }
}
