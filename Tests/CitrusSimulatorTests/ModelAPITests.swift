import Foundation
import Testing
@testable import CitrusSimulator

@Suite("API surface, errors and limits")
struct ModelAPITests {
    // MARK: Authentication

    @Test func missingKeyIs401() {
        let harness = ModelHarness()
        let reply = harness.send("GET", "/esim/list", key: nil)
        #expect(reply.status == 401)
        #expect(reply.errorCode == "INVALID_API_KEY")
        #expect(reply.json["message"] is String)
    }

    @Test func keyWithoutPrefixIs401() {
        let harness = ModelHarness()
        #expect(harness.send("GET", "/esim/list", key: "sk_live_abc").status == 401)
        #expect(harness.send("GET", "/esim/list", key: "rsk_anything").status == 200)
    }

    @Test func pinnedKeyRejectsOthers() {
        let harness = ModelHarness { $0.apiKey = "rsk_pinned" }
        #expect(harness.send("GET", "/wallet/balance", key: "rsk_other").status == 401)
        #expect(harness.send("GET", "/wallet/balance", key: "rsk_pinned").status == 200)
    }

    @Test func controlsNeedNoKey() {
        let harness = ModelHarness()
        #expect(harness.send("GET", "/_sim/clock", key: nil).status == 200)
        #expect(harness.send("GET", "/_sim/state", key: nil).status == 200)
    }

    // MARK: Rate limit

    @Test func rateLimitAnswers429WithRetryAfter() {
        let clock = ManualWallClock()
        let harness = ModelHarness(wallClock: clock) { $0.rateLimitPerMinute = 100 }
        for _ in 0..<100 {
            #expect(harness.get("/wallet/balance").status == 200)
            clock.advance(seconds: 0.1)
        }
        let limited = harness.get("/wallet/balance")
        #expect(limited.status == 429)
        #expect(limited.errorCode == "RATE_LIMITED")
        // The first request leaves the rolling minute 60 − 10 = 50 s from now.
        #expect(limited.header("Retry-After") == "50")

        clock.advance(seconds: 50)
        #expect(harness.get("/wallet/balance").status == 200)
    }

    @Test func rateLimitIsPerKey() {
        let clock = ManualWallClock()
        let harness = ModelHarness(wallClock: clock) { $0.rateLimitPerMinute = 3 }
        for _ in 0..<3 { harness.send("GET", "/account", key: "rsk_a") }
        #expect(harness.send("GET", "/account", key: "rsk_a").status == 429)
        #expect(harness.send("GET", "/account", key: "rsk_b").status == 200)
        #expect(harness.send("GET", "/_sim/clock", key: nil).status == 200)
    }

    // MARK: List

    @Test func listPagesAddUpToTotal() {
        let harness = ModelHarness(fleet: .mix(iot: 450, travel: 0, payg: 0))
        var seen: [String] = []
        var offset = 0
        while true {
            let page = harness.get("/esim/list", query: [("limit", "200"), ("offset", String(offset))])
            #expect(page.json["total"] as? Int == 450)
            #expect(page.json["limit"] as? Int == 200)
            #expect(page.json["offset"] as? Int == offset)
            let esims = page.json["esims"] as? [[String: Any]] ?? []
            seen += esims.compactMap { $0["iccid"] as? String }
            if esims.count < 200 { break }
            offset += 200
        }
        #expect(seen.count == 450)
        #expect(Set(seen).count == 450)
    }

    @Test func listDefaultsTo50() {
        let harness = ModelHarness(fleet: .mix(iot: 60, travel: 0, payg: 0))
        let page = harness.get("/esim/list")
        #expect(page.json["limit"] as? Int == 50)
        #expect((page.json["esims"] as? [Any])?.count == 50)
        #expect((harness.get("/esim/list", query: [("offset", "1000")]).json["esims"] as? [Any])?.isEmpty == true)
    }

    @Test(arguments: [("limit", "0"), ("limit", "201"), ("limit", "abc"), ("limit", "-1"), ("offset", "-1"), ("offset", "1.5"), ("status", "deleted")])
    func badListQueryIsRejected(name: String, value: String) {
        let harness = ModelHarness()
        let reply = harness.get("/esim/list", query: [(name, value)])
        #expect(reply.status == 400)
        #expect(reply.errorCode == "VALIDATION_ERROR")
        #expect((reply.json["message"] as? String)?.contains(value) == true)
    }

