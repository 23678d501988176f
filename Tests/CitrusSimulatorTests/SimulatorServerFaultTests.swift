@testable import CitrusSimulator
import Foundation
import Testing

/// Counts the requests that reached the handler, i.e. were applied.
final class AppliedRequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []

    func record(_ path: String) {
        lock.withLock { paths.append(path) }
    }

    var count: Int {
        lock.withLock { paths.count }
    }
}

/// A `SimulatorServer` whose handler records each request and returns a small JSON list.
private func makeFaultServer(_ faults: FaultSettings = FaultSettings(), log: LogCollector? = nil) throws -> (SimulatorServer, AppliedRequestCounter) {
    let counter = AppliedRequestCounter()
    var configuration = HTTPServerConfiguration()
    if let log {
        configuration.requestLog = { log.append($0.line) }
    }
    var options = SimulatorOptions()
    options.fleet = .empty
    let server = try SimulatorServer(
        simulator: Simulator(options: options),
        handler: { request in
            counter.record(request.path)
            return .json(200, #"{"esims":[{"iccid":"8910300000000000012","status":"active"}],"total":1,"limit":50,"offset":0}"#)
        },
        host: "127.0.0.1", port: 0, faults: faults, configuration: configuration)
    return (server, counter)
}

private let listPath = "/api/v2/reseller/esim/list"

@Suite struct SimulatorServerFaultTests {
    @Test func healthyServerAppliesAndResponds() throws {
        let (server, counter) = try makeFaultServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText(listPath))

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect((try? JSONSerialization.jsonObject(with: Data(response.body))) != nil)
        #expect(counter.count == 1)
    }

    @Test func errorFaultReturns500WithoutApplying() throws {
        let (server, counter) = try makeFaultServer(FaultSettings(errorRate: 1))
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("POST", "/api/v2/reseller/esim/8910300000000000012/fund", body: #"{"amount":10}"#))

        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.bodyText.contains(#""error":"INTERNAL_ERROR""#))
        #expect(counter.count == 0)
    }

    @Test func timeoutFaultAppliesThenHoldsThenCloses() throws {
        let (server, counter) = try makeFaultServer(FaultSettings(timeoutRate: 1, timeoutHoldMilliseconds: 1000))
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText(listPath))

        #expect(client.waitForEnding(timeout: 0.2) == .stillOpen)
        #expect(client.waitForEnding(timeout: 10) == .closed([]))
        #expect(counter.count == 1)
    }

    @Test func timeoutFaultEndsWhenClientGivesUp() throws {
        let log = LogCollector()
        let (server, counter) = try makeFaultServer(FaultSettings(timeoutRate: 1, timeoutHoldMilliseconds: 60_000), log: log)
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)
        try client.send(httpRequestText(listPath))
        #expect(client.waitForEnding(timeout: 0.2) == .stillOpen)

        client.close()

        // The hold lasts a minute, so a "held" entry within 10 s means the close ended it.
        let deadline = Date().addingTimeInterval(10)
        while !log.all.contains(where: { $0.contains(" held ") }) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(log.all.contains { $0.hasPrefix("GET \(listPath) held ") })
        #expect(counter.count == 1)
    }

    @Test func malformedFaultAppliesAndSendsBrokenJSON() throws {
        let (server, counter) = try makeFaultServer(FaultSettings(malformedRate: 1))
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText(listPath))

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect((try? JSONSerialization.jsonObject(with: Data(response.body))) == nil)
        #expect(response.bodyText.hasPrefix(#"{"esims":["#))
        #expect(counter.count == 1)
    }

    @Test func resetFaultAppliesThenResets() throws {
        let (server, counter) = try makeFaultServer(FaultSettings(resetRate: 1))
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText(listPath))

        #expect(client.waitForEnding() == .reset)
        #expect(counter.count == 1)
    }

    @Test func latencyDelaysResponse() throws {
        let (server, _) = try makeFaultServer(FaultSettings(latencyMinMilliseconds: 300, latencyMaxMilliseconds: 300))
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)
        let started = Date()

        try client.send(httpRequestText(listPath))

        #expect(try client.readResponse().status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.29)
    }

    @Test func faultsSkipControlPaths() throws {
        let (server, counter) = try makeFaultServer(FaultSettings(errorRate: 1))
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/_sim/faults") + httpRequestText("/_sim/clock"))

        #expect(try client.readResponse().status == 200)
        #expect(try client.readResponse().status == 200)
        #expect(counter.count == 1)
    }

    @Test func unknownPathGets404Envelope() throws {
        let (server, counter) = try makeFaultServer(FaultSettings(errorRate: 1))
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/api/v1/reseller/esim/list") + httpRequestText("/api/v2/resellerX"))

        for _ in 0..<2 {
            let response = try client.readResponse()
            #expect(response.status == 404)
            let envelope = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
            #expect(envelope?["error"] == "NOT_FOUND")
            #expect(envelope?["message"]?.contains("/api/v2/reseller") == true)
        }
        #expect(counter.count == 0)
    }

    @Test func faultsEndpointBreaksAndHealsAtRuntime() throws {
        let (server, counter) = try makeFaultServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText(listPath))
        #expect(try client.readResponse().status == 200)

        try client.send(httpRequestText("POST", "/_sim/faults", body: #"{"error_rate":1,"seed":5}"#))
        let setResponse = try client.readResponse()
        #expect(setResponse.status == 200)
        #expect(try JSONDecoder().decode(FaultSettings.self, from: Data(setResponse.body)) == FaultSettings(errorRate: 1, seed: 5))

        try client.send(httpRequestText(listPath))
        #expect(try client.readResponse().status == 500)

        try client.send(httpRequestText("PUT", "/_sim/faults", body: "{}"))
        #expect(try client.readResponse().status == 200)

        try client.send(httpRequestText(listPath))
        #expect(try client.readResponse().status == 200)
        #expect(counter.count == 2)
        // `{}` heals every fault but keeps the seed of the last POST.
        #expect(server.faults == FaultSettings(seed: 5))
    }

    @Test func faultsPostKeepsSeed() throws {
        let started = FaultSettings(latencyMinMilliseconds: 1, latencyMaxMilliseconds: 3, errorRate: 0.5, timeoutHoldMilliseconds: 500, seed: 7)
        let (server, _) = try makeFaultServer(started)
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("POST", "/_sim/faults", body: "{}"))
        let healed = try client.readResponse()
        #expect(healed.status == 200)
        #expect(try JSONDecoder().decode(FaultSettings.self, from: Data(healed.body)) == FaultSettings(seed: 7))

        try client.send(httpRequestText("POST", "/_sim/faults", body: #"{"reset_rate":0.25}"#))
        #expect(try client.readResponse().status == 200)
        #expect(server.faults == FaultSettings(resetRate: 0.25, seed: 7))

        try client.send(httpRequestText("GET", "/_sim/faults"))
        #expect(try client.readResponse().bodyText.contains(#""seed":7"#))
    }

    @Test func faultsEndpointReturnsCurrentSettings() throws {
        let faults = FaultSettings(latencyMinMilliseconds: 1, latencyMaxMilliseconds: 2, malformedRate: 0.25, seed: 9)
        let (server, _) = try makeFaultServer(faults)
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/_sim/faults"))

        let response = try client.readResponse()
        #expect(response.bodyText == #"{"error_rate":0,"latency_max_ms":2,"latency_min_ms":1,"malformed_rate":0.25,"reset_rate":0,"seed":9,"timeout_hold_ms":30000,"timeout_rate":0}"#)
    }

    @Test func faultsEndpointRejectsInvalidSettings() throws {
        let (server, _) = try makeFaultServer()
        defer { server.stop() }
        let cases: [(body: String, messagePart: String)] = [
            (#"{"error_rate":1.5}"#, "error rate 1.5 is not a probability"),
            (#"{"error_rate":0.6,"reset_rate":0.6}"#, "add up to"),
            (#"{"latency_min_ms":50,"latency_max_ms":10}"#, "latency range 50..10"),
            (#"{"error_rat":1}"#, "Unknown fault setting error_rat"),
            (#"{"error_rate":"high"}"#, "error_rate"),
            ("not json", "not a JSON object"),
        ]

        for (body, messagePart) in cases {
            let client = try LoopbackSocketClient(port: server.port)
            try client.send(httpRequestText("POST", "/_sim/faults", body: body))
            let response = try client.readResponse()
            #expect(response.status == 400, "\(body)")
            #expect(response.bodyText.contains(#""error":"VALIDATION_ERROR""#), "\(body)")
            #expect(response.bodyText.contains(messagePart), "\(body): \(response.bodyText)")
        }
        #expect(server.faults == FaultSettings())
    }

    @Test func faultsEndpointRejectsOtherMethods() throws {
        let (server, _) = try makeFaultServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("DELETE", "/_sim/faults"))

        let response = try client.readResponse()
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD, POST, PUT")
    }

    @Test func setFaultsChangesBehaviour() throws {
        let (server, _) = try makeFaultServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        server.setFaults(FaultSettings(errorRate: 1))
        try client.send(httpRequestText(listPath))

        #expect(try client.readResponse().status == 500)
        #expect(server.faults.errorRate == 1)
    }

    @Test func urlsNameLoopbackAndPort() throws {
        let (server, _) = try makeFaultServer()
        defer { server.stop() }

        #expect(server.baseURL.absoluteString == "http://127.0.0.1:\(server.port)/api/v2/reseller")
        #expect(server.rootURL.absoluteString == "http://127.0.0.1:\(server.port)")
        #expect(server.isLoopback)
        #expect(server.port != 0)
    }

    @Test func startRejectsInvalidFaults() {
        #expect(throws: FaultSettingsError.self) {
            try SimulatorServer.start(options: SimulatorOptions(), faults: FaultSettings(errorRate: -0.1))
        }
    }

    @Test func startServesTheSimulatorModel() throws {
        var options = SimulatorOptions()
        options.fleet = .empty
        let server = try SimulatorServer.start(options: options)
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText(listPath, headers: ["Authorization: Bearer rsk_test"]))

        let response = try client.readResponse()
        #expect(!response.bodyText.contains("No route for"))
        #expect(server.simulator.options.fleet == .empty)
    }
}

@Suite struct SimulatorServerFaultInjectorTests {
    private func faultSequence(_ settings: FaultSettings, count: Int = 200) -> [FaultInjector.Decision] {
        let injector = FaultInjector(settings: settings)
        return (0..<count).map { _ in injector.nextDecision() }
    }

    @Test func sameSeedGivesSameFaults() {
        let settings = FaultSettings(latencyMinMilliseconds: 0, latencyMaxMilliseconds: 100, errorRate: 0.2, timeoutRate: 0.2, malformedRate: 0.2, resetRate: 0.2, seed: 77)

        #expect(faultSequence(settings) == faultSequence(settings))
        var other = settings
        other.seed = 78
        #expect(faultSequence(settings) != faultSequence(other))
    }

    @Test func replacingSettingsRestartsSequence() {
        let settings = FaultSettings(errorRate: 0.5, seed: 3)
        let injector = FaultInjector(settings: settings)
        let first = (0..<50).map { _ in injector.nextDecision() }

        injector.replaceSettings(settings)

        #expect((0..<50).map { _ in injector.nextDecision() } == first)
    }

    @Test func ratesMatchFrequencies() {
        let decisions = faultSequence(FaultSettings(errorRate: 0.1, timeoutRate: 0.2, malformedRate: 0.3, resetRate: 0.15, seed: 11), count: 20_000)
        func share(_ fault: FaultInjector.Fault) -> Double {
            Double(decisions.filter { $0.fault == fault }.count) / Double(decisions.count)
        }

        #expect(abs(share(.error) - 0.1) < 0.02)
        #expect(abs(share(.timeout) - 0.2) < 0.02)
        #expect(abs(share(.malformed) - 0.3) < 0.02)
        #expect(abs(share(.reset) - 0.15) < 0.02)
        #expect(abs(share(.none) - 0.25) < 0.02)
    }

    @Test func latencyStaysInRange() {
        let decisions = faultSequence(FaultSettings(latencyMinMilliseconds: 20, latencyMaxMilliseconds: 40), count: 1000)
        let delays = Set(decisions.map(\.delay))

        #expect(delays.allSatisfy { $0 >= .milliseconds(20) })
        #expect(delays.allSatisfy { $0 <= .milliseconds(40) })
        #expect(delays.contains(.milliseconds(20)))
        #expect(delays.contains(.milliseconds(40)))
    }

    @Test func zeroRatesNeverFault() {
        #expect(faultSequence(FaultSettings()).allSatisfy { $0.fault == .none && $0.delay == .zero })
    }
}
