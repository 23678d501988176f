import CitrusAPI
import Foundation
import Testing
@testable import FleetCore

@Suite struct FleetEventTests {
    /// Applies readings of SIM 1 one after another and returns every event.
    func events(_ readings: [ESIM]) -> [FleetEvent] {
        var store = FleetStore(epoch: testEpoch)
        var events: [FleetEvent] = []
        for (step, esim) in readings.enumerated() {
            events += store.applyPage([esim], observedAt: at(Double(step * 60))).events
        }
        return events
    }

    @Test func firstReadingIsBaselineOnly() {
        #expect(events([testESIM(1, walletCents: 0)]).isEmpty)
        #expect(events([testESIM(1, walletCents: 300)]).isEmpty)
    }

    @Test func activatedFromPending() {
        let kinds = events([
            testESIM(1, status: .pending, walletCents: 1000, activatedAt: nil),
            testESIM(1, status: .active, walletCents: 1000, activatedAt: at(30)),
        ]).map(\.kind)
        #expect(kinds == [.activated])
    }

    @Test func activatedAtAppearingFiresOnce() {
        let kinds = events([
            testESIM(1, walletCents: 1000, activatedAt: nil),
            testESIM(1, walletCents: 1000, activatedAt: at(30)),
            testESIM(1, walletCents: 1000, activatedAt: at(30)),
        ]).map(\.kind)
        #expect(kinds == [.activated])
    }

    @Test func balanceLowOncePerCrossing() {
        let result = events([
            testESIM(1, walletCents: 600),
            testESIM(1, walletCents: 499),
            testESIM(1, walletCents: 450),
            testESIM(1, walletCents: 400),
        ])
        #expect(result.map(\.kind) == [.balanceLow])
        #expect(result.first?.before == Money(cents: 600))
        #expect(result.first?.after == Money(cents: 499))
        #expect(result.first?.iccid == testICCID(1))
        #expect(result.first?.time == at(60))
    }

    @Test func balanceLowAgainAfterFund() {
        let kinds = events([
            testESIM(1, walletCents: 600),
            testESIM(1, walletCents: 450),
            testESIM(1, walletCents: 2450),
            testESIM(1, walletCents: 480),
        ]).map(\.kind)
        #expect(kinds == [.balanceLow, .funded, .balanceLow])
    }

    @Test func displayNoiseAtTheMarkDoesNotRefire() {
        let kinds = events([
            testESIM(1, walletCents: 501),
            testESIM(1, walletCents: 499),
            testESIM(1, walletCents: 500),
            testESIM(1, walletCents: 499),
        ]).map(\.kind)
        #expect(kinds == [.balanceLow])
    }

    @Test func depletedAtZero() {
        let kinds = events([
            testESIM(1, walletCents: 100),
            testESIM(1, walletCents: 0),
            testESIM(1, walletCents: 0),
        ]).map(\.kind)
        #expect(kinds == [.depleted])
    }

    @Test func dropFromHighToZeroFiresLowAndDepleted() {
        let kinds = events([testESIM(1, walletCents: 900), testESIM(1, walletCents: 0)]).map(\.kind)
        #expect(kinds == [.balanceLow, .depleted])
    }

    @Test func suspendResumeTerminate() {
        let kinds = events([
            testESIM(1, status: .active),
            testESIM(1, status: .suspended),
            testESIM(1, status: .active),
            testESIM(1, status: .terminated),
        ]).map(\.kind)
        #expect(kinds == [.suspended, .resumed, .terminated])
    }

    @Test func fundedCarriesAmount() throws {
        let event = try #require(events([testESIM(1, walletCents: 300), testESIM(1, walletCents: 2299)]).first)
        #expect(event.kind == .funded)
        #expect(event.amount == Money(cents: 1999))
        #expect(event.message == "\(testICCID(1)) (sim-1) funded +$19.99. Wallet $22.99.")
        #expect(event.summary == "Funded +$19.99. Wallet $22.99.")
    }

    @Test func summaryLeavesOutTheSIM() {
        let low = FleetEvent(kind: .balanceLow, time: at(0), iccid: testICCID(1), label: "sim-1", after: Money(cents: 499))
        let gone = FleetEvent(kind: .gone, time: at(0), iccid: testICCID(1), label: "sim-1")
        #expect(low.summary == "Wallet is low: $4.99.")
        #expect(gone.summary == "Gone: missing from a complete sweep.")
    }

    @Test func resellerBalanceLowOnce() {
        var store = FleetStore(epoch: testEpoch)
        var kinds: [FleetEvent.Kind] = []
        for (step, cents) in [10_000, 4_000, 3_000, 9_000, 2_000].enumerated() {
            kinds += store.recordResellerBalance(ResellerBalance(balance: Money(cents: Int64(cents))), at: at(Double(step))).map(\.kind)
        }
        #expect(kinds == [.resellerBalanceLow, .resellerBalanceLow])
    }

    @Test func eventJSONRoundTrips() throws {
        let event = FleetEvent(kind: .funded, time: testEpoch, iccid: testICCID(1), label: "a\"b", before: Money(cents: 300), after: Money(cents: 2300))
        let data = try JSONEncoder().encode(event)
        let decoded = try JSONDecoder().decode(FleetEvent.self, from: data)
        #expect(decoded == event)
    }
}

@Suite struct EventLogTests {
    func event(_ second: Double, _ kind: FleetEvent.Kind = .funded) -> FleetEvent {
        FleetEvent(kind: kind, time: at(second), iccid: testICCID(1), after: .dollars(1))
    }

    @Test func keepsOnlyCapacity() throws {
        let log = try EventLog(capacity: 3)
        log.append((0..<5).map { event(Double($0)) })
        #expect(log.events.map(\.time) == [at(2), at(3), at(4)])
        #expect(log.totalAppended == 5)
        #expect(log.recent(2).map(\.time) == [at(4), at(3)])
    }

    @Test func dropsDuplicates() throws {
        let log = try EventLog(capacity: 10)
        log.append([event(1)])
        let kept = log.append([event(1), event(2)])
        #expect(kept == [event(2)])
        #expect(log.events.count == 2)
    }

    @Test func appendsJSONLinesToFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("events.jsonl")
        let log = try EventLog(capacity: 10, fileURL: url)
        log.append([event(1), event(2, .depleted)])
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let decoded = try JSONDecoder().decode(FleetEvent.self, from: Data(lines[1].utf8))
        #expect(decoded.kind == .depleted)
        #expect(lines[0].contains("\"event\":\"funded\""))
    }
}
