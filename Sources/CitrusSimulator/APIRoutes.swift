import CitrusAPI

/// Routes the reseller API (`/api/v2/reseller/…`) to the account.
enum APIRoutes {
    static let listLimitRange = 1...200
    static let defaultListLimit = 50

    /// `segments` follow `/api/v2/reseller`, each percent-decoded, so an ICCID segment
    /// that holds an encoded slash is looked up whole and never routes as an action.
    static func route(_ request: HTTPRequest, segments: [String], account: inout ResellerAccount, now: Int64) throws(APIError) -> HTTPResponse {
        let method = request.method

        switch segments.count {
        case 2 where segments[0] == "esim" && segments[1] == "list":
            try require(method, "GET", request)
            return try list(request, account: &account, now: now)
        case 2 where segments[0] == "esim" && segments[1] == "provision":
            try require(method, "POST", request)
            return try provision(request, account: &account, now: now)
        case 2 where segments[0] == "esim":
            // An unknown ICCID is 404 whatever the method, so `{iccid}%2Ffund` gets ESIM_NOT_FOUND.
            let index = try account.index(of: segments[1])
            try require(method, "GET", request)
            return esimResponse(index, account: &account, now: now)
        case 3 where segments[0] == "esim":
            try require(method, "POST", request)
            return try esimAction(segments[2], iccid: segments[1], request: request, account: &account, now: now)
        case 2 where segments[0] == "wallet" && segments[1] == "balance":
            try require(method, "GET", request)
            return walletBalance(account: account)
        case 1 where segments[0] == "account":
            try require(method, "GET", request)
            return accountResponse(account: account)
        case 1 where segments[0] == "groups":
            try require(method, "GET", request)
            return groupsResponse(account: account)
        case 1 where segments[0] == "rates":
            try require(method, "GET", request)
            return try RatesRoutes.rates(request)
        case 1 where segments[0] == "webhooks", 2 where segments[0] == "webhooks", 3 where segments[0] == "webhooks" && segments[2] == "test":
            return try WebhookRoutes.route(request, segments: Array(segments.dropFirst()), account: &account, now: now)
        default:
            throw APIError(status: 404, code: "NOT_FOUND", message: "No endpoint \(method) \(request.path). See the Citrus Reseller API v2 endpoint list.")
        }
    }

    static func require(_ method: String, _ expected: String, _ request: HTTPRequest) throws(APIError) {
        guard method == expected else {
            throw APIError(status: 405, code: "METHOD_NOT_ALLOWED", message: "\(method) is not allowed on \(request.path). Use \(expected).", headers: [("Allow", expected)])
        }
    }

    // MARK: eSIMs

    static func esimResponse(_ index: Int, account: inout ResellerAccount, now: Int64, status: Int = 200, providedCostCents: Int64? = nil) -> HTTPResponse {
        var writer = JSONWriter(reservingCapacity: 2048)
        account.writeESIM(index, now: now, into: &writer, providedCostCents: providedCostCents)
        return HTTPResponse.json(status, body: writer.bytes)
    }

    private static func list(_ request: HTTPRequest, account: inout ResellerAccount, now: Int64) throws(APIError) -> HTTPResponse {
        let limit = try integerQuery(request, "limit", default: defaultListLimit, range: listLimitRange)
        let offset = try integerQuery(request, "offset", default: 0, range: 0...Int.max)
        let statusFilter = try request.queryValue("status").map { (text) throws(APIError) -> ESIMStatus in
            let status = ESIMStatus(rawValue: text)
            if case .unknown = status {
                throw .validation("Query parameter status \"\(text)\" is not a known eSIM status. Use pending, active, suspended or terminated.")
            }
            return status
        }

        var pageIndices: [Int] = []
        pageIndices.reserveCapacity(limit)
        let total: Int
        if let statusFilter {
            var matched = 0
            for index in account.esims.indices where account.esims[index].status(at: now) == statusFilter {
                if matched >= offset && pageIndices.count < limit { pageIndices.append(index) }
                matched += 1
            }
            total = matched
        } else {
            total = account.esims.count
            if offset < total {
                pageIndices = Array(offset..<min(total, offset + limit))
            }
            // Sweeps read page after page, so the next page's QR codes are made
            // in the background while the client handles this one.
            let nextStart = min(total, offset + limit)
            account.requestQRCodes(for: nextStart..<min(total, nextStart + limit))
        }

        // About 2 KB per SIM, most of it the QR code, so the page is written without regrowing.
        var writer = JSONWriter(reservingCapacity: 256 + pageIndices.count * 2_304)
        writer.beginObject()
        writer.key("esims")
        writer.beginArray()
        for index in pageIndices {
            account.writeESIM(index, now: now, into: &writer)
        }
        writer.endArray()
        writer.key("total")
        writer.integer(total)
        writer.key("limit")
        writer.integer(limit)
        writer.key("offset")
        writer.integer(offset)
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    /// Reads an integer query parameter strictly: ASCII digits only, within `range`.
    static func integerQuery(_ request: HTTPRequest, _ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = request.queryValue(name) else { return defaultValue }
        let rangeText = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "\(range.lowerBound) to \(range.upperBound)"
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text), range.contains(value) else {
            throw .validation("Query parameter \(name) \"\(text)\" is invalid. Use a whole number from \(rangeText).")
        }
        return value
    }

