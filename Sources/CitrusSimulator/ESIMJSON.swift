import CitrusAPI

/// Serializes SIMs as the Citrus eSIM object, with the field names of
/// `CitrusAPI.ESIM`.
extension ResellerAccount {
    /// Writes one SIM as of `now`, evaluating its usage first.
    mutating func writeESIM(_ index: Int, now: Int64, into writer: inout JSONWriter, providedCostCents: Int64? = nil) {
        let reading = reading(of: index, now: now)
        if esims[index].qrCode == nil {
            esims[index].qrCode = QRCodeImage.dataURL(for: esims[index].lpaString)
        }
        let esim = esims[index]

        writer.beginObject()
        writer.key("id")
        writer.string(esim.id)
        writer.key("iccid")
        writer.string(esim.iccid)
        writer.key("lpa_string")
        writer.string(esim.lpaString)
        writer.key("qr_code")
        writer.string(esim.qrCode)
        writer.key("direct_install_url")
        writer.string(esim.directInstallURL)
        writer.key("status")
        writer.string(esim.status(at: now).rawValue)
        writer.key("euicc_state")
        writer.string(esim.euiccState(at: now).rawValue)
        writer.key("label")
        writer.string(esim.label)
        writer.key("end_user_reference")
        writer.string(esim.endUserReference)
        writer.key("group_id")
        writer.string(esim.groupID)
        writer.key("wallet_balance_usd")
        if esim.groupID == nil {
            writer.microDollarsRoundedDown(reportedWallet(index, exact: reading, now: now))
        } else {
            writer.null()
        }
        writer.key("total_data_charged_usd")
        if esim.groupID == nil {
            writer.microDollarsRoundedDown(reportedCharged(index, exact: reading, now: now))
        } else {
            writer.null()
        }
        writer.key("throttle_speed")
        writer.string(esim.throttle.rawValue)
        writer.key("activated_at")
        if let activatedAt = esim.activatedAt, activatedAt <= now {
            writer.string(ISO8601Text.format(millis: activatedAt))
        } else {
            writer.null()
        }
        writer.key("created_at")
        writer.string(esim.createdAtText)
        if let providedCostCents {
            writer.key("cost")
            writer.cents(providedCostCents)
            writer.key("balance_remaining")
            writer.microDollarsRoundedDown(balanceMicros)
        }
        writer.endObject()
    }

    /// The wallet as the API reports it. Without a reporting delay this is the
    /// exact wallet; with one, usage of the last `delay` minutes is not yet
    /// deducted, so the real wallet can be lower than the reading.
    func reportedWallet(_ index: Int, exact: WalletReading, now: Int64) -> Int64 {
        exact.walletMicros
    }

    /// Lifetime usage as the API reports it (lagging like the wallet).
    func reportedCharged(_ index: Int, exact: WalletReading, now: Int64) -> Int64 {
        exact.chargedMicros
    }
}
