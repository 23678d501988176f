import CitrusAPI

/// The state-changing eSIM operations of the API. Each checks its preconditions
/// in the order Citrus reports them, commits the SIM's usage up to `now`, then
/// changes the state, so usage before and after the change is charged under
/// the right state.
extension ResellerAccount {
    // MARK: Provision

    mutating func provision(label: String?, endUserReference: String?, groupID: String?, now: Int64) throws(APIError) -> Int {
        if let limit = options.inventoryLimit, provisionedCount >= limit {
            throw APIError(status: 503, code: "NO_ESIMS_AVAILABLE", message: "No eSIMs are available to provision: the inventory of \(limit) is used up. Retry later.")
        }
        try debit(cents: Self.provisioningFeeCents, action: "provision an eSIM for the $1.75 fee", now: now)
        provisionedCount += 1

        let countryHash = SeededHash.hash(seed, nextSerial, 6)
        let country = Int(countryHash % UInt64(RatesTable.countries.count))
        let index = addESIM(createdAt: now, label: label, endUserReference: endUserReference, groupID: groupID, profile: .traveler, countries: [country])
        scheduleActivation(of: index, now: now)

        let iccid = esims[index].iccid
        recordESIMEvent("esim.provisioned", iccid: iccid, at: now)
        noteStateChange(index, now: now)
        return index
    }

    /// Schedules download, install and enable of a newly provisioned SIM, as if
    /// its user scanned the QR code some minutes later.
    private mutating func scheduleActivation(of index: Int, now: Int64) {
        guard let meanMinutes = options.provisionedActivationMinutes else { return }
        let hash = SeededHash.hash(seed, esims[index].serial, 7)
        let factor = 0.5 + SeededHash.unit(hash)
        let activation = now + max(3, durationMillis(seconds: meanMinutes * factor * 60))
        schedule(index, activatedAt: activation)
    }

    /// Sets the eUICC milestones so the profile is downloaded, installed and enabled by `activatedAt`.
    mutating func schedule(_ index: Int, activatedAt: Int64) {
        let lead = min(activatedAt - esims[index].createdAt, 120_000)
        esims[index].downloadedAt = activatedAt - max(0, lead)
        esims[index].installedAt = activatedAt - max(0, lead / 2)
        esims[index].activatedAt = activatedAt
    }

    // MARK: Wallet

    /// Moves `cents` from the reseller balance to the SIM's wallet. Returns the SIM index.
    mutating func fund(iccid: String, cents: Int64, now: Int64) throws(APIError) -> Int {
        let index = try liveIndex(of: iccid, action: "fund")
        try checkWalletAction(index, action: "fund", now: now)

        let amountText = MicroDollars.display(MicroDollars.fromCents(cents))
        try debit(cents: cents, action: "fund eSIM \(iccid) with \(amountText)", now: now)
        commit(index, now: now)

        let unit = max(1, options.walletCreditUnitMicros)
        let credited = MicroDollars.fromCents(cents) / unit * unit
        esims[index].walletMicros += credited
        funds.append(FundRecord(at: now, iccid: iccid, amountCents: cents, creditedMicros: credited))

        let wallet = esims[index].walletMicros
        if wallet >= SimulatedESIM.lowBalanceMicros { esims[index].lowBalanceArmed = true }
        if wallet > 0 { esims[index].depletedArmed = true }
        if esims[index].dataCutOff && wallet > 0 {
            esims[index].dataCutOff = false
            recordESIMEvent("esim.data_resumed", iccid: iccid, at: now) { writer in
                writer.key("reason")
                writer.string("funded")
            }
        }
        noteStateChange(index, now: now)
        return index
    }

    /// Starts a defund: the wallet leaves at once and data pauses; the reseller
    /// balance is credited when it settles. Returns the SIM index.
    mutating func defund(iccid: String, now: Int64) throws(APIError) -> Int {
        let index = try liveIndex(of: iccid, action: "defund")
        try checkWalletAction(index, action: "defund", now: now)
        commit(index, now: now)

        let amount = esims[index].walletMicros
        guard amount > 0 else {
            throw APIError(status: 400, code: "NO_BALANCE_TO_RETURN", message: "Cannot defund eSIM \(iccid): its wallet is empty, so there is nothing to return.")
        }
        let settlesAt = now + durationMillis(seconds: options.defundSettleMinutes * 60)
        esims[index].walletMicros = 0
        esims[index].pendingDefund = PendingDefund(amountMicros: amount, requestedAt: now, settlesAt: settlesAt)
        esims[index].lowBalanceArmed = false
        esims[index].depletedArmed = false
        defunds.append(DefundRecord(iccid: iccid, amountMicros: amount, requestedAt: now, settlesAt: settlesAt, settled: false))
        recordESIMEvent("esim.data_suspended", iccid: iccid, at: now) { writer in
            writer.key("reason")
            writer.string("defund")
        }
        settleDefunds(now: now)
        noteStateChange(index, now: now)
        return index
    }

