import Foundation
import Testing
@testable import CitrusSimulator

@Suite("Fleet presets")
struct ModelFleetTests {
    private static func allSIMs(_ harness: ModelHarness) -> [[String: Any]] {
        var all: [[String: Any]] = []
        var offset = 0
        while true {
            let page = harness.get("/esim/list", query: [("limit", "200"), ("offset", String(offset))]).json["esims"] as? [[String: Any]] ?? []
            all += page
            if page.count < 200 { return all }
            offset += 200
        }
    }

    @Test func demoFleetHasTheThreeGroups() {
        let harness = ModelHarness(fleet: .demo)
        let esims = Self.allSIMs(harness)
        let labels = esims.compactMap { $0["label"] as? String }
        #expect(labels.filter { $0.hasPrefix("Tracker ") }.count == 200)
        #expect(labels.filter { $0.hasSuffix(" - Berlin Trip") }.count == 30)
        #expect(labels.contains("Anna Schmidt - Berlin Trip"))
        #expect(labels.filter { $0.hasPrefix("PAYG - ") || $0.hasPrefix("Unlimited - ") }.count == 12)

        let references = esims.compactMap { $0["end_user_reference"] as? String }.filter { $0.hasPrefix("EMP-") }
        #expect(references.first == "EMP-001")
        #expect(references.last == "EMP-030")
    }

    @Test func demoTrackersAreThrottledAndFunded() {
        let harness = ModelHarness(fleet: .demo)
        let trackers = Self.allSIMs(harness).filter { ($0["label"] as? String)?.hasPrefix("Tracker ") == true }
        #expect(trackers.allSatisfy { $0["throttle_speed"] as? String == "SPEED_100_KBPS" })
        #expect(trackers.allSatisfy { $0["status"] as? String == "active" })
        let funds = harness.state()["funds"] as? [[String: Any]] ?? []
        let trackerICCIDs = Set(trackers.compactMap { $0["iccid"] as? String })
        #expect(funds.filter { trackerICCIDs.contains($0["iccid"] as? String ?? "") }.allSatisfy { $0["credited_usd"] as? String == "9.000000" })
    }

    @Test func demoTravelersMatchTheStory() {
        let harness = ModelHarness(fleet: .demo)
        let esims = Self.allSIMs(harness)
        let trip = esims.filter { ($0["label"] as? String)?.hasSuffix("Berlin Trip") == true }
        let pendingTrip = trip.filter { $0["status"] as? String == "pending" }
        #expect(pendingTrip.count == 24)
        #expect(pendingTrip.filter { $0["euicc_state"] as? String == "RELEASED" }.count >= 10)
        #expect(pendingTrip.filter { $0["euicc_state"] as? String == "DOWNLOADED" }.count >= 5)
        #expect(pendingTrip.allSatisfy { $0["activated_at"] is NSNull })
        #expect(trip.filter { $0["status"] as? String == "active" }.count == 6)

        let payg = esims.filter { ($0["label"] as? String)?.contains(" - ") == true && ($0["end_user_reference"] as? String)?.hasPrefix("PAYG") == true }
        let replies = payg.compactMap { $0["iccid"] as? String }.map { harness.get("/esim/\($0)") }
        #expect(replies.filter { $0.raw("wallet_balance_usd") == "0.00" }.count == 1)
        #expect(payg.filter { $0["status"] as? String == "pending" }.count == 3)
        let nearFive = replies.filter { reply in
            guard let text = reply.raw("wallet_balance_usd"), let cents = Int(text.replacingOccurrences(of: ".", with: "")) else { return false }
            return (400...700).contains(cents)
        }
        #expect(nearFive.count >= 3)
    }

