import Foundation
import Testing
@testable import CitrusSimulator

@Suite("Defund, terminate and determinism")
struct ModelLifecycleTests {
    // MARK: Defund

    @Test func defundSettlesAndCreditsReseller() {
        let harness = ModelHarness { $0.defundSettleMinutes = 15 }
        let iccid = harness.activeFundedSIM(amount: "27")
        let balanceBefore = harness.get("/wallet/balance").raw("balance_usd")
        #expect(balanceBefore == "4971.25")

        let reply = harness.post("/esim/\(iccid)/defund")
        #expect(reply.status == 202)
        #expect(reply.raw("estimated_return_usd") == "27.00")
        #expect(reply.raw("settles_in_minutes") == "15")
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "4971.25")

        harness.advance(seconds: 14 * 60)
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "4971.25")
        harness.advance(seconds: 60)
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "4998.25")

        let defunded = harness.events("esim.defunded")
        #expect(defunded.count == 1)
        #expect(harness.send("GET", "/_sim/events").text.contains("\"returned_usd\":27.00"))
    }

    @Test func defundSettlesAfterConfiguredDelay() {
        let harness = ModelHarness { $0.defundSettleMinutes = 2 }
        let iccid = harness.activeFundedSIM(amount: "9")

        let reply = harness.post("/esim/\(iccid)/defund")
        harness.advance(seconds: 119)
        let beforeSettling = harness.get("/wallet/balance").raw("balance_usd")
        harness.advance(seconds: 1)
        let afterSettling = harness.get("/wallet/balance").raw("balance_usd")

        #expect(reply.raw("settles_in_minutes") == "2")
        #expect(beforeSettling == "4989.25")
        #expect(afterSettling == "4998.25")
    }

    @Test func defundPausesDataAtOnce() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "50")
        harness.post("/esim/\(iccid)/defund")
        let ledger = harness.ledger(iccid)
        let charged = (ledger["charged_micros"] as? NSNumber)?.int64Value
        harness.advance(seconds: 10 * 60)
        #expect((harness.ledger(iccid)["charged_micros"] as? NSNumber)?.int64Value == charged)
        #expect(harness.walletMicros(iccid) == 0)
    }

    @Test func fundAndEnableConflictWhileDefundSettles() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "20")
        #expect(harness.post("/esim/\(iccid)/defund").status == 202)

        let fund = harness.post("/esim/\(iccid)/fund", "{\"amount\": 5}")
        #expect(fund.status == 409)
        #expect(fund.errorCode == "DEFUND_ALREADY_PENDING")
        #expect(harness.post("/esim/\(iccid)/enable").errorCode == "DEFUND_ALREADY_PENDING")
        #expect(harness.post("/esim/\(iccid)/defund").errorCode == "DEFUND_ALREADY_PENDING")

        harness.advance(seconds: 15 * 60)
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 5}").status == 200)
    }

    @Test func defundOfEmptyWalletIs400() {
        let harness = ModelHarness()
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        let reply = harness.post("/esim/\(iccid)/defund")
        #expect(reply.status == 400)
        #expect(reply.errorCode == "NO_BALANCE_TO_RETURN")
    }

    // MARK: Terminate

    @Test func terminateForfeitsWallet() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "18")
        let balance = harness.get("/wallet/balance").raw("balance_usd")
        let reply = harness.post("/esim/\(iccid)/terminate")
        #expect(reply.status == 200)
        #expect(reply.json["status"] as? String == "terminated")
        #expect(reply.raw("wallet_balance_usd") == "0.00")
        #expect(harness.ledger(iccid)["forfeited_usd"] as? String == "18.000000")
        harness.advance(seconds: 3 * 3600)
        #expect(harness.get("/wallet/balance").raw("balance_usd") == balance)
        #expect(harness.events("esim.terminated").count == 1)
    }

    @Test func terminateIsIrreversible() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "9")
        harness.post("/esim/\(iccid)/terminate")
        #expect(harness.post("/esim/\(iccid)/enable").errorCode == "ESIM_ALREADY_TERMINATED")
        harness.advance(seconds: 86_400)
        #expect(harness.get("/esim/\(iccid)").json["status"] as? String == "terminated")
        #expect(harness.get("/esim/list", query: [("status", "terminated")]).json["total"] as? Int == 1)
    }

    @Test func terminateDuringDefundStillSettles() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "9")
        harness.post("/esim/\(iccid)/defund")
        harness.post("/esim/\(iccid)/terminate")
        harness.advance(seconds: 15 * 60)
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "4998.25")
    }

    // MARK: Ledger

    @Test func ledgerBalancesToTheMicroDollar() {
        let harness = ModelHarness(fleet: .demo)
        let iccids = (harness.get("/esim/list", query: [("limit", "20"), ("offset", "200")]).json["esims"] as? [[String: Any]] ?? []).compactMap { $0["iccid"] as? String }
        for (position, iccid) in iccids.enumerated() {
            switch position % 4 {
            case 0: harness.post("/esim/\(iccid)/fund", "{\"amount\": 12.34}")
            case 1: harness.post("/esim/\(iccid)/defund")
            case 2: harness.post("/esim/\(iccid)/terminate")
            default: harness.post("/esim/\(iccid)/disable")
            }
            harness.advance(seconds: 1800)
        }
        harness.advance(seconds: 3600)
        let totals = harness.state()["totals"] as? [String: Any] ?? [:]
        func micros(_ key: String) -> Int64 { (totals[key] as? NSNumber)?.int64Value ?? -1 }
        #expect(micros("wallets_micros") + micros("charged_micros") + micros("forfeited_micros") + micros("defunded_micros") == micros("credited_micros"))
    }

    // MARK: Determinism

    /// Runs a fixed script of clock moves and actions; `readEvery` adds reads that must not change anything.
    private static func ledgerAfterScript(seed: UInt64, readEvery: Int?) -> [String: Any] {
        let harness = ModelHarness(fleet: .demo, seed: seed)
        let first = (harness.get("/esim/list", query: [("limit", "5"), ("offset", "215")]).json["esims"] as? [[String: Any]] ?? []).compactMap { $0["iccid"] as? String }
        for step in 0..<48 {
            if let readEvery, step % readEvery == 0 {
                _ = harness.get("/esim/list", query: [("limit", "200"), ("offset", "0")])
                _ = harness.get("/esim/list", query: [("limit", "200"), ("offset", "200")])
            }
            if step == 10, let iccid = first.first { harness.post("/esim/\(iccid)/throttle", "{\"speed\": \"SPEED_500_KBPS\"}") }
            if step == 20, first.count > 1 { harness.post("/esim/\(first[1])/disable") }
            if step == 30, first.count > 2 { harness.post("/esim/\(first[2])/fund", "{\"amount\": 20}") }
            harness.advance(seconds: 1_237)
        }
        var state = harness.state()
        state.removeValue(forKey: "reseller")
        return state
    }

    @Test func sameSeedGivesSameLedgerHoweverRead() throws {
        let quiet = Self.ledgerAfterScript(seed: 42, readEvery: nil)
        let busy = Self.ledgerAfterScript(seed: 42, readEvery: 1)
        let quietJSON = try JSONSerialization.data(withJSONObject: quiet, options: .sortedKeys)
        let busyJSON = try JSONSerialization.data(withJSONObject: busy, options: .sortedKeys)
        #expect(quietJSON == busyJSON)
    }

    @Test func differentSeedsGiveDifferentFleets() {
        let a = ModelHarness(fleet: .demo, seed: 1).get("/esim/list", query: [("limit", "3")]).json["esims"] as? [[String: Any]] ?? []
        let b = ModelHarness(fleet: .demo, seed: 2).get("/esim/list", query: [("limit", "3")]).json["esims"] as? [[String: Any]] ?? []
        #expect(a.map { $0["iccid"] as? String } != b.map { $0["iccid"] as? String })
    }
}
