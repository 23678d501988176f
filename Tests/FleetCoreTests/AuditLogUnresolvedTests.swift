import CitrusAPI
import Foundation
import Testing
@testable import FleetCore

/// Funds of unknown outcome read back from the audit log at start.
@Suite struct AuditLogUnresolvedTests {
    static let first = "8910300000000000012"
    static let second = "8910300000000000020"

    func line(_ requestID: String, _ iccid: String, _ outcome: String, amount: String = "3.00") -> String {
        #"{"time":"2026-12-04T19:46:09Z","request_id":"\#(requestID)","action":"fund","iccid":"\#(iccid)","amount":"\#(amount)","outcome":"\#(outcome)"}"#
    }

    @Test func unknownFundIsUnresolved() {
        let text = [line("a", Self.first, "sending"), line("a", Self.first, "unknown")].joined(separator: "\n")
        #expect(AuditLog.unresolvedFunds(inLines: Substring(text)) == [Self.first: .dollars(3)])
    }

    @Test func sendingWithoutOutcomeIsUnresolved() {
        // The program was killed after the request went out.
        let text = line("a", Self.first, "sending", amount: "7.50")
        #expect(AuditLog.unresolvedFunds(inLines: Substring(text)) == [Self.first: Money(cents: 750)])
    }

    @Test func appliedOrFailedFundsAreSettled() {
        let text = [
            line("a", Self.first, "sending"), line("a", Self.first, "applied"),
            line("b", Self.second, "sending"), line("b", Self.second, "failed"),
        ].joined(separator: "\n")
        #expect(AuditLog.unresolvedFunds(inLines: Substring(text)).isEmpty)
    }

    @Test func laterAppliedFundSettlesUnknown() {
        let text = [
            line("a", Self.first, "sending"), line("a", Self.first, "unknown"),
            line("b", Self.first, "sending"), line("b", Self.first, "applied"),
            line("c", Self.second, "sending"), line("c", Self.second, "unknown"),
        ].joined(separator: "\n")
        #expect(AuditLog.unresolvedFunds(inLines: Substring(text)) == [Self.second: .dollars(3)])
    }

    @Test func otherActionsAndBrokenLinesAreSkipped() {
        let text = [
            "not json", "{\"action\":\"fund\"}",
            #"{"time":"t","request_id":"d","action":"disable","iccid":"\#(Self.first)","outcome":"unknown"}"#,
        ].joined(separator: "\n")
        #expect(AuditLog.unresolvedFunds(inLines: Substring(text)).isEmpty)
    }

    @Test func readsTheFileTail() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("audit-tail-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let old = line("a", Self.second, "unknown")
        let recent = line("b", Self.first, "unknown")
        try (old + "\n" + recent + "\n").write(to: url, atomically: true, encoding: .utf8)

        #expect(AuditLog.unresolvedFunds(at: url) == [Self.first: .dollars(3), Self.second: .dollars(3)])
        // A tail that starts inside the first line drops that line only.
        #expect(AuditLog.unresolvedFunds(at: url, maximumBytes: recent.utf8.count + 10) == [Self.first: .dollars(3)])
        #expect(AuditLog.unresolvedFunds(at: url.appendingPathExtension("missing")).isEmpty)
    }
}
