import CitrusAPI
import CitrusSimulator
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import FleetCore

/// Collects the progress reports of a bulk run from any thread.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [BulkProgress] = []

    func append(_ progress: BulkProgress) {
        lock.withLock { stored.append(progress) }
    }

    var reports: [BulkProgress] {
        lock.withLock { stored }
    }
}

/// Collects the ICCIDs a bulk run reports to its control (before sending, or a lost response).
private final class SendLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ item: BulkItem) {
        lock.withLock { stored.append(item.iccid) }
    }

    var iccids: [String] {
        lock.withLock { stored }
    }
}

/// Reads the funds in the simulator's ledger (`GET /_sim/state`) as ICCID and cents.
private func ledgerFunds(_ harness: SimulatorHarness) async throws -> [(iccid: String, cents: Int64)] {
    let url = harness.server.rootURL.appendingPathComponent("_sim/state")
    let (data, _) = try await URLSession.shared.data(from: url)
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let funds = try #require(root["funds"] as? [[String: Any]])
    return try funds.map { fund in
        let iccid = try #require(fund["iccid"] as? String)
        let amount = try #require(fund["amount_usd"] as? NSNumber)
        return (iccid, Int64((amount.doubleValue * 100).rounded()))
    }
}

/// Sets the simulator's reseller balance through `POST /_sim/balance`.
private func setResellerBalance(_ harness: SimulatorHarness, cents: Int64) async throws {
    var request = URLRequest(url: harness.server.rootURL.appendingPathComponent("_sim/balance"))
    request.httpMethod = "POST"
    request.httpBody = Data("{\"balance_usd\":\(Money(cents: cents).plainDecimalString)}".utf8)
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    let (_, response) = try await URLSession.shared.data(for: request)
    guard (response as? HTTPURLResponse)?.statusCode == 200 else {
        throw HarnessError("POST /_sim/balance failed: \(response)")
    }
}

/// Returns the simulator's SIMs as table rows, in the API's list order.
private func rows(_ harness: SimulatorHarness) async throws -> [SIMRow] {
    let page = try await harness.client.listESIMs()
    var store = FleetStore(epoch: testEpoch)
    store.apply(FleetChangeBatch(added: page.esims, observedAt: testEpoch))
    return page.esims.compactMap { store.row(iccid: $0.iccid) }
}

@Suite(.serialized) struct BulkRunTests {
    @Test func topUpFundsEachSIMOnceToTarget() async throws {
        let harness = try SimulatorHarness(iot: 6)
        defer { harness.stop() }
        let sims = try await rows(harness)
        let plan = BulkPlan(action: .topUp(target: .dollars(20)), sims: sims, resellerBalance: nil)
        #expect(plan.items.count == 6)

        let earlier = try await ledgerFunds(harness).count
        let log = ProgressLog()
        let summary = await FleetOperations(client: harness.client).run(plan, control: BulkRunControl()) { log.append($0) }

        #expect(summary.succeeded.count == 6)
        #expect(summary.failed.isEmpty)
        #expect(summary.unknown == nil)
        #expect(summary.isComplete)
        #expect(summary.fundedTotal == plan.total)
        #expect(log.reports.map(\.attemptedCount) == [1, 2, 3, 4, 5, 6])

        let funds = try await ledgerFunds(harness).dropFirst(earlier)
        #expect(funds.count == 6)
        #expect(Set(funds.map(\.iccid)).count == 6)
        for item in plan.items {
            #expect(funds.first { $0.iccid == item.iccid }?.cents == item.amount?.cents)
        }
        // Citrus rounds wallets down, so a top-up to $20 can read $19.99.
        let wallets = try await harness.client.listESIMs().esims.compactMap(\.walletBalance)
        #expect(wallets.count == 6)
        #expect(wallets.allSatisfy { $0 == .dollars(20) || $0 == Money(cents: 1_999) })

        let again = BulkPlan(action: .topUp(target: .dollars(20)), sims: try await rows(harness), resellerBalance: nil)
        #expect(again.items.isEmpty)
    }

