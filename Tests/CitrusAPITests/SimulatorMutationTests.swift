import CitrusAPI
import CitrusSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Mutations of real citrus-sim responses, not only of hand-written fixtures.
@Suite("Mutated simulator responses")
struct SimulatorMutationTests {
    /// Fetches one API response body as the simulator serves it.
    private func fetch(_ harness: SimulatorHarness, _ method: String, _ path: String, body: String? = nil) async throws -> Data {
        var request = URLRequest(url: harness.server.baseURL.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("Bearer \(SimulatorHarness.key)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return try await URLSession.shared.data(for: request).0
    }

    @Test("3,000 mutations of real responses never crash a decoder")
    func realResponses() async throws {
        let harness = try SimulatorHarness { $0.fleet = .mix(iot: 3, travel: 2, payg: 2) }
        let client = harness.client()
        let iccid = try #require(try await client.listESIMs().esims.first?.iccid)

        var bodies: [Data] = []
        bodies.append(try await fetch(harness, "GET", "esim/\(iccid)"))
        bodies.append(try await fetch(harness, "GET", "esim/list"))
        bodies.append(try await fetch(harness, "POST", "esim/\(iccid)/fund", body: #"{"amount":12.5}"#))
        bodies.append(try await fetch(harness, "GET", "wallet/balance"))
        bodies.append(try await fetch(harness, "GET", "account"))
        bodies.append(try await fetch(harness, "GET", "rates", body: nil))
        bodies.append(try await fetch(harness, "POST", "webhooks", body: #"{"url":"http://127.0.0.1:9/h","events":["*"]}"#))
        bodies.append(try await fetch(harness, "GET", "webhooks"))
        bodies.append(try await fetch(harness, "GET", "esim/8910300000000000012"))
        #expect(bodies.allSatisfy { !$0.isEmpty })

        var mutator = JSONMutator(random: SeededGenerator(state: 4_242))
        var mutated: [Data] = []
        for body in bodies {
            let text = String(decoding: body, as: UTF8.self)
            for _ in 0..<334 { mutated.append(mutator.mutate(text)) }
        }
        #expect(mutated.count >= 3_000)
        let (succeeded, failed) = await MutationFuzzTests.decodeAll(mutated)
        #expect(succeeded > 500)
        #expect(failed > 500)
    }
}
