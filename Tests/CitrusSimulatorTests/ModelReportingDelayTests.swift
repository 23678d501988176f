import Foundation
import Testing
@testable import CitrusSimulator

@Suite("Reporting delay")
struct ModelReportingDelayTests {
    private static func cents(_ text: String?) -> Int64 {
        Int64((text ?? "").replacingOccurrences(of: ".", with: "")) ?? -1
    }

    @Test func readingLagsExactWallet() {
        let harness = ModelHarness { $0.reportingDelayMinutes = 15 }
        let iccid = harness.activeFundedSIM(amount: "50")
        harness.advance(seconds: 6 * 3600)
        let reply = harness.get("/esim/\(iccid)")
        let ledger = harness.ledger(iccid)
        let exactCents = ((ledger["wallet_micros"] as? NSNumber)?.int64Value ?? 0) / 10_000
        let chargedCents = ((ledger["charged_micros"] as? NSNumber)?.int64Value ?? 0) / 10_000
        #expect(Self.cents(reply.raw("wallet_balance_usd")) >= exactCents)
        #expect(Self.cents(reply.raw("total_data_charged_usd")) <= chargedCents)
    }

    @Test func chargedEqualsUsageFifteenMinutesEarlier() {
        let delayed = ModelHarness { $0.reportingDelayMinutes = 15 }
        let plain = ModelHarness()
        let iccid = delayed.activeFundedSIM(amount: "50")
        #expect(plain.activeFundedSIM(amount: "50") == iccid)
        delayed.advance(seconds: 6 * 3600)
        plain.advance(seconds: 6 * 3600 - 15 * 60)
        let reported = delayed.get("/esim/\(iccid)").raw("total_data_charged_usd")
        #expect(reported == plain.get("/esim/\(iccid)").raw("total_data_charged_usd"))
        #expect(reported != "0.00")
    }

    @Test func fundShowsAtOnceDespiteDelay() {
        let harness = ModelHarness { $0.reportingDelayMinutes = 15 }
        let iccid = harness.activeFundedSIM(amount: "9")
        harness.advance(seconds: 3600)
        let before = Self.cents(harness.get("/esim/\(iccid)").raw("wallet_balance_usd"))
        let after = Self.cents(harness.post("/esim/\(iccid)/fund", "{\"amount\": 18}").raw("wallet_balance_usd"))
        #expect(after - before == 1_800)
    }

    @Test func lowBalanceEventLagsCrossing() {
        let harness = ModelHarness { $0.reportingDelayMinutes = 15 }
        let iccid = harness.activeFundedSIM(amount: "5.40")
        var minutes = 0
        while harness.walletMicros(iccid) >= 5_000_000 && minutes < 7 * 24 * 60 {
            harness.advance(seconds: 60)
            minutes += 1
        }
        #expect(harness.walletMicros(iccid) < 5_000_000)
        #expect(harness.events("esim.balance_low").isEmpty)
        harness.advance(seconds: 15 * 60)
        #expect(harness.events("esim.balance_low").count == 1)
    }

    @Test func delayedLedgerMatchesUndelayedLedger() throws {
        func run(delay: Double) -> [String: Any] {
            let harness = ModelHarness(fleet: .mix(iot: 5, travel: 5, payg: 5)) { $0.reportingDelayMinutes = delay }
            for _ in 0..<24 {
                harness.advance(seconds: 3000)
                _ = harness.get("/esim/list")
            }
            return harness.state()
        }
        let plain = try JSONSerialization.data(withJSONObject: run(delay: 0)["esims"] ?? [], options: .sortedKeys)
        let delayed = try JSONSerialization.data(withJSONObject: run(delay: 15)["esims"] ?? [], options: .sortedKeys)
        #expect(plain == delayed)
    }
}
