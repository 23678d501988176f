/// `GET /rates`: the sample rates table, filtered by `country` (ISO2 or name)
/// and `continent`, both case-insensitive.
enum RatesRoutes {
    static func rates(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let countryFilter = request.queryValue("country").map(normalized)
        let continentFilter = request.queryValue("continent").map(normalized)
        if let countryFilter, countryFilter.isEmpty {
            throw .validation("Query parameter country is empty. Send an ISO2 code such as JP or a name such as Japan.")
        }
        if let continentFilter, continentFilter.isEmpty {
            throw .validation("Query parameter continent is empty. Send one of \(RatesTable.continents.joined(separator: ", ")).")
        }

        let matches = RatesTable.countries.filter { country in
            if let countryFilter, normalized(country.iso2) != countryFilter, normalized(country.name) != countryFilter { return false }
            if let continentFilter, normalized(country.continent) != continentFilter { return false }
            return true
        }

        var writer = JSONWriter(reservingCapacity: 512 * max(1, matches.count))
        writer.beginObject()
        // The table is invented (see `RatesTable`), and the response says so.
        writer.key("sample_data")
        writer.bool(true)
        writer.key("note")
        writer.string(sampleDataNote)
        writer.key("total_countries")
        writer.integer(matches.count)
        writer.key("countries")
        writer.beginArray()
        for country in matches {
            write(country, into: &writer)
        }
        writer.endArray()
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    static let sampleDataNote = "Sample rates served by citrus-sim, not Citrus prices. Only Japan on KDDI at $1.38/GB matches a price Citrus publishes."

    /// Lower-cases and treats `_`, `-` and spaces alike, so `north_america`,
    /// `North America` and `north-america` all match.
    private static func normalized(_ text: String) -> String {
        String(text.lowercased().map { $0 == "_" || $0 == "-" ? " " : $0 }).trimmingCharacters(in: .whitespaces)
    }

    private static func write(_ country: SimulatedCountry, into writer: inout JSONWriter) {
        let cheapest = country.cheapestNetwork
        writer.beginObject()
        writer.key("name")
        writer.string(country.name)
        writer.key("iso2")
        writer.string(country.iso2)
        writer.key("iso3")
        writer.string(country.iso3)
        writer.key("flag")
        writer.string(country.flag)
        writer.key("continent")
        writer.string(country.continent)

        writer.key("has_data")
        writer.bool(!country.networks.isEmpty)
        writer.key("cheapest_per_gb_usd")
        writer.microDollarsRoundedDown(cheapest.perGBMicros)
        writer.key("cheapest_operator")
        writer.string(cheapest.operatorName)

        writer.key("networks")
        writer.beginArray()
        for network in country.networks {
            writer.beginObject()
            writer.key("operator")
            writer.string(network.operatorName)
            writer.key("per_gb_usd")
            writer.microDollarsRoundedDown(network.perGBMicros)
            writer.key("per_mb_usd")
            writer.raw(perMegabyteText(network.perGBMicros))
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// Formats the exact price of one megabyte (10^6 bytes) in dollars: micro-dollars per GB × 10^-9.
    private static func perMegabyteText(_ perGBMicros: Int64) -> String {
        let whole = perGBMicros / 1_000_000_000
        var fraction = String(perGBMicros % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
        return String(whole) + "." + fraction
    }
}
