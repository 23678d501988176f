import CitrusAPI
import Foundation
import Testing
@testable import FleetCore

@Suite struct RefreshSupportTests {
    @Test func backoffDoublesToMaximum() {
        let backoff = RefreshBackoff(initial: 1, maximum: 60)
        #expect(backoff.delay(afterFailures: 1) == 1)
        #expect(backoff.delay(afterFailures: 2) == 2)
        #expect(backoff.delay(afterFailures: 6) == 32)
        #expect(backoff.delay(afterFailures: 7) == 60)
        #expect(backoff.delay(afterFailures: 1000) == 60)
    }

    @Test func unreachableHealthSentence() {
        let since = Date(timeIntervalSince1970: 0)
        let health = RefreshHealth.unreachable(since: since, failures: 3, lastError: "connection refused", nextRetryAt: since.addingTimeInterval(8))
        let text = health.formatted(now: since)
        #expect(text.hasPrefix("API unreachable since "))
        #expect(text.hasSuffix("(3 failures, next retry in 8 s): connection refused"))
        #expect(health.unreachableSince == since)
        #expect(RefreshHealth.healthy.unreachableSince == nil)
    }

    @Test func scaledClockRunsFaster() async throws {
        let origin = Date(timeIntervalSince1970: 1_000)
        let clock = FleetClock.scaled(speed: 60, origin: origin)
        try await Task.sleep(for: .milliseconds(200))
        let elapsed = clock.now().timeIntervalSince(origin)
        // At least 0.2 real seconds passed, so at least 12 simulated seconds.
        #expect(elapsed >= 12)
    }

    @Test func clocksReportTheirRate() {
        #expect(FleetClock.system.rate == 1)
        #expect(FleetClock.scaled(speed: 60).rate == 60)
        #expect(FleetClock { Date() }.rate == nil)
    }

    @Test func staleThresholdFollowsScaledClockFromStart() async throws {
        let client = CitrusClient(configuration: CitrusClientConfiguration(
            baseURL: URL(string: "http://127.0.0.1:9/api/v2/reseller")!, apiKey: "rsk_test_stale"))
        let loop = RefreshLoop(client: client, interval: .seconds(10), clock: .scaled(speed: 60), deliver: { _ in })

        // Two refresh intervals of 10 real seconds at 60 simulated seconds each.
        #expect(await loop.staleAfterSeconds == 1_200)
    }

    @Test func batchMergeKeepsOrderAndLatestValues() {
        var batch = FleetChangeBatch(added: [testESIM(1)], observedAt: at(0))
        batch.merge(FleetChangeBatch(added: [testESIM(2)], removed: [testICCID(3)], observedAt: at(5)))
        #expect(batch.added.map(\.iccid) == [testICCID(1), testICCID(2)])
        #expect(batch.removed == [testICCID(3)])
        #expect(batch.observedAt == at(5))
        #expect(!batch.isEmpty)
        #expect(FleetChangeBatch().isEmpty)
    }
}
