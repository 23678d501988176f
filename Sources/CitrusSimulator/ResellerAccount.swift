import CitrusAPI

/// One received fund, for the exact ledger.
struct FundRecord {
    var at: Int64
    var iccid: String
    var amountCents: Int64
    /// The amount that reached the wallet: the fund rounded down to the wallet credit unit.
    var creditedMicros: Int64
}

/// One defund, pending or settled.
struct DefundRecord {
    var iccid: String
    var amountMicros: Int64
    var requestedAt: Int64
    var settlesAt: Int64
    var settled: Bool
}

/// The whole simulated reseller account: balance, fleet, ledger, events and
/// webhooks. A plain value guarded by the `Simulator`'s lock; every method
/// takes the simulated time `now` from the caller.
struct ResellerAccount {
    /// Citrus's provisioning fee: $1.75.
    static let provisioningFeeCents: Int64 = 175

    let options: SimulatorOptions
    let seed: UInt64
    var balanceMicros: Int64
    var lifetimeTopUpMicros: Int64
    /// Money that left the reseller balance: provisioning fees and funds.
    var lifetimeSpentMicros: Int64 = 0
    var esims: [SimulatedESIM] = []
    var indexByICCID: [String: Int] = [:]
    var funds: [FundRecord] = []
    var defunds: [DefundRecord] = []
    var events: EventLog
    var webhooks: WebhookRegistry
    var nextSerial: UInt64
    var provisionedCount = 0
    var resellerLowArmed = true
    var resellerDepletedArmed = true
    /// SIMs whose QR codes a background job should make ahead of the next list page.
    var qrReadAhead: [(index: Int, lpa: String)] = []
    /// SIMs whose QR codes a background job is making now.
    var qrInFlight: Set<Int> = []
    /// With a reporting delay: per SIM, copies taken after each state change,
    /// oldest first, from which usage at an earlier time is evaluated again.
    var lagHistory: [[SimulatedESIM]] = []

    init(options: SimulatorOptions, now: Int64) {
        self.options = options
        self.seed = options.seed
        let starting = MicroDollars.fromCents(options.startingResellerBalance.cents)
        self.balanceMicros = starting
        self.lifetimeTopUpMicros = starting
        self.events = EventLog(seed: options.seed)
        self.webhooks = WebhookRegistry(seed: options.seed)
        // Serials start at a seeded offset so two seeds rarely share ICCIDs.
        self.nextSerial = 10_000_000 + SeededHash.hash(options.seed, 4) % 80_000_000_000
        self.resellerLowArmed = starting >= MicroDollars.fromCents(options.resellerLowBalance.cents)
        FleetBuilder.populate(&self, preset: options.fleet, now: now)
        if reportingDelayMillis > 0 {
            lagHistory = esims.map { [$0] }
        }
    }

    var reportingDelayMillis: Int64 {
        durationMillis(seconds: options.reportingDelayMinutes * 60)
    }

    // MARK: Lookup

    func index(of iccid: String) throws(APIError) -> Int {
        guard let index = indexByICCID[iccid] else { throw .notFound(iccid: iccid) }
        return index
    }

    // MARK: Creating SIMs

    /// Creates a SIM with its identity and appends it to the fleet.
    @discardableResult
    mutating func addESIM(createdAt: Int64, label: String?, endUserReference: String?, groupID: String?, profile: UsageProfile, countries: [Int]) -> Int {
        let serial = nextSerial
        nextSerial += 1
        let iccid = ICCID.make(serial: serial)
        let identityHash = SeededHash.hash(seed, serial, 5)
        let matchingID = Self.matchingID(hash: identityHash)
        let lpa = "LPA:1$" + Self.smdpAddress + "$" + matchingID
        let esim = SimulatedESIM(
            serial: serial,
            id: "esim_" + String(SeededHash.mix(identityHash), radix: 16),
            iccid: iccid,
            lpaString: lpa,
            directInstallURL: "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + lpa,
            createdAt: createdAt,
            label: label,
            endUserReference: endUserReference,
            groupID: groupID,
            profile: profile,
            countries: countries,
            checkpoint: createdAt
        )
        esims.append(esim)
        indexByICCID[iccid] = esims.count - 1
        return esims.count - 1
    }

    /// The SM-DP+ address in LPA strings; `.test` is reserved, so it never resolves.
    static let smdpAddress = "smdp.citrus-sim.test"

