import CitrusAPI
import CitrusSimulator
import Foundation
import Testing
@testable import FleetCore

@Suite(.serialized) struct FleetOperationsTests {
    func temporaryAuditURL() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetcore-audit-\(UUID().uuidString)")
            .appendingPathComponent("audit.jsonl")
    }

    @Test func disableIsAuditedAndReachesTheStore() async throws {
        let url = temporaryAuditURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let audit = try AuditLog(url: url)
        let harness = try SimulatorHarness(iot: 5, audit: audit.sink)
        defer { harness.stop() }
        let collector = BatchCollector()
        let loop = RefreshLoop(client: harness.client, deliver: collector.deliver)
        #expect(await loop.sweepOnce())
        let iccid = try #require(collector.batches.flatMap(\.added).first { $0.status == .active }?.iccid)

        let operations = FleetOperations(client: harness.client, refreshLoop: loop)
        let report = await operations.disable(iccid: iccid)
        #expect(report.outcome == .succeeded)
        #expect(report.esim?.status == .suspended)

        let store = await loop.storeSnapshot()
        #expect(store.row(iccid: iccid)?.status == .suspended)
        #expect(collector.batches.flatMap(\.events).contains { $0.kind == .suspended && $0.iccid == iccid })

        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["action"] as? String == "disable")
        #expect(first?["iccid"] as? String == iccid)
        #expect(first?["outcome"] as? String == "sending")
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(second?["outcome"] as? String == "applied")
        #expect(!lines.joined().contains("rsk_"))
    }

    @Test func fundFailureRecordsErrorCode() async throws {
        let url = temporaryAuditURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let audit = try AuditLog(url: url)
        let harness = try SimulatorHarness(iot: 1, audit: audit.sink)
        defer { harness.stop() }
        let operations = FleetOperations(client: harness.client)

        let report = await operations.fund(iccid: "8910300000000000006", amount: .dollars(5))
        #expect(report.outcome == .failed)
        #expect(report.errorCode == "ESIM_NOT_FOUND")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"amount\":\"5.00\""))
        #expect(lines[1].contains("\"error_code\":\"ESIM_NOT_FOUND\""))
        #expect(lines[1].contains("\"http_status\":404"))
    }

    @Test func topUpFundsTheDifference() async throws {
        let harness = try SimulatorHarness(iot: 3)
        defer { harness.stop() }
        let page = try await harness.client.listESIMs()
        let esim = try #require(page.esims.first { $0.walletBalance != nil && $0.status == .active })
        let wallet = try #require(esim.walletBalance)
        let operations = FleetOperations(client: harness.client)

        let report = await operations.topUp(iccid: esim.iccid, currentWallet: wallet, target: wallet + .dollars(9))
        #expect(report.outcome == .succeeded)
        #expect(report.esim?.walletBalance == wallet + .dollars(9))
        #expect(report.walletBefore == wallet)
    }

    @Test func unknownFundMessageShowsBothBeforeAndAfter() {
        let message = FleetOperations.unknownFundMessage(
            iccid: testICCID(1), amount: .dollars(3), wallet: (Money(cents: 1250), Money(cents: 1550)),
            resellerBalance: (.dollars(5000), .dollars(4997)))
        #expect(message == "Fund of $3.00 to \(testICCID(1)): no response; outcome unknown. Wallet $12.50 → $15.50, reseller balance $5,000.00 → $4,997.00. Check before funding again.")
    }

    @Test func unknownCauseNamesStatusAndCode() {
        let serverError = CitrusError.api(status: 500, code: .other("INTERNAL_ERROR"), message: "boom", retryAfter: nil, endpoint: "POST /esim/x/fund")
        #expect(FleetOperations.cause(of: serverError) == "Citrus returned HTTP 500 INTERNAL_ERROR without saying whether it was applied")
        let bare = CitrusError.api(status: 502, code: .other("HTTP_502"), message: "", retryAfter: nil, endpoint: "POST /esim/x/fund")
        #expect(FleetOperations.cause(of: bare) == "Citrus returned HTTP 502 without saying whether it was applied")
        let reset = CitrusError.transport(endpoint: "POST /esim/x/fund", delivery: .maybeSent, reason: "reset")
        #expect(FleetOperations.cause(of: reset) == "no response")
    }

    @Test func unknownFundMessageNamesUnreadFigures() {
        let message = FleetOperations.unknownFundMessage(
            iccid: testICCID(1), amount: .dollars(3), wallet: (nil, nil), resellerBalance: (.dollars(5000), nil))
        #expect(message.contains("Wallet unknown → could not be read, reseller balance $5,000.00 → could not be read."))
    }

    @Test func topUpAmountIsTheDifference() {
        #expect(FleetOperations.topUpAmount(currentWallet: Money(cents: 350), target: .dollars(20)) == Money(cents: 1650))
        #expect(FleetOperations.topUpAmount(currentWallet: .dollars(20), target: .dollars(20)) == nil)
        #expect(FleetOperations.topUpAmount(currentWallet: Money(cents: 1_999), target: .dollars(20)) == nil)
        #expect(FleetOperations.topUpAmount(currentWallet: Money(cents: 1_998), target: .dollars(20)) == Money(cents: 2))
        #expect(FleetOperations.topUpAmount(currentWallet: .dollars(25), target: .dollars(20)) == nil)
        #expect(FleetOperations.topUpAmount(currentWallet: .zero, target: .dollars(50_000)) == .maximumFund)
    }
}

@Suite struct AuditLogTests {
    @Test func lineHasFieldsInOrderAndEscapes() {
        let record = AuditRecord(
            requestID: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, time: testEpoch,
            action: .fund, iccid: testICCID(1), amount: Money(cents: 1250), detail: "a\"b\nc\u{1B}",
            phase: .failed(code: "INSUFFICIENT_BALANCE", httpStatus: 402))
        let line = AuditLog.line(for: record)
        #expect(line == #"{"time":"2027-01-15T08:00:00.000Z","request_id":"00000000-0000-0000-0000-000000000001","action":"fund","iccid":"8910300000000000001","amount":"12.50","outcome":"failed","error_code":"INSUFFICIENT_BALANCE","http_status":402,"detail":"a\"b\nc\u001b"}"#)
    }

    @Test func fileIsOwnerOnlyAndAppends() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("nested/audit.jsonl")
        let record = AuditRecord(requestID: UUID(), action: .enable, iccid: testICCID(2), phase: .applied)
        #expect(try AuditLog(url: url).record(record))
        #expect(try AuditLog(url: url).record(record))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func unwritablePathIsAnError() {
        #expect(throws: AppendOnlyFileError.self) {
            try AuditLog(url: URL(fileURLWithPath: "/proc/citrus-fleet/audit.jsonl"))
        }
    }

    @Test func defaultURLFollowsXDG() {
        #expect(AuditLog.defaultURL(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/op"]).path == "/data/citrus-fleet/audit.jsonl")
        #expect(AuditLog.defaultURL(environment: ["HOME": "/home/op"]).path == "/home/op/.local/share/citrus-fleet/audit.jsonl")
        #expect(AuditLog.defaultURL(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/op"]).path == "/home/op/.local/share/citrus-fleet/audit.jsonl")
    }
}