    @Test func failedFundIsCountedAndRunGoesOn() async throws {
        let harness = try SimulatorHarness(iot: 4)
        defer { harness.stop() }
        try await setResellerBalance(harness, cents: 1_200)
        let sims = try await rows(harness)
        let plan = BulkPlan(action: .fund(.dollars(5)), sims: sims, resellerBalance: Money(cents: 1_200))
        let earlier = try await ledgerFunds(harness).count

        let summary = await FleetOperations(client: harness.client).run(plan, control: BulkRunControl()) { _ in }

        #expect(summary.succeeded.map(\.iccid) == Array(plan.items.prefix(2).map(\.iccid)))
        #expect(summary.failed.map(\.iccid) == Array(plan.items.suffix(2).map(\.iccid)))
        #expect(summary.failed.allSatisfy { $0.errorCode == "INSUFFICIENT_BALANCE" })
        #expect(summary.notAttemptedCount == 0)
        #expect(summary.headline == "Fund finished: 2 done, 2 failed.")
        #expect(summary.resellerBalanceAfter == Money(cents: 200))

        let funds = try await ledgerFunds(harness).dropFirst(earlier)
        #expect(funds.map(\.iccid) == summary.succeeded.map(\.iccid))
    }

    @Test func unknownFundStopsRun() async throws {
        let harness = try SimulatorHarness(iot: 5)
        defer { harness.stop() }
        let sims = try await rows(harness)
        let plan = BulkPlan(action: .fund(.dollars(1)), sims: sims, resellerBalance: nil)
        #expect(plan.items.count == 5)
        let earlier = try await ledgerFunds(harness).count

        // After the second SIM, every request is applied and its connection
        // reset, so the third fund loses its response.
        let server = harness.server
        let lost = SendLog()
        let control = BulkRunControl(responseLost: { lost.append($0) })
        let summary = await FleetOperations(client: harness.client).run(plan, control: control) { progress in
            if progress.attemptedCount == 2 { server.setFaults(FaultSettings(resetRate: 1)) }
        }
        harness.server.setFaults(FaultSettings())

        let third = plan.items[2].iccid
        // The loss was reported once, for the third SIM, before its summary.
        #expect(lost.iccids == [third])
        #expect(summary.succeeded.count == 2)
        #expect(summary.unknown?.iccid == third)
        #expect(summary.notAttemptedCount == 2)
        #expect(!summary.isComplete)
        #expect(summary.headline.hasPrefix("Fund stopped: 2 done, 1 unknown, 2 not attempted."))
        #expect(summary.headline.contains(third))

        let funds = try await ledgerFunds(harness).dropFirst(earlier)
        #expect(funds.map(\.iccid) == plan.items.prefix(3).map(\.iccid))
        #expect(Set(funds.map(\.iccid)).count == funds.count)
    }

    @Test func stopRequestEndsRunBetweenSIMs() async throws {
        let harness = try SimulatorHarness(iot: 4)
        defer { harness.stop() }
        let sims = try await rows(harness)
        let plan = BulkPlan(action: .disable, sims: sims, resellerBalance: nil)
        let control = BulkRunControl()

        let summary = await FleetOperations(client: harness.client).run(plan, control: control) { _ in
            control.requestStop()
        }

        #expect(summary.succeeded.count == 1)
        #expect(summary.stoppedByOperator)
        #expect(summary.notAttemptedCount == 3)
        #expect(summary.headline == "Disable stopped: 1 done, 3 not attempted. Stopped by the operator.")
        #expect(control.itemInFlight == nil)
        let statuses = try await harness.client.listESIMs().esims.map(\.status)
        #expect(statuses.filter { $0 == .suspended }.count == 1)
    }

    @Test func throttleRunChangesEverySpeed() async throws {
        let harness = try SimulatorHarness(iot: 3)
        defer { harness.stop() }
        let plan = BulkPlan(action: .throttle(.kbps500), sims: try await rows(harness), resellerBalance: nil)

        let summary = await FleetOperations(client: harness.client).run(plan, control: BulkRunControl()) { _ in }

        #expect(summary.succeeded.count == 3)
        let speeds = try await harness.client.listESIMs().esims.map(\.throttleSpeed)
        #expect(speeds == [.kbps500, .kbps500, .kbps500])
    }

