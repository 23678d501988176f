import CitrusAPI
import CitrusSimulator
import Foundation
import Testing
@testable import FleetCore

/// Collects log lines from any thread.
final class LogCollector: CitrusLogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func log(_ level: CitrusLogLevel, _ message: String) {
        lock.withLock { stored.append("\(level) \(message)") }
    }

    var lines: [String] {
        lock.withLock { stored }
    }
}

/// The refresh loop never cancels a request in flight, because cancelling a
/// URLSession task while its response completes can deadlock inside
/// FoundationNetworking on Linux. Each test delays every response in the
/// simulator by `latencyMilliseconds`. It changes the selection or stops the
/// loop while a request waits, and checks that the client logged no
/// cancellation, because a cancelled GET would be logged as a retry after a
/// cancelled request.
@Suite(.serialized) struct RefreshLoopCancellationTests {
    static let latencyMilliseconds = 600

    /// Returns a simulator whose responses all wait `latencyMilliseconds`, a
    /// client that retries GETs and logs into `log`, and the fleet's ICCIDs.
    private func slowHarness(log: LogCollector) async throws -> (SimulatorHarness, CitrusClient, [String]) {
        let harness = try SimulatorHarness(iot: 5)
        let iccids = try await harness.client.listESIMs(limit: 5, offset: 0, lane: .background).esims.map(\.iccid)
        harness.server.setFaults(FaultSettings(
            latencyMinMilliseconds: Self.latencyMilliseconds, latencyMaxMilliseconds: Self.latencyMilliseconds))
        let configuration = CitrusClientConfiguration(
            baseURL: harness.server.baseURL, apiKey: "rsk_test_cancel", requestTimeout: 10,
            requestsPerMinute: 6000, retryPolicy: .standard)
        return (harness, CitrusClient(configuration: configuration, logger: log), iccids)
    }

    /// Waits until the request sent at most 200 ms ago has had time to
    /// complete, so a cancellation would have been logged.
    private func waitForRequestsInFlight() async throws {
        try await Task.sleep(for: .milliseconds(Self.latencyMilliseconds + 900))
    }

    private func cancellations(in log: LogCollector) -> [String] {
        log.lines.filter { $0.lowercased().contains("cancel") }
    }

    @Test func selectingAnotherSIMLetsDetailReadFinish() async throws {
        let log = LogCollector()
        let (harness, client, iccids) = try await slowHarness(log: log)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: client, detailInterval: .seconds(60), logger: log, deliver: collector.deliver)
        let first = iccids[0]
        let second = iccids[1]

        await loop.select(iccid: first)
        try await Task.sleep(for: .milliseconds(200))
        await loop.select(iccid: second)
        try await collector.wait("the second SIM's detail") { $0.contains { $0.detail?.iccid == second } }
        try await waitForRequestsInFlight()
        await loop.select(iccid: nil)

        #expect(cancellations(in: log) == [])
        // The first read finished after the selection moved on; its result is dropped.
        #expect(!collector.batches.contains { $0.detail?.iccid == first })
    }

    @Test func closingDetailLetsReadFinish() async throws {
        let log = LogCollector()
        let (harness, client, iccids) = try await slowHarness(log: log)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: client, detailInterval: .seconds(60), logger: log, deliver: collector.deliver)
        let iccid = iccids[0]

        await loop.select(iccid: iccid)
        try await Task.sleep(for: .milliseconds(200))
        await loop.select(iccid: nil)
        try await waitForRequestsInFlight()

        #expect(cancellations(in: log) == [])
        #expect(!collector.batches.contains { $0.detail != nil })
        #expect(!log.lines.contains { $0.contains("Detail read failed") })
    }

    @Test func stopLetsSweepRequestFinish() async throws {
        let log = LogCollector()
        let (harness, client, _) = try await slowHarness(log: log)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: client, logger: log, deliver: collector.deliver)

        await loop.start()
        try await Task.sleep(for: .milliseconds(200))
        await loop.stop()
        try await waitForRequestsInFlight()

        #expect(cancellations(in: log) == [])
        #expect(!log.lines.contains { $0.contains("failed") })
        #expect(await loop.currentHealth == .healthy)
    }

    @Test func stoppedLoopPublishesNothingMore() async throws {
        let log = LogCollector()
        let (harness, client, _) = try await slowHarness(log: log)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: client, logger: log, deliver: collector.deliver)

        await loop.start()
        try await Task.sleep(for: .milliseconds(200))
        await loop.stop()
        let published = collector.batches.count
        try await waitForRequestsInFlight()

        // The account read in flight finished, and its result was dropped.
        #expect(collector.batches.count == published)
    }
}