    /// Makes a matching ID such as `K2J7-9QXM-4TZP-8WRL`, without 0/O or 1/I, which look alike.
    static func matchingID(hash: UInt64) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var text = ""
        var value = hash
        for position in 0..<16 {
            if position > 0 && position % 4 == 0 { text.append("-") }
            text.append(alphabet[Int(value % 32)])
            value = position == 11 ? SeededHash.mix(hash) : value / 32
        }
        return text
    }

    // MARK: QR codes

    /// Queues the QR codes of `indices` that are neither made nor in the making.
    mutating func requestQRCodes(for indices: Range<Int>) {
        for index in indices where esims[index].staticMembersJSON == nil && !qrInFlight.contains(index) {
            qrInFlight.insert(index)
            qrReadAhead.append((index, esims[index].lpaString))
        }
    }

    /// Returns the queued QR requests and clears the queue.
    mutating func takeQRReadAhead() -> [(index: Int, lpa: String)] {
        defer { qrReadAhead.removeAll() }
        return qrReadAhead
    }

    /// Stores QR codes made in the background, unless a request made them first.
    mutating func storeQRCodes(_ codes: [(index: Int, dataURL: String)]) {
        for code in codes where code.index < esims.count && esims[code.index].staticMembersJSON == nil {
            storeQRCode(code.dataURL, at: code.index)
        }
    }

    /// Stores the SIM's QR code as part of its serialized static members.
    mutating func storeQRCode(_ dataURL: String, at index: Int) {
        esims[index].staticMembersJSON = ESIMJSON.staticMembers(of: esims[index], qrCode: dataURL)
    }

    /// Marks background QR requests as done, made or skipped.
    mutating func releaseQRRequests(_ indices: [Int]) {
        for index in indices { qrInFlight.remove(index) }
    }

    // MARK: Evaluating usage

    /// Evaluates one SIM up to `now`, records the events it fired, and returns its wallet.
    mutating func reading(of index: Int, now: Int64) -> WalletReading {
        var notices: [ESIMNotice] = []
        let reading = esims[index].evaluate(at: max(now, esims[index].checkpoint), seed: seed, commitPartial: false, notices: &notices)
        record(notices, for: index)
        return reading
    }

    /// Commits one SIM's usage up to `now`, before a state change at `now`.
    mutating func commit(_ index: Int, now: Int64) {
        var notices: [ESIMNotice] = []
        esims[index].commit(at: now, seed: seed, notices: &notices)
        record(notices, for: index)
    }

    /// Evaluates every SIM and settles due defunds, so every event due by `now` fires.
    mutating func evaluateAll(now: Int64) {
        settleDefunds(now: now)
        for index in esims.indices {
            _ = reading(of: index, now: now)
        }
    }

    private mutating func record(_ notices: [ESIMNotice], for index: Int) {
        guard !notices.isEmpty else { return }
        let iccid = esims[index].iccid
        let delay = reportingDelayMillis
        for notice in notices {
            switch notice.kind {
            case .activated:
                events.record(type: "esim.activated", at: notice.at) { writer in
                    writer.key("iccid")
                    writer.string(iccid)
                    writer.key("activated_at")
                    writer.string(ISO8601Text.format(millis: notice.at))
                }
            case .balanceLow:
                events.record(type: "esim.balance_low", at: notice.at, delayMillis: delay) { writer in
                    writer.key("iccid")
                    writer.string(iccid)
                    writer.key("wallet_balance_usd")
                    writer.microDollarsRoundedDown(notice.walletMicros)
                    writer.key("threshold_usd")
                    writer.cents(500)
                }
            case .balanceDepleted:
                events.record(type: "esim.balance_depleted", at: notice.at, delayMillis: delay) { writer in
                    writer.key("iccid")
                    writer.string(iccid)
                    writer.key("wallet_balance_usd")
                    writer.cents(0)
                }
                events.record(type: "esim.data_suspended", at: notice.at, delayMillis: delay) { writer in
                    writer.key("iccid")
                    writer.string(iccid)
                    writer.key("reason")
                    writer.string("balance_depleted")
                }
            }
        }
    }

    /// Records an event about one SIM with its ICCID and optional extra fields.
    mutating func recordESIMEvent(_ type: String, iccid: String, at: Int64, extra: (inout JSONWriter) -> Void = { _ in }) {
        events.record(type: type, at: at) { writer in
            writer.key("iccid")
            writer.string(iccid)
            extra(&writer)
        }
    }

    // MARK: Reseller balance

    /// Takes `cents` from the reseller balance, or throws 402.
    mutating func debit(cents: Int64, action: String, now: Int64) throws(APIError) {
        let micros = MicroDollars.fromCents(cents)
        guard balanceMicros >= micros else {
            throw .insufficientBalance(balanceMicros: balanceMicros, neededCents: cents, action: action)
        }
        balanceMicros -= micros
        lifetimeSpentMicros += micros
        checkResellerThresholds(now: now)
    }

    /// Adds money to the reseller balance (a settled defund or a simulated top-up).
    mutating func credit(micros: Int64, now: Int64) {
        balanceMicros += micros
        checkResellerThresholds(now: now)
    }

    /// Fires `balance.low` once when the balance crosses below the low mark and
    /// `balance.depleted` once when it shows $0.00; each re-arms when the balance recovers.
    mutating func checkResellerThresholds(now: Int64) {
        let lowCents = options.resellerLowBalance.cents
        let low = MicroDollars.fromCents(lowCents)
        let balance = balanceMicros
        if balance >= low {
            resellerLowArmed = true
        } else if resellerLowArmed {
            resellerLowArmed = false
            events.record(type: "balance.low", at: now) { writer in
                writer.key("balance_usd")
                writer.microDollarsRoundedDown(balance)
                writer.key("threshold_usd")
                writer.cents(lowCents)
            }
        }
        if balance >= MicroDollars.perCent {
            resellerDepletedArmed = true
        } else if resellerDepletedArmed {
            resellerDepletedArmed = false
            events.record(type: "balance.depleted", at: now) { writer in
                writer.key("balance_usd")
                writer.microDollarsRoundedDown(balance)
            }
        }
    }

    /// Credits every defund due by `now` to the reseller balance, oldest first.
    mutating func settleDefunds(now: Int64) {
        for position in defunds.indices where !defunds[position].settled && defunds[position].settlesAt <= now {
            let defund = defunds[position]
            defunds[position].settled = true
            if let index = indexByICCID[defund.iccid] {
                esims[index].pendingDefund = nil
            }
            credit(micros: defund.amountMicros, now: defund.settlesAt)
            recordESIMEvent("esim.defunded", iccid: defund.iccid, at: defund.settlesAt) { writer in
                writer.key("returned_usd")
                writer.microDollarsRoundedDown(defund.amountMicros)
            }
        }
    }
}
