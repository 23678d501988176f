import CitrusAPI
import Foundation
import Testing
@testable import CitrusSimulator

@Suite("Wallets and the reseller balance")
struct ModelWalletTests {
    @Test func provisionCharges175() {
        let harness = ModelHarness()
        let reply = harness.post("/esim/provision", "{}")
        #expect(reply.status == 201)
        #expect(reply.raw("cost") == "1.75")
        #expect(reply.raw("balance_remaining") == "4998.25")
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "4998.25")
        #expect(reply.raw("wallet_balance_usd") == "0.00")
        #expect(reply.json["status"] as? String == "pending")
    }

    @Test func fundOf20ShowsRoundedDown() {
        let harness = ModelHarness()
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        let reply = harness.post("/esim/\(iccid)/fund", "{\"amount\": 20}")
        #expect(reply.status == 200)
        #expect(reply.raw("funded_usd") == "20.00")
        #expect(reply.raw("wallet_balance_usd") == "19.99")
        #expect(reply.raw("balance_remaining") == "4978.25")
        #expect(harness.ledger(iccid)["wallet_usd"] as? String == "19.999800")
    }

    @Test func fundsOf9And18AreExact() {
        let harness = ModelHarness()
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 9}").raw("wallet_balance_usd") == "9.00")
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 9.00}").raw("wallet_balance_usd") == "18.00")
    }

    @Test func exactCreditUnitFundsExactly() {
        let harness = ModelHarness { $0.walletCreditUnitMicros = 1 }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 20}").raw("wallet_balance_usd") == "20.00")
    }

    @Test(arguments: ["0", "12.345", "10000.01", "-5", "\"20\"", "null", "1e-3", "0.001"])
    func invalidAmountIsRejected(amount: String) {
        let harness = ModelHarness()
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        let reply = harness.post("/esim/\(iccid)/fund", "{\"amount\": \(amount)}")
        #expect(reply.status == 400)
        #expect(reply.errorCode == "VALIDATION_ERROR")
        #expect((harness.state()["funds"] as? [Any])?.isEmpty == true)
    }

    @Test(arguments: [("0.01", "0.01"), ("10000", "10000.00"), ("12.5", "12.50"), ("1.2e1", "12.00"), ("12.340", "12.34")])
    func validAmountIsAccepted(amount: String, funded: String) {
        let harness = ModelHarness { $0.startingResellerBalance = .dollars(20_000) }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        let reply = harness.post("/esim/\(iccid)/fund", "{\"amount\": \(amount)}")
        #expect(reply.status == 200)
        #expect(reply.raw("funded_usd") == funded)
    }

    @Test func fundAboveResellerBalanceIs402() {
        let harness = ModelHarness { $0.startingResellerBalance = .dollars(10) }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        let reply = harness.post("/esim/\(iccid)/fund", "{\"amount\": 8.26}")
        #expect(reply.status == 402)
        #expect(reply.errorCode == "INSUFFICIENT_BALANCE")
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "8.25")
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 8.25}").status == 200)
    }

    @Test func provisionWithoutFeeIs402() {
        let harness = ModelHarness { $0.startingResellerBalance = Money(cents: 174) }
        let reply = harness.post("/esim/provision")
        #expect(reply.status == 402)
        #expect(reply.errorCode == "INSUFFICIENT_BALANCE")
        #expect(harness.get("/esim/list").json["total"] as? Int == 0)
    }

    @Test func activeWalletDrainsOverAnHour() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "50")
        let before = harness.walletMicros(iccid)
        harness.advance(seconds: 6 * 3600)
        let after = harness.walletMicros(iccid)
        #expect(after < before)
        let ledger = harness.ledger(iccid)
        let charged = (ledger["charged_micros"] as? NSNumber)?.int64Value ?? 0
        #expect(after + charged == before)
    }

    /// Within one simulated hour a SIM uses one network, so its charge is exactly
    /// the bytes used times that network's price in `GET /rates`, rounded down.
    @Test func usageChargedAtRatesTablePrice() throws {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "50")
        // The harness clock starts 26 min 40 s into an hour, so 10 more minutes stay in it.
        harness.advance(seconds: 600)
        let ledger = harness.ledger(iccid)
        let usedBytes = try #require((ledger["used_bytes"] as? NSNumber)?.int64Value)
        let charged = try #require((ledger["charged_micros"] as? NSNumber)?.int64Value)
        let country = try #require(ledger["country_iso2"] as? String)
        let network = try #require(ledger["network"] as? String)

        let rates = harness.get("/rates", query: [("country", country)]).text
        let networkRange = try #require(rates.range(of: "\"operator\":\"\(network)\""))
        let priceText = try #require(ModelHarness.rawValue(of: "per_gb_usd", in: String(rates[networkRange.upperBound...])))
        // The sample prices have whole cents, so per_gb_usd is exact.
        let perGBMicros = try #require(Int64(priceText.replacingOccurrences(of: ".", with: ""))) * 10_000

        #expect(usedBytes > 0)
        #expect(charged == usedBytes * perGBMicros / 1_000_000_000)
    }

    @Test func suspendedWalletDoesNotDrain() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "50")
        let disabled = harness.post("/esim/\(iccid)/disable")
        #expect(disabled.json["status"] as? String == "suspended")
        let before = harness.walletMicros(iccid)
        harness.advance(seconds: 24 * 3600)
        #expect(harness.walletMicros(iccid) == before)

        let enabled = harness.post("/esim/\(iccid)/enable")
        #expect(enabled.json["status"] as? String == "active")
        harness.advance(seconds: 24 * 3600)
        #expect(harness.walletMicros(iccid) < before)
    }

    @Test func pendingWalletDoesNotDrain() {
        let harness = ModelHarness { $0.provisionedActivationMinutes = nil }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        harness.post("/esim/\(iccid)/fund", "{\"amount\": 30}")
        let before = harness.walletMicros(iccid)
        harness.advance(seconds: 48 * 3600)
        #expect(harness.walletMicros(iccid) == before)
        #expect(harness.get("/esim/\(iccid)").json["status"] as? String == "pending")
        #expect(harness.get("/esim/\(iccid)").json["euicc_state"] as? String == "RELEASED")
    }

    @Test func walletStopsAtZeroAndCutsData() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "3")
        harness.advance(seconds: 7 * 24 * 3600)
        let ledger = harness.ledger(iccid)
        #expect((ledger["wallet_micros"] as? NSNumber)?.int64Value == 0)
        #expect(ledger["data_cut_off"] as? Bool == true)
        let esim = harness.get("/esim/\(iccid)")
        #expect(esim.raw("wallet_balance_usd") == "0.00")
        #expect(esim.json["status"] as? String == "active")
        #expect(harness.events("esim.balance_depleted").count == 1)
    }

    @Test func fundAfterDepletionResumesData() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "3")
        harness.advance(seconds: 7 * 24 * 3600)
        #expect(harness.ledger(iccid)["data_cut_off"] as? Bool == true)
        harness.post("/esim/\(iccid)/fund", "{\"amount\": 9}")
        #expect(harness.ledger(iccid)["data_cut_off"] as? Bool == false)
        #expect(harness.events("esim.data_resumed").count == 1)
        harness.advance(seconds: 3600 * 6)
        #expect(harness.walletMicros(iccid) < 9_000_000)
    }

    @Test func lowBalanceFiresOnceUnderRepeatedReads() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "9")
        for _ in 0..<200 {
            harness.advance(seconds: 600)
            _ = harness.get("/esim/\(iccid)")
        }
        let low = harness.events("esim.balance_low").filter { ($0["data"] as? [String: Any])?["iccid"] as? String == iccid }
        #expect(low.count == 1)
        #expect(harness.walletMicros(iccid) < 5_000_000)
    }

    @Test func lowBalanceRearmsAfterFundAboveFive() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "9")
        harness.advance(seconds: 30 * 24 * 3600)
        harness.post("/esim/\(iccid)/fund", "{\"amount\": 9}")
        harness.advance(seconds: 30 * 24 * 3600)
        #expect(harness.events("esim.balance_low").count == 2)
        #expect(harness.events("esim.balance_depleted").count == 2)
    }

    @Test func throttleCapsBytesPerSecond() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "500")
        harness.post("/esim/\(iccid)/throttle", "{\"speed\": \"SPEED_100_KBPS\"}")
        let before = (harness.ledger(iccid)["used_bytes"] as? NSNumber)?.int64Value ?? 0
        let hours: Int64 = 48
        harness.advance(seconds: Double(hours * 3600))
        let used = ((harness.ledger(iccid)["used_bytes"] as? NSNumber)?.int64Value ?? 0) - before
        // 100 kbps = 12,500 bytes per second.
        #expect(used <= 12_500 * 3600 * hours)
        #expect(used > 0)
    }

    @Test func unknownThrottleSpeedIsRejected() {
        let harness = ModelHarness()
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        let reply = harness.post("/esim/\(iccid)/throttle", "{\"speed\": \"SPEED_42_KBPS\"}")
        #expect(reply.status == 400)
        #expect(reply.errorCode == "VALIDATION_ERROR")
        let ok = harness.post("/esim/\(iccid)/throttle", "{\"speed\": \"SPEED_500_KBPS\"}")
        #expect(ok.json["throttle_speed"] as? String == "SPEED_500_KBPS")
    }

    @Test func resellerLowAndDepletedFireOnce() {
        let harness = ModelHarness { $0.startingResellerBalance = Money(cents: 6_000) }
        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        harness.post("/esim/\(iccid)/fund", "{\"amount\": 10}")
        harness.post("/esim/\(iccid)/fund", "{\"amount\": 10}")
        harness.post("/esim/\(iccid)/fund", "{\"amount\": 38.25}")
        #expect(harness.get("/wallet/balance").raw("balance_usd") == "0.00")
        #expect(harness.events("balance.low").count == 1)
        #expect(harness.events("balance.depleted").count == 1)
        #expect(harness.post("/esim/\(iccid)/fund", "{\"amount\": 0.01}").status == 402)
    }

    @Test func everyFundAppearsOnceInLedger() {
        let harness = ModelHarness()
        let iccid = harness.activeFundedSIM(amount: "20")
        harness.post("/esim/\(iccid)/fund", "{\"amount\": 7.5}")
        let state = harness.send("GET", "/_sim/state")
        let funds = state.json["funds"] as? [[String: Any]] ?? []
        #expect(funds.count == 2)
        #expect(funds.allSatisfy { $0["iccid"] as? String == iccid })
        #expect(funds.map { $0["credited_usd"] as? String } == ["19.999800", "7.499700"])
        #expect(state.text.contains("\"amount_usd\":20.00,"))
        #expect(state.text.contains("\"amount_usd\":7.50,"))
    }
}
