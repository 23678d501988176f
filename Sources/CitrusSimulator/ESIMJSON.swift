import CitrusAPI

/// Serializes SIMs as the Citrus eSIM object, with the field names of
/// `CitrusAPI.ESIM`.
extension ResellerAccount {
    /// Writes one SIM as of `now`, evaluating its usage first.
    ///
    /// List pages write up to 200 SIMs per request, so the members that never change
    /// come first, copied from bytes serialized once per SIM, and only the status,
    /// wallet, throttle and activation are written each time. Fields are read through
    /// `esims[index]` one by one, because a copy of the whole SIM costs a retain and a
    /// release per string and array in it.
    mutating func writeESIM(_ index: Int, now: Int64, into writer: inout JSONWriter, providedCostCents: Int64? = nil) {
        let reading = reading(of: index, now: now)
        if esims[index].staticMembersJSON == nil {
            storeQRCode(QRCodeImage.dataURL(for: esims[index].lpaString), at: index)
        }
        let inGroup = esims[index].groupID != nil
        let wallet = inGroup ? nil : reportedWallet(index, exact: reading, now: now)
        let charged = inGroup ? nil : reportedCharged(index, exact: reading, now: now)

        writer.beginObject()
        writer.rawMembers(esims[index].staticMembersJSON ?? [])
        writer.key("status")
        writer.plainString(esims[index].status(at: now).rawValue)
        writer.key("euicc_state")
        writer.plainString(esims[index].euiccState(at: now).rawValue)
        writer.key("wallet_balance_usd")
        if let wallet { writer.microDollarsRoundedDown(wallet) } else { writer.null() }
        writer.key("total_data_charged_usd")
        if let charged { writer.microDollarsRoundedDown(charged) } else { writer.null() }
        writer.key("throttle_speed")
        writer.plainString(esims[index].throttle.rawValue)
        writer.key("activated_at")
        if esims[index].isActivated(at: now), let text = esims[index].activatedAtText {
            writer.plainString(text)
        } else {
            writer.null()
        }
        if let providedCostCents {
            writer.key("cost")
            writer.cents(providedCostCents)
            writer.key("balance_remaining")
            writer.microDollarsRoundedDown(balanceMicros)
        }
        writer.endObject()
    }

    /// Returns the wallet as the API reports it. Without a reporting delay this is the
    /// exact wallet. With one, usage of the last `delay` minutes is not deducted
    /// yet (funds are), so the real wallet can be lower than the reading, as at
    /// Citrus. A SIM whose wallet was emptied by defund or terminate reads $0.
    mutating func reportedWallet(_ index: Int, exact: WalletReading, now: Int64) -> Int64 {
        guard reportingDelayMillis > 0, esims[index].pendingDefund == nil, !esims[index].isTerminated else { return exact.walletMicros }
        let unreported = exact.chargedMicros - laggedCharged(index, at: now - reportingDelayMillis)
        return exact.walletMicros + max(0, unreported)
    }

    /// Returns lifetime usage as the API reports it: as of `now` minus the reporting delay.
    mutating func reportedCharged(_ index: Int, exact: WalletReading, now: Int64) -> Int64 {
        guard reportingDelayMillis > 0 else { return exact.chargedMicros }
        return laggedCharged(index, at: now - reportingDelayMillis)
    }

    /// Evaluates the SIM's lifetime usage at an earlier `time` again, from the
    /// last state change at or before it. Usage is deterministic, so this repeats
    /// the exact figures.
    ///
    /// The copy used is advanced and stored back, so later readings start from
    /// there; times only grow, and the next copy starts after `time`.
    mutating func laggedCharged(_ index: Int, at time: Int64) -> Int64 {
        guard index < lagHistory.count, !lagHistory[index].isEmpty else { return esims[index].chargedMicros }
        let position = lagHistory[index].lastIndex(where: { $0.checkpoint <= time }) ?? 0
        var ignored: [ESIMNotice] = []
        let base = lagHistory[index][position].checkpoint
        return lagHistory[index][position].evaluate(at: max(time, base), seed: seed, commitPartial: false, notices: &ignored).chargedMicros
    }

    /// Keeps a copy of the SIM after a state change, for lagged readings, and
    /// drops copies that no lagged reading can need any more.
    mutating func noteStateChange(_ index: Int, now: Int64) {
        let delay = reportingDelayMillis
        guard delay > 0 else { return }
        while lagHistory.count <= index { lagHistory.append([]) }
        lagHistory[index].append(esims[index])
        let oldestNeeded = now - delay
        while lagHistory[index].count > 1 && lagHistory[index][1].checkpoint <= oldestNeeded {
            lagHistory[index].removeFirst()
        }
    }
}

/// Serializes the members of the eSIM object that never change.
enum ESIMJSON {
    /// Serializes `id`, `iccid`, `lpa_string`, `qr_code`, `direct_install_url`, `label`,
    /// `end_user_reference`, `group_id` and `created_at` as object members. The simulator
    /// makes the identity values from digits, base32, base64 and fixed URLs, so only the
    /// reseller's text needs escaping.
    static func staticMembers(of esim: SimulatedESIM, qrCode: String) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 384 + qrCode.utf8.count)
        writer.key("id")
        writer.plainString(esim.id)
        writer.key("iccid")
        writer.plainString(esim.iccid)
        writer.key("lpa_string")
        writer.plainString(esim.lpaString)
        writer.key("qr_code")
        writer.plainString(qrCode)
        writer.key("direct_install_url")
        writer.plainString(esim.directInstallURL)
        writer.key("label")
        writer.string(esim.label)
        writer.key("end_user_reference")
        writer.string(esim.endUserReference)
        writer.key("group_id")
        writer.string(esim.groupID)
        writer.key("created_at")
        writer.plainString(ISO8601Text.format(millis: esim.createdAt))
        return writer.bytes
    }
}
