import CitrusAPI
import CitrusSimulator
import Foundation
import Testing

/// The API key never appears in a log line, an error, an audit record or a
/// reflected value, even when a server echoes it back in every failure.
@Suite("API key leaks")
struct KeyLeakTests {
    static let key = "rsk_leakcheck_" + String(repeating: "Zq9", count: 18)

    /// Everything a failure can leave behind, as text.
    private final class Evidence: @unchecked Sendable {
        let texts = LockedList<String>()

        func add(_ value: Any) {
            texts.append(String(describing: value))
            texts.append(String(reflecting: value))
            var dumped = ""
            dump(value, to: &dumped)
            texts.append(dumped)
            if let error = value as? any Error {
                texts.append(error.localizedDescription)
            }
        }
    }

    /// Runs every call once, keeping each result or error as evidence.
    private func exercise(_ client: CitrusClient, evidence: Evidence) async {
        let iccid = "8910300000000000012"
        func record<T>(_ operation: () async throws -> T) async {
            do {
                evidence.add(try await operation())
            } catch {
                evidence.add(error)
            }
        }
        await record { try await client.provision(label: "leak") }
        await record { try await client.esim(iccid: iccid) }
        await record { try await client.listESIMs() }
        await record { try await client.fund(iccid: iccid, amount: .dollars(5)) }
        await record { try await client.enable(iccid: iccid) }
        await record { try await client.disable(iccid: iccid) }
        await record { try await client.throttle(iccid: iccid, speed: .kbps100) }
        await record { try await client.defund(iccid: iccid) }
        await record { try await client.terminate(iccid: iccid) }
        await record { try await client.walletBalance() }
        await record { try await client.account() }
        await record { try await client.rates(country: "JP") }
        await record { try await client.webhooks() }
        await record { try await client.createWebhook(url: URL(string: "https://hooks.example.com/x")!, events: ["*"]) }
        await record { try await client.deleteWebhook(id: "wh_1") }
        evidence.add(client)
        evidence.add(client.configuration)
        evidence.add(await client.budgetState())
    }

    private func assertNoKey(_ evidence: Evidence, logs: RecordingLogSink, audit: LockedList<AuditRecord>, sourceLocation: SourceLocation = #_sourceLocation) {
        var texts = evidence.texts.all + logs.lines.all
        for record in audit.all {
            texts.append(String(describing: record))
            var dumped = ""
            dump(record, to: &dumped)
            texts.append(dumped)
        }
        #expect(texts.count > 50, sourceLocation: sourceLocation)
        #expect(!logs.lines.all.isEmpty, sourceLocation: sourceLocation)
        #expect(!audit.all.isEmpty, sourceLocation: sourceLocation)
        // The whole key and its distinctive tail, in case a message is cut.
        let tail = String(Self.key.suffix(24))
        let leaks = texts.filter { $0.contains(Self.key) || $0.contains(tail) }
        #expect(leaks.isEmpty, "key found in: \(leaks.prefix(3).map { String($0.prefix(300)) })", sourceLocation: sourceLocation)
    }

    @Test("a server echoing the key in every failure leaks nothing")
    func echoingServer() async throws {
        let calls = LockedList<Int>()
        let server = try ScriptedHTTPServer { request in
            calls.append(1)
            let echoed = request.headers["authorization"] ?? ""
            switch calls.count % 5 {
            case 0: return .reset
            case 1: return .json(401, #"{"error":"INVALID_API_KEY","message":"Key \#(echoed) is not valid"}"#, headers: ["X-Echo": echoed])
            case 2: return .json(500, "Internal error for \(echoed)")
            case 3: return .json(429, #"{"error":"RATE_LIMITED","detail":"\#(echoed)"}"#, headers: ["Retry-After": "0"])
            default: return .json(200, #"{"iccid":"\#(echoed)"#)
            }
        }
        defer { server.stop() }
        let evidence = Evidence()
        let logs = RecordingLogSink()
        let audit = LockedList<AuditRecord>()
        let configuration = CitrusClientConfiguration(baseURL: server.baseURL, apiKey: Self.key, requestTimeout: 2,
                                                      requestsPerMinute: 60_000, retryPolicy: TransportFailureTests.fastRetries)
        let client = CitrusClient(configuration: configuration, audit: { audit.append($0) }, logger: logs)
        await exercise(client, evidence: evidence)
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.key)" })
        assertNoKey(evidence, logs: logs, audit: audit)
    }

    @Test("failures against the simulator with a wrong key and faults leak nothing")
    func simulatorFailures() async throws {
        let harness = try SimulatorHarness { $0.apiKey = SimulatorHarness.key }
        harness.server.setFaults(FaultSettings(errorRate: 0.2, timeoutRate: 0.2, malformedRate: 0.2, resetRate: 0.2,
                                               timeoutHoldMilliseconds: 500, seed: 3))
        let evidence = Evidence()
        let logs = RecordingLogSink()
        let audit = LockedList<AuditRecord>()
        let client = harness.client(key: Self.key, timeout: 0.3, audit: { audit.append($0) }, logger: logs)
        await exercise(client, evidence: evidence)
        assertNoKey(evidence, logs: logs, audit: audit)
    }

    @Test("an invalid configuration's errors do not quote the key")
    func invalidConfiguration() async throws {
        let badKey = Self.key + " trailing"
        let configuration = CitrusClientConfiguration(baseURL: URL(string: "http://citrusmobile.com/api")!, apiKey: badKey)
        let evidence = Evidence()
        do {
            _ = try CitrusClient(validating: configuration)
        } catch {
            evidence.add(error)
        }
        let client = CitrusClient(configuration: CitrusClientConfiguration(baseURL: citrusProductionBaseURL, apiKey: badKey))
        do {
            _ = try await client.walletBalance()
        } catch {
            evidence.add(error)
        }
        evidence.add(client)
        let tail = String(Self.key.suffix(24))
        #expect(evidence.texts.all.allSatisfy { !$0.contains(tail) })
    }
}