    @Test func unreachableAPIStopsRun() async throws {
        let harness = try SimulatorHarness(iot: 3)
        let sims = try await rows(harness)
        let plan = BulkPlan(action: .disable, sims: sims, resellerBalance: nil)
        #expect(plan.items.count == 3)
        // Nothing listens on the simulator's port any more: every connection is refused.
        harness.stop()

        let summary = await FleetOperations(client: harness.client).run(plan, control: BulkRunControl()) { _ in }

        #expect(summary.failed.map(\.iccid) == [plan.items[0].iccid])
        #expect(summary.stoppedUnreachable?.iccid == plan.items[0].iccid)
        #expect(summary.notAttemptedCount == 2)
        #expect(summary.headline.hasPrefix("Disable stopped: 0 done, 1 failed, 2 not attempted."))
        #expect(summary.headline.contains("Citrus could not be reached for \(plan.items[0].iccid), so the run stopped."))
    }

    @Test func runSendsRepeatedICCIDOnce() async {
        var plan = BulkPlan(action: .enable, sims: [], resellerBalance: nil)
        plan.items = [BulkItem(iccid: testICCID(1)), BulkItem(iccid: testICCID(1)), BulkItem(iccid: testICCID(2))]
        let sent = ProgressLog()
        let announced = SendLog()

        let summary = await BulkRunner.run(plan, control: BulkRunControl(willSend: announced.append)) { item in
            OperationReport(outcome: .succeeded, esim: nil, message: "ok", iccid: item.iccid)
        } progress: { sent.append($0) }

        #expect(sent.reports.map(\.item.iccid) == [testICCID(1), testICCID(2)])
        #expect(announced.iccids == [testICCID(1), testICCID(2)])
        #expect(summary.succeeded.count == 2)
    }
}

@Suite struct BulkPlanTests {
    private func row(_ esim: ESIM, gone: Bool = false) -> SIMRow {
        var store = FleetStore(epoch: testEpoch)
        store.apply(FleetChangeBatch(added: [esim], observedAt: testEpoch))
        var row = store.row(iccid: esim.iccid)!
        row.isGone = gone
        return row
    }

    @Test func topUpSkipsWhatCannotBeFunded() {
        let sims = [
            row(testESIM(1, walletCents: 350)),
            row(testESIM(2, walletCents: 2_000)),
            row(testESIM(3, status: .terminated, walletCents: 0)),
            row(testESIM(4, walletCents: nil, group: "grp_1")),
            row(testESIM(5, walletCents: 100), gone: true),
            row(testESIM(6, walletCents: 2_500)),
            row(testESIM(7, walletCents: 1_998)),
            row(testESIM(8, walletCents: 1_999)),
        ]
        let plan = BulkPlan(action: .topUp(target: .dollars(20)), sims: sims, resellerBalance: .dollars(100))

        #expect(plan.items == [
            BulkItem(iccid: testICCID(1), amount: Money(cents: 1_650), walletBefore: Money(cents: 350)),
            BulkItem(iccid: testICCID(7), amount: Money(cents: 2), walletBefore: Money(cents: 1_998)),
        ])
        #expect(plan.total == Money(cents: 1_652))
        #expect(plan.resellerBalanceAfter == Money(cents: 8_348))
        #expect(plan.skipSummary == "1 gone, 1 terminated, 1 in a shared-balance group, 3 already at the target")
    }

    @Test func fundGivesEachSIMTheAmount() {
        let sims = [row(testESIM(1)), row(testESIM(2, walletCents: nil)), row(testESIM(1))]
        let plan = BulkPlan(action: .fund(.dollars(5)), sims: sims, resellerBalance: nil)

        #expect(plan.items.map(\.iccid) == [testICCID(1), testICCID(2)])
        #expect(plan.items.map(\.amount) == [.dollars(5), .dollars(5)])
        #expect(plan.total == .dollars(10))
        #expect(plan.resellerBalanceAfter == nil)
    }

    @Test func statusActionsSkipNoOps() {
        let sims = [
            row(testESIM(1, status: .active)),
            row(testESIM(2, status: .suspended, throttle: .kbps500)),
            row(testESIM(3, status: .pending)),
        ]
        #expect(BulkPlan(action: .enable, sims: sims, resellerBalance: nil).items.map(\.iccid) == [testICCID(2), testICCID(3)])
        #expect(BulkPlan(action: .disable, sims: sims, resellerBalance: nil).items.map(\.iccid) == [testICCID(1), testICCID(3)])
        let throttle = BulkPlan(action: .throttle(.kbps500), sims: sims, resellerBalance: nil)
        #expect(throttle.items.map(\.iccid) == [testICCID(1), testICCID(3)])
        #expect(throttle.skipSummary == "1 already at that speed")
        #expect(throttle.total == .zero)
    }
}
