@testable import CitrusAPI
import CitrusSimulator
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A fund of $0. The client rejects it before sending. When one does reach
/// Citrus (`{"amount": 0}`), Citrus returns a 400 `VALIDATION_ERROR`, which the
/// client decodes.
@Suite("Zero fund")
struct ZeroFundTests {
    @Test("client rejects $0 without sending")
    func clientRejectsZero() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let esim = try await client.provision(label: "zero")
        try await harness.advanceClock(seconds: 10)

        let error = await #expect(throws: CitrusError.self) { try await client.fund(iccid: esim.iccid, amount: .zero) }
        guard case .invalidRequest(let message)? = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(message.contains("$0.00"))
        #expect(try await harness.ledgerFunds().isEmpty)
    }

    @Test("amount 0 over HTTP is 400 VALIDATION_ERROR")
    func zeroAmountIsValidationError() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let esim = try await client.provision(label: "zero")
        try await harness.advanceClock(seconds: 10)

        var request = URLRequest(url: harness.server.baseURL.appendingPathComponent("esim/\(esim.iccid)/fund"))
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"amount": 0}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(SimulatorHarness.key)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0

        let error = ErrorEnvelope.error(status: status, body: body, retryAfterHeader: nil, endpoint: "POST /esim/{iccid}/fund")
        #expect(error.httpStatus == 400)
        #expect(error.code == .validationError)
        #expect(try await harness.ledgerFunds().isEmpty)
    }
}
