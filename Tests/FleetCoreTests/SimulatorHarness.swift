import CitrusAPI
import CitrusSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import FleetCore

/// Collects delivered batches from any thread.
final class BatchCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [FleetChangeBatch] = []

    var deliver: RefreshLoop.Deliver {
        { [self] batch in lock.withLock { stored.append(batch) } }
    }

    var batches: [FleetChangeBatch] {
        lock.withLock { stored }
    }

    func removeAll() {
        lock.withLock { stored.removeAll() }
    }

    /// Polls until `condition` holds for the batches so far, or fails after `timeout` seconds.
    func wait(timeout: Double = 20, _ what: String, until condition: ([FleetChangeBatch]) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(batches) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("timed out after \(timeout) s waiting for \(what); \(batches.count) batches arrived")
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A simulator on 127.0.0.1 with a stopped clock, and a client for it.
struct SimulatorHarness {
    let server: SimulatorServer
    let client: CitrusClient

    /// - Parameters:
    ///   - iot: SIMs in the generated fleet.
    ///   - budget: the client's requests per minute.
    init(iot: Int, budget: Int = 6000, burstSeconds: Double = 5, retry: RetryPolicy = .none, audit: CitrusAuditSink? = nil) throws {
        var options = SimulatorOptions()
        options.fleet = .mix(iot: iot, travel: 0, payg: 0)
        options.speed = 0
        options.rateLimitPerMinute = 100_000
        options.startDate = testEpoch
        options.backgroundTickSeconds = 0
        server = try SimulatorServer.start(options: options)
        let configuration = CitrusClientConfiguration(
            baseURL: server.baseURL, apiKey: "rsk_test_fleetcore", requestTimeout: 10,
            requestsPerMinute: budget, burstSeconds: burstSeconds, retryPolicy: retry)
        client = CitrusClient(configuration: configuration, audit: audit)
    }

    /// Moves the simulated clock forward.
    func advance(seconds: Int) async throws {
        var request = URLRequest(url: server.rootURL.appendingPathComponent("_sim/clock"))
        request.httpMethod = "POST"
        request.httpBody = Data("{\"advance_seconds\":\(seconds)}".utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw HarnessError("POST /_sim/clock failed: \(response)")
        }
    }

    func stop() {
        server.stop()
    }
}

/// A clock that tests move by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = testEpoch) {
        current = start
    }

    var fleetClock: FleetClock {
        FleetClock { [self] in lock.withLock { current } }
    }

    func advance(_ seconds: Double) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}