    @Test func demoTripChecksInOverFirstHours() {
        let harness = ModelHarness(fleet: .demo)
        func trip() -> [[String: Any]] {
            Self.allSIMs(harness).filter { ($0["label"] as? String)?.hasSuffix("Berlin Trip") == true }
        }
        func count(_ status: String, in sims: [[String: Any]]) -> Int {
            sims.filter { $0["status"] as? String == status }.count
        }

        harness.advance(seconds: 3_600)
        let afterOneHour = trip()
        harness.advance(seconds: 2 * 3_600)
        let afterThreeHours = trip()

        #expect(count("active", in: afterOneHour) > 10)
        #expect(count("pending", in: afterOneHour) > 10)
        #expect(count("active", in: afterThreeHours) == 29)
        #expect(count("pending", in: afterThreeHours) == 1)
        #expect(afterThreeHours.filter { $0["euicc_state"] as? String == "ENABLED" }.count == 29)
        #expect(afterThreeHours.filter { $0["activated_at"] is String }.count == 29)
        let tripICCIDs = Set(afterThreeHours.compactMap { $0["iccid"] as? String })
        let activations = harness.events("esim.activated").filter { tripICCIDs.contains(($0["data"] as? [String: Any])?["iccid"] as? String ?? "") }
        #expect(activations.count == 23)
    }

    @Test func demoKeepsOrderLabelsAndICCIDs() {
        let esims = Self.allSIMs(ModelHarness(fleet: .demo))
        let labels = esims.compactMap { $0["label"] as? String }

        #expect(esims.count == 242)
        #expect(labels[0] == "Tracker 0001")
        #expect(labels[199] == "Tracker 0200")
        #expect(labels[200] == "PAYG - Maria Lopez")
        #expect(labels[211] == "PAYG - Yuki Tanaka")
        #expect(labels[212] == "Anna Schmidt - Berlin Trip")
        #expect(labels[241].hasSuffix(" - Berlin Trip"))
        let iccids = esims.compactMap { $0["iccid"] as? String }
        #expect(iccids == iccids.sorted())
    }

    @Test func demoHasExactlyOneEmptyWallet() {
        let ledger = ModelHarness(fleet: .demo).state()["esims"] as? [[String: Any]] ?? []
        let empty = ledger.filter { ($0["wallet_micros"] as? NSNumber)?.int64Value == 0 }

        #expect(ledger.count == 242)
        #expect(empty.count == 1)
    }

    @Test func demoWalletsDropWithinMinutesAt60x() {
        let harness = ModelHarness(fleet: .demo)
        let before = harness.state()["totals"] as? [String: Any]
        // One simulated minute is one real second at 60×.
        harness.advance(seconds: 60)
        let after = harness.state()["totals"] as? [String: Any]
        let dropped = ((before?["wallets_micros"] as? NSNumber)?.int64Value ?? 0) - ((after?["wallets_micros"] as? NSNumber)?.int64Value ?? 0)
        #expect(dropped > 10_000)
    }

    @Test func mixPresetHasRequestedCounts() {
        let harness = ModelHarness(fleet: .mix(iot: 25, travel: 40, payg: 7))
        let esims = Self.allSIMs(harness)
        #expect(esims.count == 72)
        #expect(esims.filter { ($0["label"] as? String)?.hasPrefix("Tracker ") == true }.count == 25)
        #expect(esims.filter { ($0["end_user_reference"] as? String)?.hasPrefix("EMP-") == true }.count == 40)
        #expect(esims.filter { ($0["end_user_reference"] as? String)?.hasPrefix("PAYG-") == true }.count == 7)
        #expect(Set(esims.compactMap { $0["iccid"] as? String }).count == 72)
    }

    @Test func everyICCIDPassesLuhn() {
        let harness = ModelHarness(fleet: .demo)
        for esim in Self.allSIMs(harness) {
            let iccid = esim["iccid"] as? String ?? ""
            #expect(iccid.count == 19, "\(iccid)")
            #expect(iccid.hasPrefix("89"), "\(iccid)")
            #expect(ICCID.isValid(iccid), "\(iccid)")
        }
    }
}
