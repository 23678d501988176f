import CitrusAPI
import CitrusSimulator
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import FleetCore

@Suite struct FleetStoreTests {
    @Test func firstPageAddsEverySIM() {
        var store = FleetStore(epoch: testEpoch)
        let batch = store.applyPage((1...3).map { testESIM($0) }, observedAt: at(0))
        #expect(batch.added.map(\.iccid) == [testICCID(1), testICCID(2), testICCID(3)])
        #expect(batch.changed.isEmpty)
        #expect(batch.unchanged.isEmpty)
        #expect(store.count == 3)
    }

    @Test func secondPageSplitsChangedAndUnchanged() {
        var store = FleetStore(epoch: testEpoch)
        _ = store.applyPage([testESIM(1), testESIM(2)], observedAt: at(0))
        let batch = store.applyPage([testESIM(1), testESIM(2, walletCents: 1500)], observedAt: at(60))
        #expect(batch.added.isEmpty)
        #expect(batch.changed.map(\.iccid) == [testICCID(2)])
        #expect(batch.unchanged == [testICCID(1)])
        #expect(batch.observedAt == at(60))
    }

    @Test func rowKeepsTheReading() throws {
        var store = FleetStore(epoch: testEpoch)
        let esim = testESIM(7, status: .suspended, walletCents: 1234, label: "Berlin kiosk", reference: "EMP-7",
                            group: "grp_1", throttle: .kbps500)
        _ = store.applyPage([esim], observedAt: at(30))
        let row = try #require(store.row(iccid: testICCID(7)))
        #expect(row.status == .suspended)
        #expect(row.walletBalance == Money(cents: 1234))
        #expect(row.label == "Berlin kiosk")
        #expect(row.endUserReference == "EMP-7")
        #expect(row.groupID == "grp_1")
        #expect(row.throttleSpeed == .kbps500)
        #expect(row.lastSeen == at(30))
        #expect(row.activatedAt == testEpoch)
        #expect(row.isGone == false)
    }

    @Test func unknownEnumValuesSurvive() throws {
        var store = FleetStore(epoch: testEpoch)
        _ = store.applyPage([testESIM(1, status: .unknown("paused"), throttle: .unknown("SPEED_42_KBPS"))], observedAt: at(0))
        let row = try #require(store.row(iccid: testICCID(1)))
        #expect(row.status == .unknown("paused"))
        #expect(row.throttleSpeed == .unknown("SPEED_42_KBPS"))
    }

    @Test func missingFromCompleteSweepIsGone() throws {
        var store = FleetStore(epoch: testEpoch)
        store.beginSweep()
        _ = store.applyPage([testESIM(1), testESIM(2)], observedAt: at(0))
        _ = store.completeSweep(at: at(1))
        store.beginSweep()
        _ = store.applyPage([testESIM(1)], observedAt: at(60))
        let end = store.completeSweep(at: at(61))
        #expect(end.removed == [testICCID(2)])
        #expect(end.events.map(\.kind) == [.gone])
        #expect(try #require(store.row(iccid: testICCID(2))).isGone)
        #expect(store.select(.all, now: at(61), staleAfter: 600).count == 1)
    }

    @Test func goneSIMReturnsAsAdded() {
        var store = FleetStore(epoch: testEpoch)
        store.beginSweep()
        _ = store.applyPage([testESIM(1), testESIM(2)], observedAt: at(0))
        _ = store.completeSweep(at: at(1))
        store.beginSweep()
        _ = store.applyPage([testESIM(1)], observedAt: at(60))
        _ = store.completeSweep(at: at(61))
        let batch = store.applyPage([testESIM(2)], observedAt: at(120))
        #expect(batch.added.map(\.iccid) == [testICCID(2)])
        #expect(store.row(iccid: testICCID(2))?.isGone == false)
    }

    @Test func goneIsReportedOnce() {
        var store = FleetStore(epoch: testEpoch)
        store.beginSweep()
        _ = store.applyPage([testESIM(1), testESIM(2)], observedAt: at(0))
        _ = store.completeSweep(at: at(1))
        for sweep in 1...2 {
            store.beginSweep()
            _ = store.applyPage([testESIM(1)], observedAt: at(Double(sweep * 60)))
            let end = store.completeSweep(at: at(Double(sweep * 60 + 1)))
            #expect(end.removed == (sweep == 1 ? [testICCID(2)] : []))
        }
    }