    private static func provision(_ request: HTTPRequest, account: inout ResellerAccount, now: Int64) throws(APIError) -> HTTPResponse {
        let body = try RequestBody.object(request)
        let label = try RequestBody.optionalString(body, "label", maximumLength: 200)
        let reference = try RequestBody.optionalString(body, "end_user_reference", maximumLength: 200)
        let groupID = try RequestBody.optionalString(body, "group_id", maximumLength: 100)
        if let groupID, groupID.isEmpty {
            throw .validation("Field group_id is empty. Send a group ID or leave the field out.")
        }
        // Checked before provisioning, so an unknown group is never charged.
        if let groupID, !simulatedGroups.contains(where: { $0.id == groupID }) {
            let known = simulatedGroups.map(\.id).joined(separator: " and ")
            throw .validation("Group \(groupID) not found. citrus-sim simulates only the groups \(known) (GET /groups): use one of them, or leave group_id out.")
        }
        let index = try account.provision(label: label, endUserReference: reference, groupID: groupID, now: now)
        return esimResponse(index, account: &account, now: now, status: 201, providedCostCents: ResellerAccount.provisioningFeeCents)
    }

    private static func esimAction(_ action: String, iccid: String, request: HTTPRequest, account: inout ResellerAccount, now: Int64) throws(APIError) -> HTTPResponse {
        switch action {
        case "fund":
            _ = try account.index(of: iccid)
            let body = try RequestBody.object(request)
            let cents = try RequestBody.fundAmountCents(body)
            let index = try account.fund(iccid: iccid, cents: cents, now: now)
            return fundResponse(index, cents: cents, account: &account, now: now)
        case "enable":
            return esimResponse(try account.enable(iccid: iccid, now: now), account: &account, now: now)
        case "disable":
            return esimResponse(try account.disable(iccid: iccid, now: now), account: &account, now: now)
        case "throttle":
            _ = try account.index(of: iccid)
            let body = try RequestBody.object(request)
            let speed = try RequestBody.throttleSpeed(body)
            return esimResponse(try account.throttle(iccid: iccid, speed: speed, now: now), account: &account, now: now)
        case "defund":
            let index = try account.defund(iccid: iccid, now: now)
            return defundResponse(index, account: account)
        case "terminate":
            return esimResponse(try account.terminate(iccid: iccid, now: now), account: &account, now: now)
        default:
            throw APIError(status: 404, code: "NOT_FOUND", message: "No eSIM action \"\(action)\". Use fund, enable, disable, throttle, defund or terminate.")
        }
    }

    private static func fundResponse(_ index: Int, cents: Int64, account: inout ResellerAccount, now: Int64) -> HTTPResponse {
        let reading = account.reading(of: index, now: now)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("iccid")
        writer.string(account.esims[index].iccid)
        writer.key("funded_usd")
        writer.cents(cents)
        writer.key("wallet_balance_usd")
        writer.microDollarsRoundedDown(account.reportedWallet(index, exact: reading, now: now))
        writer.key("balance_remaining")
        writer.microDollarsRoundedDown(account.balanceMicros)
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    private static func defundResponse(_ index: Int, account: ResellerAccount) -> HTTPResponse {
        let esim = account.esims[index]
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("iccid")
        writer.string(esim.iccid)
        writer.key("estimated_return_usd")
        writer.microDollarsRoundedDown(esim.pendingDefund?.amountMicros ?? 0)
        writer.key("settles_in_minutes")
        let minutes = account.options.defundSettleMinutes
        if minutes == minutes.rounded() && abs(minutes) < 1e15 {
            writer.integer(Int64(minutes))
        } else {
            writer.raw(String(minutes))
        }
        writer.endObject()
        return HTTPResponse.json(202, body: writer.bytes)
    }

    // MARK: Groups

    /// The shared-balance groups a SIM may join when provisioned. citrus-sim does not
    /// simulate creating, changing or deleting groups, so this fixed set is all there is.
    static let simulatedGroups: [(id: String, name: String)] = [
        ("grp_trip", "Group trip"),
        ("grp_team", "Team devices"),
    ]

    /// `GET /groups`: the fixed groups, each with the number of SIMs in it.
    private static func groupsResponse(account: ResellerAccount) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("groups")
        writer.beginArray()
        for group in simulatedGroups {
            writer.beginObject()
            writer.key("id")
            writer.string(group.id)
            writer.key("name")
            writer.string(group.name)
            writer.key("esim_count")
            writer.integer(account.esims.lazy.filter { $0.groupID == group.id }.count)
            writer.endObject()
        }
        writer.endArray()
        writer.key("total")
        writer.integer(simulatedGroups.count)
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    // MARK: Account

    private static func walletBalance(account: ResellerAccount) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("balance_usd")
        writer.microDollarsRoundedDown(account.balanceMicros)
        writer.key("currency")
        writer.string("USD")
        writer.key("lifetime_topup_usd")
        writer.microDollarsRoundedDown(account.lifetimeTopUpMicros)
        writer.key("lifetime_usage_usd")
        writer.microDollarsRoundedDown(account.lifetimeSpentMicros)
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    private static func accountResponse(account: ResellerAccount) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("company_name")
        writer.string("Citrus Simulator Reseller")
        writer.key("email")
        writer.string("reseller@citrus-sim.test")
        writer.key("balance_usd")
        writer.microDollarsRoundedDown(account.balanceMicros)
        writer.key("account_status")
        writer.string("active")
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }
}
