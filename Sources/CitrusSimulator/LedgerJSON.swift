/// `GET /_sim/state`: the exact ledger, so tests can prove that every fund was
/// paid once and that the money adds up to the micro-dollar.
///
/// For every SIM: wallet + charged + forfeited + defunded = credited funds.
enum LedgerJSON {
    static func response(account: inout ResellerAccount, now: Int64, onlyICCID: String? = nil) -> HTTPResponse {
        var writer = JSONWriter(reservingCapacity: 1_024 + account.esims.count * 400)
        writer.beginObject()
        writer.key("now")
        writer.string(ISO8601Text.format(millis: now))
        writer.key("now_ms")
        writer.integer(now)

        writer.key("reseller")
        writer.beginObject()
        writeMoney("balance", account.balanceMicros, into: &writer)
        writeMoney("lifetime_topup", account.lifetimeTopUpMicros, into: &writer)
        writeMoney("lifetime_spent", account.lifetimeSpentMicros, into: &writer)
        writer.key("provisioned_count")
        writer.integer(account.provisionedCount)
        writer.endObject()

        var walletTotal: Int64 = 0
        var chargedTotal: Int64 = 0
        writer.key("esims")
        writer.beginArray()
        for index in account.esims.indices {
            let reading = account.reading(of: index, now: now)
            walletTotal += reading.walletMicros
            chargedTotal += reading.chargedMicros
            if let onlyICCID, account.esims[index].iccid != onlyICCID { continue }
            writeESIM(account.esims[index], reading: reading, seed: account.seed, now: now, into: &writer)
        }
        writer.endArray()

        writer.key("funds")
        writer.beginArray()
        var fundedCents: Int64 = 0
        var creditedTotal: Int64 = 0
        for fund in account.funds {
            fundedCents += fund.amountCents
            creditedTotal += fund.creditedMicros
            if let onlyICCID, fund.iccid != onlyICCID { continue }
            writer.beginObject()
            writer.key("at")
            writer.string(ISO8601Text.format(millis: fund.at))
            writer.key("iccid")
            writer.string(fund.iccid)
            writer.key("amount_usd")
            writer.cents(fund.amountCents)
            writeMoney("credited", fund.creditedMicros, into: &writer)
            writer.endObject()
        }
        writer.endArray()

        writer.key("defunds")
        writer.beginArray()
        var defundedTotal: Int64 = 0
        for defund in account.defunds {
            defundedTotal += defund.amountMicros
            if let onlyICCID, defund.iccid != onlyICCID { continue }
            writer.beginObject()
            writer.key("iccid")
            writer.string(defund.iccid)
            writeMoney("amount", defund.amountMicros, into: &writer)
            writer.key("requested_at")
            writer.string(ISO8601Text.format(millis: defund.requestedAt))
            writer.key("settles_at")
            writer.string(ISO8601Text.format(millis: defund.settlesAt))
            writer.key("settled")
            writer.bool(defund.settled)
            writer.endObject()
        }
        writer.endArray()

        writer.key("totals")
        writer.beginObject()
        writer.key("funds_count")
        writer.integer(account.funds.count)
        writer.key("funded_usd")
        writer.cents(fundedCents)
        writeMoney("credited", creditedTotal, into: &writer)
        writeMoney("wallets", walletTotal, into: &writer)
        writeMoney("charged", chargedTotal, into: &writer)
        writeMoney("forfeited", account.esims.reduce(0) { $0 + $1.forfeitedMicros }, into: &writer)
        writeMoney("defunded", defundedTotal, into: &writer)
        writer.endObject()

        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    private static func writeESIM(_ esim: SimulatedESIM, reading: WalletReading, seed: UInt64, now: Int64, into writer: inout JSONWriter) {
        let bucket = UsageBucket(seed: seed, serial: esim.serial, hourIndex: floorDivide(now, SimulatedESIM.hourMillis), profile: esim.profile, countries: esim.countries)
        let country = RatesTable.countries[bucket.countryIndex]
        writer.beginObject()
        writer.key("iccid")
        writer.string(esim.iccid)
        writer.key("status")
        writer.string(esim.status(at: now).rawValue)
        writer.key("euicc_state")
        writer.string(esim.euiccState(at: now).rawValue)
        writer.key("group_id")
        writer.string(esim.groupID)

        writeMoney("wallet", reading.walletMicros, into: &writer)
        writeMoney("charged", reading.chargedMicros, into: &writer)
        writeMoney("forfeited", esim.forfeitedMicros, into: &writer)
        writer.key("used_bytes")
        writer.integer(reading.usedBytes)
        writer.key("data_cut_off")
        writer.bool(esim.dataCutOff)

        writer.key("throttle_speed")
        writer.string(esim.throttle.rawValue)
        writer.key("profile")
        writer.string(esim.profile.rawValue)
        writer.key("country_iso2")
        writer.string(country.iso2)
        writer.key("network")
        writer.string(country.networks[bucket.networkIndex].operatorName)
        writer.key("per_gb_usd")
        writer.microDollarsRoundedDown(bucket.perGBMicros)

        writer.key("pending_defund")
        if let defund = esim.pendingDefund {
            writer.beginObject()
            writeMoney("amount", defund.amountMicros, into: &writer)
            writer.key("settles_at")
            writer.string(ISO8601Text.format(millis: defund.settlesAt))
            writer.endObject()
        } else {
            writer.null()
        }
        writer.endObject()
    }

    /// Writes `<name>_micros` (integer micro-dollars) and `<name>_usd` (the exact decimal as a string).
    private static func writeMoney(_ name: String, _ micros: Int64, into writer: inout JSONWriter) {
        writer.key(dynamic: name + "_micros")
        writer.integer(micros)
        writer.key(dynamic: name + "_usd")
        writer.string(MicroDollars.decimalString(micros))
    }
}