    /// Returns the index of the SIM with `iccid`, or throws if there is none
    /// or it is terminated: the first two checks of every Citrus API state change.
    private func liveIndex(of iccid: String, action: String) throws(APIError) -> Int {
        let index = try index(of: iccid)
        if esims[index].isTerminated { throw .terminated(iccid: iccid, action: action) }
        return index
    }

    /// Runs the checks fund and defund add after `liveIndex`, in Citrus's order.
    private func checkWalletAction(_ index: Int, action: String, now: Int64) throws(APIError) {
        let esim = esims[index]
        if let groupID = esim.groupID { throw .inGroup(iccid: esim.iccid, groupID: groupID, action: action) }
        let readyAt = esim.createdAt + durationMillis(seconds: options.walletReadySeconds)
        if now < readyAt {
            throw APIError(status: 400, code: "WALLET_NOT_READY", message: "Cannot \(action) eSIM \(esim.iccid) yet: its wallet is still being created. Retry after \(ISO8601Text.format(millis: readyAt)).")
        }
        if let defund = esim.pendingDefund {
            throw .defundPending(iccid: esim.iccid, action: action, settlesAt: defund.settlesAt)
        }
    }

    // MARK: State

    mutating func enable(iccid: String, now: Int64) throws(APIError) -> Int {
        let index = try liveIndex(of: iccid, action: "enable")
        if let defund = esims[index].pendingDefund {
            throw .defundPending(iccid: iccid, action: "enable", settlesAt: defund.settlesAt)
        }
        commit(index, now: now)
        if esims[index].suspended {
            esims[index].suspended = false
            recordESIMEvent("esim.data_resumed", iccid: iccid, at: now) { writer in
                writer.key("reason")
                writer.string("enabled")
            }
        }
        noteStateChange(index, now: now)
        return index
    }

    mutating func disable(iccid: String, now: Int64) throws(APIError) -> Int {
        let index = try liveIndex(of: iccid, action: "disable")
        commit(index, now: now)
        if !esims[index].suspended {
            esims[index].suspended = true
            recordESIMEvent("esim.data_suspended", iccid: iccid, at: now) { writer in
                writer.key("reason")
                writer.string("disabled")
            }
        }
        noteStateChange(index, now: now)
        return index
    }

    mutating func throttle(iccid: String, speed: ThrottleSpeed, now: Int64) throws(APIError) -> Int {
        let index = try liveIndex(of: iccid, action: "throttle")
        commit(index, now: now)
        esims[index].throttle = speed
        noteStateChange(index, now: now)
        return index
    }

    /// Terminates the SIM for good. The remaining wallet is forfeited; a defund
    /// already settling still settles.
    mutating func terminate(iccid: String, now: Int64) throws(APIError) -> Int {
        let index = try liveIndex(of: iccid, action: "terminate")
        commit(index, now: now)
        esims[index].forfeitedMicros = esims[index].walletMicros
        esims[index].walletMicros = 0
        esims[index].terminatedAt = now
        esims[index].lowBalanceArmed = false
        esims[index].depletedArmed = false
        let forfeited = esims[index].forfeitedMicros
        recordESIMEvent("esim.terminated", iccid: iccid, at: now) { writer in
            writer.key("forfeited_usd")
            writer.microDollarsRoundedDown(forfeited)
        }
        noteStateChange(index, now: now)
        return index
    }

    /// Enables the SIM's profile on a device now (a `/_sim/` control, not Citrus API).
    mutating func activateNow(iccid: String, now: Int64) throws(APIError) -> Int {
        let index = try index(of: iccid)
        if esims[index].isActivated(at: now) { return index }
        commit(index, now: now)
        schedule(index, activatedAt: now)
        noteStateChange(index, now: now)
        return index
    }
}
