import CitrusAPI
import Foundation
import Testing

/// A caller's request id on every audit record of its mutation, and the
/// callback that reports a lost fund response before the read-back starts.
@Suite("Fund request id and lost response")
struct FundRequestIDTests {
    static let iccid = TransportFailureTests.iccid

    @Test("audit records share the caller's id")
    func fundUsesCallersRequestID() async throws {
        let server = try ScriptedHTTPServer { request in
            request.method == "POST" ? .json(200, Fixtures.fund) : TransportFailureTests.readBack(request)
        }
        defer { server.stop() }
        let audit = LockedList<AuditRecord>()
        let client = TransportFailureTests.client(server.baseURL, audit: audit)
        let id = UUID()

        _ = try await client.fund(iccid: Self.iccid, amount: .dollars(5), requestID: id)
        _ = try await client.enable(iccid: Self.iccid, requestID: id)

        #expect(audit.all.count == 4)
        #expect(audit.all.allSatisfy { $0.requestID == id })
    }

    @Test("lost response reported before read-back")
    func lostResponseIsReportedBeforeReadBack() async throws {
        let server = try ScriptedHTTPServer { request in
            request.method == "POST" ? .reset : TransportFailureTests.readBack(request)
        }
        defer { server.stop() }
        let audit = LockedList<AuditRecord>()
        let client = TransportFailureTests.client(server.baseURL, audit: audit)
        let requestsWhenLost = LockedList<Int>()
        let id = UUID()

        let outcome = try await client.fund(iccid: Self.iccid, amount: .dollars(7), requestID: id) { error in
            #expect(error.delivery == .maybeSent)
            requestsWhenLost.append(server.requests.count)
        }

        guard case .unknown(let unknown) = outcome else {
            Issue.record("expected an unknown outcome, got \(outcome)")
            return
        }
        #expect(unknown.esimAfter != nil)
        // Called once, when only the POST had reached the server. The two reads came after.
        #expect(requestsWhenLost.all == [1])
        #expect(server.requests.map(\.method) == ["POST", "GET", "GET"])
        #expect(audit.all.map(\.requestID) == [id, id])
        #expect(audit.all.last.map { if case .unknown = $0.phase { true } else { false } } == true)
    }

    @Test("refused fund skips the callback")
    func refusedFundDoesNotReportLoss() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let client = TransportFailureTests.client(refusing.baseURL)
        let calls = LockedList<Int>()
        await #expect(throws: CitrusError.self) {
            _ = try await client.fund(iccid: Self.iccid, amount: .dollars(5)) { _ in calls.append(1) }
        }
        #expect(calls.all.isEmpty)
    }
}

/// `stopSending`: what was handed to the network before it goes on, and
/// nothing leaves after it.
@Suite("Stop sending")
struct StopSendingTests {
    @Test("after stopSending nothing is sent")
    func stopSendingBlocksLaterRequests() async throws {
        let server = try ScriptedHTTPServer { _ in .json(200, Fixtures.esim) }
        defer { server.stop() }
        let client = TransportFailureTests.client(server.baseURL)
        let before = UUID()
        let after = UUID()

        _ = try await client.enable(iccid: TransportFailureTests.iccid, requestID: before)
        #expect(client.wasHandedToNetwork(requestID: before))

        client.stopSending()
        let error = await #expect(throws: CitrusError.self) {
            try await client.fund(iccid: TransportFailureTests.iccid, amount: .dollars(5), requestID: after)
        }
        #expect(error?.delivery == .notSent)
        #expect(error?.message.contains("the client has stopped sending") == true)
        #expect(!client.wasHandedToNetwork(requestID: after))
        #expect(server.requests.count == 1)
    }
}