    @Test func statusFilterCountsMatches() {
        let harness = ModelHarness(fleet: .demo)
        let all = harness.get("/esim/list").json["total"] as? Int ?? 0
        var sum = 0
        for status in ["pending", "active", "suspended", "terminated"] {
            let page = harness.get("/esim/list", query: [("status", status), ("limit", "200")])
            let esims = page.json["esims"] as? [[String: Any]] ?? []
            #expect(esims.allSatisfy { $0["status"] as? String == status })
            sum += page.json["total"] as? Int ?? 0
        }
        #expect(sum == all)
    }

    // MARK: Error codes

    @Test func unknownICCIDIs404() {
        let harness = ModelHarness()
        for (method, path) in [("GET", "/esim/8944501000000000000"), ("POST", "/esim/8944501000000000000/fund"), ("POST", "/esim/nope/terminate")] {
            let reply = harness.send(method, path, body: "{\"amount\": 5}")
            #expect(reply.status == 404)
            #expect(reply.errorCode == "ESIM_NOT_FOUND")
        }
    }

    @Test func terminatedSIMRejectsEveryAction() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM()
        #expect(harness.post("/esim/\(iccid)/terminate").json["status"] as? String == "terminated")
        let bodies = ["fund": "{\"amount\": 5}", "enable": "", "disable": "", "throttle": "{\"speed\": \"NO_LIMIT\"}", "defund": "", "terminate": ""]
        for (action, body) in bodies {
            let reply = harness.post("/esim/\(iccid)/\(action)", body)
            #expect(reply.status == 400, "\(action)")
            #expect(reply.errorCode == "ESIM_ALREADY_TERMINATED", "\(action)")
        }
        #expect(harness.get("/esim/\(iccid)").json["status"] as? String == "terminated")
    }

    @Test func inventoryLimitIs503() {
        let harness = ModelHarness { $0.inventoryLimit = 2 }
        #expect(harness.post("/esim/provision").status == 201)
        #expect(harness.post("/esim/provision").status == 201)
        let reply = harness.post("/esim/provision")
        #expect(reply.status == 503)
        #expect(reply.errorCode == "NO_ESIMS_AVAILABLE")
    }

    @Test func walletActionsWaitUntilReady() {
        let harness = ModelHarness { $0.walletReadySeconds = 5 }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        let early = harness.post("/esim/\(iccid)/fund", "{\"amount\": 5}")
        #expect(early.status == 400)
        #expect(early.errorCode == "WALLET_NOT_READY")
        #expect(harness.post("/esim/\(iccid)/defund").errorCode == "WALLET_NOT_READY")
        harness.advance(seconds: 5)
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 5}").status == 200)
    }

    @Test func groupSIMHasNoWallet() {
        let harness = ModelHarness()
        let reply = harness.post("/esim/provision", "{\"group_id\": \"grp_team\"}")
        #expect(reply.json["group_id"] as? String == "grp_team")
        #expect(reply.raw("wallet_balance_usd") == "null")
        #expect(reply.raw("total_data_charged_usd") == "null")
        let iccid = reply.json["iccid"] as? String ?? ""
        let fund = harness.post("/esim/\(iccid)/fund", "{\"amount\": 5}")
        #expect(fund.status == 400)
        #expect(fund.errorCode == "ESIM_IN_GROUP")
        #expect(harness.post("/esim/\(iccid)/defund").errorCode == "ESIM_IN_GROUP")
        #expect(harness.post("/esim/\(iccid)/disable").status == 200)
    }

    @Test func groupsListsFixedSet() {
        let harness = ModelHarness()
        harness.post("/esim/provision", "{\"group_id\": \"grp_trip\"}")
        let groups = harness.get("/groups").json["groups"] as? [[String: Any]] ?? []
        #expect(groups.compactMap { $0["id"] as? String } == ["grp_trip", "grp_team"])
        #expect(groups.first?["esim_count"] as? Int == 1)
    }

    @Test func unknownGroupIsRejectedWithoutCharge() {
        let harness = ModelHarness()
        let balanceBefore = harness.get("/wallet/balance").raw("balance_usd")
        let totalBefore = harness.get("/esim/list").json["total"] as? Int

        let reply = harness.post("/esim/provision", "{\"group_id\": \"grp_nonexistent\"}")
        #expect(reply.status == 400)
        #expect(reply.errorCode == "VALIDATION_ERROR")
        #expect((reply.json["message"] as? String)?.contains("grp_nonexistent") == true)
        #expect(harness.get("/wallet/balance").raw("balance_usd") == balanceBefore)
        #expect(harness.get("/esim/list").json["total"] as? Int == totalBefore)
    }

    /// A value echoed in a message keeps no control character, in the body or once decoded.
    @Test func echoedControlCharactersAreEscaped() {
        let harness = ModelHarness()
        let reply = harness.post("/esim/provision", "{\"group_id\": \"grp_\\u001b[31mred\\u0000\\u0085\"}")
        #expect(reply.status == 400)
        #expect(!reply.text.unicodeScalars.contains { $0.value < 0x20 })
        let message = reply.json["message"] as? String ?? ""
        #expect(message.contains("grp_\\u{1b}[31mred\\u{0}\\u{85}"))
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test(arguments: ["not json", "[1, 2]", "{\"label\": 5}", "{\"label\": \"a\"", "{\"group_id\": \"\"}"])
    func badProvisionBodyIsRejected(body: String) {
        let harness = ModelHarness()
        let reply = harness.post("/esim/provision", body)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "VALIDATION_ERROR")
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "5000.00")
    }

    @Test func unknownRouteAndMethodAreRejected() {
        let harness = ModelHarness()
        #expect(harness.get("/esims").status == 404)
        #expect(harness.get("/esim/provision").status == 405)
        #expect(harness.send("DELETE", "/esim/list").status == 405)
        #expect(harness.post("/esim/123/explode").status == 404)
    }

    // MARK: eSIM object

    @Test func provisionedSIMIsWellFormed() {
        let harness = ModelHarness()
        let esim = harness.post("/esim/provision", "{\"label\": \"Line\\u0007 \\\"quoted\\\"\", \"end_user_reference\": \"EMP-9\"}").json
        let iccid = esim["iccid"] as? String ?? ""
        #expect(iccid.count == 19)
        #expect(iccid.hasPrefix("89"))
        #expect(ICCID.isValid(iccid))
        #expect(esim["label"] as? String == "Line\u{7} \"quoted\"")
        #expect(esim["end_user_reference"] as? String == "EMP-9")
        let lpa = esim["lpa_string"] as? String ?? ""
        #expect(lpa.hasPrefix("LPA:1$smdp.citrus-sim.test$"))
        #expect(lpa.split(separator: "$").count == 3)
        #expect((esim["qr_code"] as? String)?.hasPrefix("data:image/png;base64,iVBORw0KGgo") == true)
        #expect(URL(string: esim["direct_install_url"] as? String ?? "")?.scheme == "https")
        #expect(esim["euicc_state"] as? String == "RELEASED")
        #expect(esim["activated_at"] is NSNull)
        #expect((esim["created_at"] as? String)?.hasSuffix("Z") == true)
        #expect(esim["throttle_speed"] as? String == "NO_LIMIT")
    }

    @Test func provisionedSIMActivatesLater() {
        let harness = ModelHarness { $0.provisionedActivationMinutes = 30 }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        harness.advance(seconds: 46 * 60)
        let esim = harness.get("/esim/\(iccid)").json
        #expect(esim["status"] as? String == "active")
        #expect(esim["euicc_state"] as? String == "ENABLED")
        #expect(esim["activated_at"] is String)
        #expect(harness.events("esim.activated").count == 1)
        #expect(harness.events("esim.provisioned").count == 1)
    }

    @Test func euiccStatesProgressInOrder() {
        let harness = ModelHarness { $0.provisionedActivationMinutes = 30 }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        var states: [String] = []
        // Activation falls between 15 and 45 minutes; download and install come 2 and 1 minutes before.
        for _ in 0..<(46 * 4) {
            let state = harness.get("/esim/\(iccid)").json["euicc_state"] as? String ?? "?"
            if states.last != state { states.append(state) }
            harness.advance(seconds: 15)
        }

        #expect(states == ["RELEASED", "DOWNLOADED", "INSTALLED", "ENABLED"])
    }

    // MARK: Account and rates

    @Test func accountShowsBalance() {
        let harness = ModelHarness()
        let reply = harness.get("/account")
        #expect(reply.raw("balance_usd") == "5000.00")
        #expect(reply.json["account_status"] as? String == "active")
        #expect(reply.json["company_name"] is String)
        #expect(reply.json["email"] is String)
    }

    @Test func ratesCoverEveryContinent() {
        let harness = ModelHarness()
        let reply = harness.get("/rates")
        let countries = reply.json["countries"] as? [[String: Any]] ?? []
        #expect(countries.count >= 40)
        #expect(reply.json["total_countries"] as? Int == countries.count)
        let continents = Set(countries.compactMap { $0["continent"] as? String })
        #expect(continents == ["Europe", "Asia", "North America", "South America", "Africa", "Oceania"])
        for country in countries {
            let networks = country["networks"] as? [[String: Any]] ?? []
            #expect((1...4).contains(networks.count), "\(country["name"] ?? "")")
        }
    }

    @Test func ratesAreLabelledSampleData() {
        let reply = ModelHarness().get("/rates", query: [("country", "DE")])

        #expect(reply.json["sample_data"] as? Bool == true)
        #expect((reply.json["note"] as? String)?.contains("not Citrus prices") == true)
    }

    @Test func ratesFilterByCountryAndContinent() {
        let harness = ModelHarness()
        for query in ["JP", "jp", "Japan"] {
            let reply = harness.get("/rates", query: [("country", query)])
            #expect(reply.json["total_countries"] as? Int == 1)
            #expect(reply.raw("cheapest_per_gb_usd") == "1.38")
            #expect(reply.raw("cheapest_operator") == "\"KDDI\"")
        }
        let africa = harness.get("/rates", query: [("continent", "africa")]).json["countries"] as? [[String: Any]] ?? []
        #expect(africa.count >= 5)
        #expect(africa.allSatisfy { $0["continent"] as? String == "Africa" })
        #expect(harness.get("/rates", query: [("country", "Atlantis")]).json["total_countries"] as? Int == 0)
    }

    // MARK: Clock

    @Test func clockAdvancesOnRequest() {
        let harness = ModelHarness()
        let before = harness.send("GET", "/_sim/clock").json
        #expect(before["speed"] as? Int == 0)
        #expect(before["now"] as? String == "2026-05-28T20:26:40Z")
        harness.advance(seconds: 90)
        #expect(harness.send("GET", "/_sim/clock").json["now"] as? String == "2026-05-28T20:28:10Z")
        #expect(harness.send("POST", "/_sim/clock", body: "{\"advance_seconds\": -5}").status == 400)
        #expect(harness.send("POST", "/_sim/clock", body: "{}").status == 400)
    }

    @Test func speedScalesRealTime() {
        let wall = ManualWallClock()
        let harness = ModelHarness(wallClock: wall) { $0.speed = 60 }
        let start = harness.simulator.simulatedNow

        wall.advance(seconds: 10)
        let afterTenSeconds = harness.simulator.simulatedNow.timeIntervalSince(start)
        harness.send("POST", "/_sim/clock", body: "{\"speed\": 0}")
        wall.advance(seconds: 10)
        let afterStop = harness.simulator.simulatedNow.timeIntervalSince(start)

        #expect(afterTenSeconds == 600)
        #expect(afterStop == 600)
    }

    @Test func clockAdvancesInProcess() {
        let harness = ModelHarness()
        let start = harness.simulator.simulatedNow
        harness.simulator.advanceClock(seconds: 3600)
        harness.simulator.advanceClock(seconds: -50)
        #expect(harness.simulator.simulatedNow.timeIntervalSince(start) == 3600)
        #expect(harness.send("GET", "/_sim/clock").json["now"] as? String == "2026-05-28T21:26:40Z")
    }
}

@Suite("Options out of range")
struct ModelOptionRangeTests {
    @Test func nonFiniteOptionsDoNotTrap() {
        let harness = ModelHarness {
            $0.speed = .nan
            $0.defundSettleMinutes = .infinity
            $0.walletReadySeconds = -.infinity
            $0.reportingDelayMinutes = .nan
            $0.provisionedActivationMinutes = .infinity
            $0.webhookRetryBaseSeconds = .nan
            $0.rateLimitPerMinute = 0
        }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 5}").status == 200)
        #expect(harness.post("/esim/\(iccid)/defund").status == 202)
        #expect(harness.get("/esim/\(iccid)").status == 200)
    }
}