    @Test func historyIsBoundedByCapacity() {
        var store = FleetStore(epoch: testEpoch)
        for minute in 0..<200 {
            _ = store.applyPage([testESIM(1, walletCents: Int64(5000 - minute))], observedAt: at(Double(minute * 180)))
        }
        let history = store.walletHistory(store.handle(for: testICCID(1))!)
        #expect(history.count == store.configuration.historyCapacity)
        #expect(history.last?.wallet == Money(cents: 5000 - 199))
    }

    @Test func closeReadingsReplaceTheNewest() {
        var store = FleetStore(epoch: testEpoch)
        // A reading every 10 seconds for 10 minutes: spaced 120 s apart in the ring.
        for tick in 0...60 {
            _ = store.applyPage([testESIM(1, walletCents: Int64(2000 - tick))], observedAt: at(Double(tick * 10)))
        }
        let history = store.walletHistory(store.handle(for: testICCID(1))!)
        #expect(history.count <= 7)
        #expect(history.last?.time == at(600))
        #expect(history.last?.wallet == Money(cents: 1940))
        for (older, newer) in zip(history, history.dropFirst().dropLast()) {
            #expect(newer.time.timeIntervalSince(older.time) >= 120)
        }
    }

    @Test func metricsFromSweeps() throws {
        var store = FleetStore(epoch: testEpoch)
        // $3.00 per hour: 10 cents every 2 minutes.
        for step in 0...10 {
            _ = store.applyPage([testESIM(1, walletCents: Int64(2000 - step * 10))], observedAt: at(Double(step * 120)))
        }
        let handle = try #require(store.handle(for: testICCID(1)))
        let metrics = store.metrics(handle)
        let rate = try #require(metrics.burnRate.centsPerHour)
        #expect(abs(rate - 300) < 0.01)
        // $19.00 at $3/h reaches $0 in 6h20m, minus the 15-minute lag, from the last reading.
        guard case .at(let zero) = metrics.etaToZero else {
            Issue.record("expected an ETA, got \(metrics.etaToZero)")
            return
        }
        #expect(abs(zero.timeIntervalSince(at(1200)) - (1900.0 / 300 * 3600 - 900)) < 1)
    }

