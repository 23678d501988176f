import CitrusAPI
import CitrusSimulator
import Foundation
import Testing
@testable import FleetCore

@Suite(.serialized) struct RefreshLoopTests {
    @Test func sweepDeliversPagesAndTotals() async throws {
        let harness = try SimulatorHarness(iot: 410)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: harness.client, deliver: collector.deliver)

        #expect(await loop.sweepOnce())
        let batches = collector.batches
        // The account, the balance, three pages of at most 200, and the sweep's end.
        #expect(batches.count == 6)
        #expect(batches.first?.account != nil)
        #expect(batches.dropFirst().first?.resellerBalance != nil)
        #expect(batches.dropFirst(2).prefix(3).map(\.added.count) == [200, 200, 10])
        #expect(batches.allSatisfy { $0.added.count <= 200 })
        #expect(batches.last?.sweepCompletedAt != nil)
        #expect(batches.last?.removed.isEmpty == true)
        #expect(batches.last?.sweep?.simsRead == 410)

        let store = await loop.storeSnapshot()
        #expect(store.count == 410)
        #expect(store.totals(now: Date(), staleAfter: 600).resellerBalance != nil)
    }

    @Test func secondSweepSendsOnlyChanges() async throws {
        let harness = try SimulatorHarness(iot: 250)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: harness.client, deliver: collector.deliver)
        #expect(await loop.sweepOnce())
        collector.removeAll()

        try await harness.advance(seconds: 3600)
        #expect(await loop.sweepOnce())
        let batches = collector.batches
        let added = batches.reduce(0) { $0 + $1.added.count }
        let changed = batches.reduce(0) { $0 + $1.changed.count }
        let unchanged = batches.reduce(0) { $0 + $1.unchanged.count }
        #expect(added == 0)
        #expect(changed > 0)
        #expect(changed + unchanged == 250)
    }

    @Test func mirrorStoreFollowsBatches() async throws {
        let harness = try SimulatorHarness(iot: 250)
        defer { harness.stop() }
        let collector = BatchCollector()
        let clock = ManualClock()
        let loop = RefreshLoop(client: harness.client, clock: clock.fleetClock, deliver: collector.deliver)
        for _ in 0..<4 {
            #expect(await loop.sweepOnce())
            try await harness.advance(seconds: 600)
            clock.advance(600)
        }
        var mirror = FleetStore(epoch: testEpoch)
        for batch in collector.batches { mirror.apply(batch) }
        let source = await loop.storeSnapshot()
        #expect(mirror.count == source.count)
        for handle in source.handles {
            #expect(mirror.row(handle) == source.row(handle))
        }
    }

    @Test func burnRatesAppearAfterEnoughHistory() async throws {
        let harness = try SimulatorHarness(iot: 50)
        defer { harness.stop() }
        let clock = ManualClock()
        let loop = RefreshLoop(client: harness.client, clock: clock.fleetClock, deliver: { _ in })
        #expect(await loop.sweepOnce())
        var store = await loop.storeSnapshot()
        let first = store.handles.map { store.metrics($0).burnRate }
        #expect(first.allSatisfy { $0 == .unknown || $0 == .notDraining })

        for _ in 0..<8 {
            try await harness.advance(seconds: 300)
            clock.advance(300)
            #expect(await loop.sweepOnce())
        }
        store = await loop.storeSnapshot()
        let known = store.handles.filter { store.metrics($0).burnRate.centsPerHour != nil }
        #expect(known.count > 0)
        let totals = store.totals(now: clock.fleetClock.now(), staleAfter: 3600)
        #expect(totals.spendCentsPerHour > 0)
    }

    @Test func unreachableThenRecovers() async throws {
        let harness = try SimulatorHarness(iot: 30)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(
            client: harness.client, interval: .milliseconds(50),
            backoff: RefreshBackoff(initial: 0.05, maximum: 0.2), deliver: collector.deliver)
        await loop.start()
        defer { Task { await loop.stop() } }
        try await collector.wait("the first sweep") { $0.contains { $0.sweepCompletedAt != nil } }

        harness.server.setFaults(FaultSettings(errorRate: 1))
        try await collector.wait("two failures in a row") { batches in
            batches.contains { batch in
                if case .unreachable(_, let failures, _, _)? = batch.health { return failures >= 2 }
                return false
            }
        }
        let failing = collector.batches.compactMap(\.health).last
        #expect(failing?.unreachableSince != nil)
        #expect(collector.batches.contains { $0.refreshError?.contains("INTERNAL_ERROR") == true })
        let since = failing?.unreachableSince

        harness.server.setFaults(FaultSettings())
        try await collector.wait("the recovery") { $0.contains { $0.health == .healthy } }
        let recovered = collector.batches.lastIndex { $0.health == .healthy }!
        try await collector.wait("a sweep after the recovery") { batches in
            batches[recovered...].contains { $0.sweepCompletedAt != nil }
        }
        // Every failure batch of the outage names the same start.
        let starts = Set(collector.batches.compactMap { $0.health?.unreachableSince })
        #expect(starts == [since!])
        #expect(await loop.currentHealth == .healthy)
    }

    @Test func unreachableAccountFailsSweepAtOnce() async throws {
        let harness = try SimulatorHarness(iot: 3)
        // Nothing listens any more: the first request, the account read, is refused.
        harness.stop()
        let logs = LogCollector()
        let collector = BatchCollector()
        let loop = RefreshLoop(client: harness.client, logger: logs, deliver: collector.deliver)

        #expect(await loop.sweepOnce() == false)

        // The sweep failed on the account read itself, so the balance was never tried.
        #expect(!logs.lines.contains { $0.contains("retrying in an hour") })
        let failure = logs.lines.first { $0.contains("Refresh failed (attempt 1)") }
        #expect(failure?.contains("GET /account") == true)
        if case .unreachable(_, let failures, _, _) = await loop.currentHealth {
            #expect(failures == 1)
        } else {
            Issue.record("The loop is not unreachable after a refused account read")
        }
    }

    @Test func rejectedKeyStopsSweeping() async throws {
        var options = SimulatorOptions()
        options.fleet = .mix(iot: 5, travel: 0, payg: 0)
        options.speed = 0
        options.apiKey = "rsk_right_key"
        let server = try SimulatorServer.start(options: options)
        defer { server.stop() }
        let client = CitrusClient(configuration: CitrusClientConfiguration(
            baseURL: server.baseURL, apiKey: "rsk_wrong_key", requestTimeout: 10, requestsPerMinute: 6000))
        let collector = BatchCollector()
        let loop = RefreshLoop(
            client: client, interval: .milliseconds(50),
            backoff: RefreshBackoff(initial: 0.05, maximum: 0.05), deliver: collector.deliver)
        await loop.start()
        defer { Task { await loop.stop() } }

        try await collector.wait("the rejected key") { batches in
            batches.contains { $0.health == .keyRejected(host: "127.0.0.1", code: "INVALID_API_KEY") }
        }
        #expect(collector.batches.last?.refreshError == "API key rejected by 127.0.0.1 (INVALID_API_KEY). Check CITRUS_API_KEY or the key file.")
        // With a 50 ms backoff, a retrying loop would deliver several more failures by now.
        let delivered = collector.batches.count
        try await Task.sleep(for: .milliseconds(500))
        #expect(await loop.sweepOnce() == false)
        #expect(collector.batches.count == delivered)
        #expect(!collector.batches.contains { if case .unreachable? = $0.health { return true } else { return false } })
    }

    @Test func staleWhileUnreachable() async throws {
        let harness = try SimulatorHarness(iot: 20)
        defer { harness.stop() }
        let clock = ManualClock()
        let loop = RefreshLoop(client: harness.client, clock: clock.fleetClock, staleAfter: 120, deliver: { _ in })
        #expect(await loop.sweepOnce())

        harness.server.setFaults(FaultSettings(errorRate: 1))
        clock.advance(300)
        #expect(await loop.sweepOnce() == false)
        let store = await loop.storeSnapshot()
        let stale = store.select(try FleetQuery.parse("stale"), now: clock.fleetClock.now(), staleAfter: await loop.staleAfterSeconds)
        #expect(stale.count == 20)
        #expect(store.totals(now: clock.fleetClock.now(), staleAfter: 120).staleCount == 20)

        harness.server.setFaults(FaultSettings())
        #expect(await loop.sweepOnce())
        let fresh = await loop.storeSnapshot()
        #expect(fresh.select(try FleetQuery.parse("stale"), now: clock.fleetClock.now(), staleAfter: 120).isEmpty)
    }

    @Test func failedSweepResumesAtFailedPage() async throws {
        let harness = try SimulatorHarness(iot: 410)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: harness.client, deliver: collector.deliver)
        #expect(await loop.sweepOnce())
        collector.removeAll()

        harness.server.setFaults(FaultSettings(errorRate: 1))
        #expect(await loop.sweepOnce() == false)
        harness.server.setFaults(FaultSettings())
        #expect(await loop.sweepOnce())
        let pages = collector.batches.filter { $0.sweep != nil && $0.sweepCompletedAt == nil }
        #expect(pages.count == 3)
        #expect(collector.batches.last?.removed.isEmpty == true)
    }

    @Test func pacingFollowsTheBudget() async throws {
        // 300 requests per minute with a two-token bucket that keeps one token
        // for interactive requests: 400 SIMs take 2 pages and 1 balance read,
        // so the last two wait for a refill of 0.2 s each.
        let harness = try SimulatorHarness(iot: 400, budget: 300, burstSeconds: 0)
        defer { harness.stop() }
        let loop = RefreshLoop(client: harness.client, deliver: { _ in })
        let start = ContinuousClock.now
        #expect(await loop.sweepOnce())
        #expect(ContinuousClock.now - start >= .milliseconds(390))
    }

    @Test func selectedSIMDetailArrives() async throws {
        let harness = try SimulatorHarness(iot: 10)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: harness.client, detailInterval: .milliseconds(100), deliver: collector.deliver)
        #expect(await loop.sweepOnce())
        let iccid = try #require(collector.batches.flatMap(\.added).first?.iccid)

        await loop.select(iccid: iccid)
        try await collector.wait("two detail reads") { $0.filter { $0.detail?.iccid == iccid }.count >= 2 }
        await loop.select(iccid: nil)
        let detail = try #require(collector.batches.compactMap(\.detail).first)
        #expect(detail.lpaString != nil)
        await loop.stop()
    }
}
