import CitrusAPI
import CitrusSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import FleetCore

/// Burn rates of the demo fleet's travelers, read from the simulator over
/// loopback. Travelers change their usage rate every simulated hour, and
/// some run their wallets down to $0.
@Suite(.serialized) struct BurnRateSimulatorTests {
    @Test func travelerRateFollowsRecentDrain() async throws {
        let demo = try DemoRun()
        defer { demo.stop() }
        let label = "PAYG - Lucas Martin"
        var previous: [Int64] = []
        var estimates = 0
        var zeroReadings = 0

        for step in 0..<48 {
            let store = try await demo.sweep(advancing: step == 0 ? 0 : 600)
            let handle = try #require(store.handles.first { store.row($0).label == label })
            let row = store.row(handle)
            let wallet = try #require(row.walletBalance).cents
            previous.append(wallet)

            if wallet == 0 {
                // The first reading at $0 leaves the drain's line, so it may still be unknown.
                zeroReadings += 1
                #expect(row.metrics.burnRate.centsPerHour == nil, "\(label) at $0.00 after \(step * 600) s")
                if zeroReadings >= 2 {
                    #expect(row.metrics.burnRate == .notDraining, "\(label) at $0.00 after \(step * 600) s")
                }
            }
            // The drop over the last 20 minutes, in cents per hour.
            guard previous.count >= 3, case .estimated(let rate, let margin) = row.metrics.burnRate else { continue }
            estimates += 1
            let recent = Double(previous[previous.count - 3] - wallet) * 3
            #expect(abs(rate - recent) <= margin + 30, "\(label) after \(step * 600) s: \(rate) ¢/h, last 20 min \(recent) ¢/h")
        }
        #expect(estimates >= 10)
        #expect(zeroReadings >= 2)
    }

    @Test func depletedSIMsLeaveTheSpend() async throws {
        let demo = try DemoRun()
        defer { demo.stop() }
        var store = try await demo.sweep(advancing: 0)
        for _ in 0..<40 {
            store = try await demo.sweep(advancing: 600)
        }
        let depleted = store.handles.filter { store.row($0).status == .active && store.row($0).walletBalance == .zero }
        #expect(depleted.count >= 2)
        for handle in depleted {
            #expect(store.metrics(handle).burnRate == .notDraining, "\(store.row(handle).label ?? "")")
        }

        var expected = 0.0
        for handle in store.handles where store.row(handle).status == .active {
            expected += store.metrics(handle).burnRate.centsPerHour ?? 0
        }
        let totals = store.totals(now: demo.clock.fleetClock.now(), staleAfter: 86_400)
        #expect(abs(totals.spendCentsPerHour - expected) < 1)
    }

    @Test func sweepsFiftyMinutesApartGiveRates() async throws {
        // `--speed 300` with 10 s sweeps: readings 50 simulated minutes apart.
        let demo = try DemoRun()
        defer { demo.stop() }
        var store = try await demo.sweep(advancing: 0)
        for _ in 0..<3 {
            store = try await demo.sweep(advancing: 3000)
        }
        let active = store.handles.filter { store.row($0).status == .active && store.row($0).walletBalance != nil }
        let unknown = active.filter { store.metrics($0).burnRate == .unknown }
        #expect(active.count > 100)
        #expect(unknown.count < active.count / 2, "\(unknown.count) of \(active.count) active SIMs have no rate")
    }
}

/// The demo fleet on a stopped simulator clock, swept by a refresh loop.
private struct DemoRun {
    let server: SimulatorServer
    let loop: RefreshLoop
    let clock = ManualClock()

    init() throws {
        var options = SimulatorOptions()
        options.fleet = .demo
        options.speed = 0
        options.rateLimitPerMinute = 100_000
        options.startDate = testEpoch
        options.backgroundTickSeconds = 0
        server = try SimulatorServer.start(options: options)
        let client = CitrusClient(configuration: CitrusClientConfiguration(
            baseURL: server.baseURL, apiKey: "rsk_test_fleetcore", requestTimeout: 10, requestsPerMinute: 6000))
        loop = RefreshLoop(client: client, clock: clock.fleetClock, deliver: { _ in })
    }

    /// Moves both clocks forward by `seconds`, sweeps, and returns the loop's store.
    func sweep(advancing seconds: Int) async throws -> FleetStore {
        if seconds > 0 {
            var request = URLRequest(url: server.rootURL.appendingPathComponent("_sim/clock"))
            request.httpMethod = "POST"
            request.httpBody = Data("{\"advance_seconds\":\(seconds)}".utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let (_, response) = try await URLSession.shared.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                throw HarnessError("POST /_sim/clock failed: \(response)")
            }
            clock.advance(Double(seconds))
        }
        guard await loop.sweepOnce() else { throw HarnessError("a sweep failed") }
        return await loop.storeSnapshot()
    }

    func stop() {
        server.stop()
    }
}