    @Test func suspendedSIMDoesNotDrain() throws {
        var store = FleetStore(epoch: testEpoch)
        for step in 0...10 {
            _ = store.applyPage([testESIM(1, status: .suspended, walletCents: 2000)], observedAt: at(Double(step * 120)))
        }
        let metrics = store.metrics(try #require(store.handle(for: testICCID(1))))
        #expect(metrics.burnRate == .notDraining)
        #expect(metrics.etaToZero == .never)
    }

    @Test func groupSIMWithoutWalletDoesNotDrain() throws {
        var store = FleetStore(epoch: testEpoch)
        _ = store.applyPage([testESIM(1, walletCents: nil, group: "grp_1")], observedAt: at(0))
        let metrics = store.metrics(try #require(store.handle(for: testICCID(1))))
        #expect(metrics.burnRate == .notDraining)
        #expect(store.walletHistory(try #require(store.handle(for: testICCID(1)))).isEmpty)
    }

    @Test func newSIMHasUnknownBurnRate() throws {
        var store = FleetStore(epoch: testEpoch)
        _ = store.applyPage([testESIM(1)], observedAt: at(0))
        let metrics = store.metrics(try #require(store.handle(for: testICCID(1))))
        #expect(metrics.burnRate == .unknown)
        #expect(metrics.etaToZero == .unknown)
    }

    @Test func totalsCountStatusesAndWallets() {
        var store = FleetStore(epoch: testEpoch)
        _ = store.applyPage([
            testESIM(1, walletCents: 2000),
            testESIM(2, walletCents: 300),
            testESIM(3, walletCents: 0),
            testESIM(4, status: .suspended, walletCents: 1000),
            testESIM(5, status: .terminated, walletCents: 0),
            testESIM(6, walletCents: nil, group: "grp_1"),
        ], observedAt: at(0))
        _ = store.recordResellerBalance(ResellerBalance(balance: .dollars(400)), at: at(0))
        let totals = store.totals(now: at(10), staleAfter: 600)
        #expect(totals.simCount == 6)
        #expect(totals.countsByStatus[.active] == 4)
        #expect(totals.countsByStatus[.suspended] == 1)
        #expect(totals.countsByStatus[.terminated] == 1)
        #expect(totals.lowCount == 1)
        #expect(totals.depletedCount == 1)
        #expect(totals.totalWallet == Money(cents: 3300))
        #expect(totals.unknownBurnCount == 3)
        #expect(totals.resellerBalance == .dollars(400))
        #expect(totals.staleCount == 0)
        #expect(store.totals(now: at(700), staleAfter: 600).staleCount == 6)
    }

    @Test func emptyWalletLeavesTheSpend() throws {
        // SIM 1 drains $1.20/h to $0.00, SIM 2 drains 60 ¢/h, read every 10 minutes.
        var store = FleetStore(epoch: testEpoch)
        let wallets: [(Int64, Int64)] = [(60, 1000), (40, 990), (20, 980), (0, 970), (0, 960), (0, 950)]
        for (step, pair) in wallets.enumerated() {
            _ = store.applyPage([testESIM(1, walletCents: pair.0), testESIM(2, walletCents: pair.1)], observedAt: at(Double(step * 600)))
        }
        let empty = try #require(store.handle(for: testICCID(1)))
        #expect(store.metrics(empty).burnRate == .notDraining)
        let totals = store.totals(now: at(3000), staleAfter: 600)
        #expect(abs(totals.spendCentsPerHour - 60) < 0.01)
        #expect(totals.unknownBurnCount == 0)
        #expect(totals.depletedCount == 1)
    }

    @Test func totalsSpendSumsKnownRates() {
        var store = FleetStore(epoch: testEpoch)
        for step in 0...10 {
            _ = store.applyPage([
                testESIM(1, walletCents: Int64(2000 - step * 10)),
                testESIM(2, walletCents: Int64(2000 - step * 20)),
            ], observedAt: at(Double(step * 120)))
        }
        let totals = store.totals(now: at(1200), staleAfter: 600)
        #expect(abs(totals.spendCentsPerHour - 900) < 0.1)
        #expect(totals.spendPerHour == Money(cents: 900))
        #expect(totals.unknownBurnCount == 0)
    }

    @Test func resellerETAFromItsReadings() {
        var store = FleetStore(epoch: testEpoch)
        for step in 0...10 {
            _ = store.recordResellerBalance(ResellerBalance(balance: Money(cents: Int64(100_000 - step * 1000))), at: at(Double(step * 300)))
        }
        let totals = store.totals(now: at(3000), staleAfter: 600)
        #expect(abs((totals.resellerBurnRate.centsPerHour ?? 0) - 12_000) < 1)
        guard case .at = totals.resellerETA else {
            Issue.record("expected a reseller ETA, got \(totals.resellerETA)")
            return
        }
    }

    @Test func mirrorMatchesTheSource() {
        var source = FleetStore(epoch: testEpoch)
        var mirror = FleetStore(epoch: testEpoch)
        for step in 0...12 {
            source.beginSweep()
            var esims = (1...5).map { testESIM($0, walletCents: Int64(3000 - step * 10 * $0)) }
            if step >= 6 { esims.removeLast() }
            let page = source.applyPage(esims, observedAt: at(Double(step * 120)))
            mirror.apply(page)
            let balance = ResellerBalance(balance: Money(cents: Int64(50_000 - step)))
            var balanceBatch = FleetChangeBatch(resellerBalance: balance, observedAt: at(Double(step * 120)))
            balanceBatch.events = source.recordResellerBalance(balance, at: at(Double(step * 120)))
            mirror.apply(balanceBatch)
            mirror.apply(source.completeSweep(at: at(Double(step * 120 + 1))))
        }
        let now = at(1500)
        #expect(mirror.count == source.count)
        for handle in source.handles {
            #expect(mirror.row(handle) == source.row(handle))
        }
        #expect(mirror.totals(now: now, staleAfter: 600) == source.totals(now: now, staleAfter: 600))
    }

    @Test func pageApplyIsLinearInPage() {
        var store = FleetStore(epoch: testEpoch)
        store.reserveCapacity(20_000)
        for page in 0..<100 {
            _ = store.applyPage((0..<200).map { testESIM(page * 200 + $0) }, observedAt: at(0))
        }
        #expect(store.count == 20_000)
        let batch = store.applyPage((0..<200).map { testESIM($0, walletCents: 1999) }, observedAt: at(60))
        #expect(batch.changed.count == 200)
    }
}

/// Wallets that drain by less than Citrus's display error over the window.
@Suite struct SlowDrainTests {
    /// Makes a tracker SIM with a wallet and a charged total, in cents.
    func tracker(walletCents: Int64, chargedCents: Int64, status: ESIMStatus = .active) -> ESIM {
        var esim = testESIM(1, status: status, walletCents: walletCents, label: "Tracker 0001")
        esim.totalDataCharged = Money(cents: chargedCents)
        return esim
    }

    @Test func oneCentOverTwoHoursIsNotNever() throws {
        // The SIM is read every 10 minutes for 2 hours, and its wallet drops 1 ¢ at 50 minutes.
        var store = FleetStore(epoch: testEpoch)
        for step in 0...12 {
            let dropped = step >= 5
            let esim = tracker(walletCents: dropped ? 999 : 1000, chargedCents: dropped ? 801 : 800)
            _ = store.applyPage([esim], observedAt: at(Double(step * 600)))
        }
        let row = try #require(store.row(iccid: testICCID(1)))

        #expect(row.metrics.burnRate == .below(centsPerHour: 1))
        #expect(row.metrics.burnRate.formatted == "< $0.01/h")
        #expect(row.metrics.etaToZero == .after(at(7200 + 999.0 * 3600 - 900)))
        #expect(row.metrics.etaToZero.formatted(from: at(7200)) == "> 41d")
        #expect(row.metrics.etaToLow == .after(at(7200 + 499.0 * 3600 - 900)))
    }

    @Test func idleSIMIsNotDrainingAfterADay() throws {
        // The SIM is read every 10 minutes, and neither its wallet nor its charged total moves.
        var store = FleetStore(epoch: testEpoch)
        for step in 0..<144 {
            _ = store.applyPage([tracker(walletCents: 1000, chargedCents: 800)], observedAt: at(Double(step * 600)))
        }
        let handle = try #require(store.handle(for: testICCID(1)))
        #expect(store.metrics(handle).burnRate == .below(centsPerHour: 1))

        _ = store.applyPage([tracker(walletCents: 1000, chargedCents: 800)], observedAt: at(86_400))
        #expect(store.metrics(handle).burnRate == .notDraining)
        #expect(store.metrics(handle).etaToZero == .never)

        // One more cent of usage ends the idle spell.
        _ = store.applyPage([tracker(walletCents: 1000, chargedCents: 801)], observedAt: at(87_000))
        #expect(store.metrics(handle).burnRate == .below(centsPerHour: 1))
    }

    @Test func idleSpellSurvivesMirroring() throws {
        var source = FleetStore(epoch: testEpoch)
        var mirror = FleetStore(epoch: testEpoch)
        for step in 0...144 {
            let batch = source.applyPage([tracker(walletCents: 1000, chargedCents: 800)], observedAt: at(Double(step * 600)))
            mirror.apply(batch)
        }
        let handle = try #require(mirror.handle(for: testICCID(1)))
        #expect(mirror.metrics(handle).burnRate == .notDraining)
    }

    @Test func fundedWalletKeepsItsRate() throws {
        // Draining $3/h, then funded $20: the fund is not usage, and the rate
        // is unknown until enough readings follow it.
        var store = FleetStore(epoch: testEpoch)
        for step in 0...10 {
            let used = Int64(step * 10)
            _ = store.applyPage([tracker(walletCents: 2000 - used, chargedCents: 500 + used)], observedAt: at(Double(step * 120)))
        }
        let handle = try #require(store.handle(for: testICCID(1)))
        #expect(store.metrics(handle).burnRate.centsPerHour.map { abs($0 - 300) < 0.01 } == true)

        _ = store.applyPage([tracker(walletCents: 3900, chargedCents: 600)], observedAt: at(1320))
        #expect(store.metrics(handle).burnRate == .unknown)

        for step in 1...10 {
            let used = Int64(step * 10)
            _ = store.applyPage([tracker(walletCents: 3900 - used, chargedCents: 600 + used)], observedAt: at(Double(1320 + step * 120)))
        }
        #expect(store.metrics(handle).burnRate.centsPerHour.map { abs($0 - 300) < 0.01 } == true)
    }

    @Test func totalsKeepBoundsOutOfSpend() {
        // SIM 1 burns a measured $3/h. SIM 2 reads flat for 20 minutes, so it burns under 3 ¢/h.
        var store = FleetStore(epoch: testEpoch)
        for step in 0...10 {
            _ = store.applyPage([
                testESIM(1, walletCents: Int64(2000 - step * 10)),
                testESIM(2, walletCents: 1000),
            ], observedAt: at(Double(step * 120)))
        }
        let totals = store.totals(now: at(1200), staleAfter: 600)
        #expect(abs(totals.spendCentsPerHour - 300) < 0.1)
        #expect(totals.boundedBurnCount == 1)
        #expect(abs(totals.boundedSpendCentsPerHour - 3) < 0.001)
        #expect(totals.unknownBurnCount == 0)
    }

    @Test func boundsHoldAgainstTheSimulatorLedger() async throws {
        // 40 trackers swept every 10 simulated minutes for 2 hours, over loopback HTTP.
        let harness = try SimulatorHarness(iot: 40)
        defer { harness.stop() }
        var store = FleetStore(epoch: testEpoch)
        var exactCharged: [Int: [String: Int64]] = [:]
        for step in 0...12 {
            if step > 0 { try await harness.advance(seconds: 600) }
            let time = at(Double(step * 600))
            for try await page in harness.client.allESIMPages() {
                _ = store.applyPage(page.esims, observedAt: time)
            }
            exactCharged[step] = try await ledgerChargedMicros(harness)
        }

        var bounded = 0
        for handle in store.handles {
            let row = store.row(handle)
            guard row.status == .active, let wallet = row.walletBalance, wallet > .zero else { continue }
            let charged = try #require(exactCharged[12]?[row.iccid])
            let chargedHourAgo = try #require(exactCharged[6]?[row.iccid])
            let usedMicros = charged - chargedHourAgo

            #expect(row.metrics.burnRate != .notDraining, "\(row.iccid) drained \(usedMicros) µ$ in the last hour")
            #expect(row.metrics.etaToZero != .never, "\(row.iccid)")
            if case .below(let bound) = row.metrics.burnRate {
                bounded += 1
                // The window is one hour, so the bound in cents per hour caps the usage in it.
                #expect(Double(usedMicros) < bound * 10_000, "\(row.iccid) used \(usedMicros) µ$, bound \(bound) ¢/h")
            }
        }
        #expect(bounded > 0, "no tracker drained slowly enough to test the bound")
    }

    /// Reads the exact charged total of every SIM from the simulator's ledger
    /// (`GET /_sim/state`), in micro-dollars by ICCID.
    private func ledgerChargedMicros(_ harness: SimulatorHarness) async throws -> [String: Int64] {
        let url = harness.server.rootURL.appendingPathComponent("_sim/state")
        let (data, _) = try await URLSession.shared.data(from: url)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let esims = try #require(root["esims"] as? [[String: Any]])
        var result: [String: Int64] = [:]
        for esim in esims {
            let iccid = try #require(esim["iccid"] as? String)
            let micros = try #require(esim["charged_micros"] as? NSNumber)
            result[iccid] = micros.int64Value
        }
        return result
    }
}
