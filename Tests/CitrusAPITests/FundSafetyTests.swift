import CitrusAPI
import CitrusSimulator
import Foundation
import Testing

/// The fund path is single-shot: under injected timeouts and resets, the
/// simulator's exact ledger never contains a fund the client did not send once,
/// and every fund that may have been applied without a response is reported unknown.
@Suite("Fund safety under faults")
struct FundSafetyTests {
    private enum Result: Sendable {
        case applied
        case unknown(readBack: Bool)
        case failed(CitrusError)
    }

    private struct Call: Sendable {
        var iccid: String
        var amount: Money
        var result: Result
    }

    @Test("1,000 funds under 20% timeouts and resets: none applied twice, none lost")
    func thousandFunds() async throws {
        let harness = try SimulatorHarness { $0.fleet = .mix(iot: 50, travel: 0, payg: 0) }
        let audit = LockedList<AuditRecord>()
        let client = harness.client(timeout: 0.5, requestsPerMinute: 1_000_000, audit: { audit.append($0) })

        var listed: [String] = []
        for try await page in client.allESIMPages() { listed += page.esims.map(\.iccid) }
        #expect(listed.count == 50)
        let iccids = listed
        // The generated fleet starts with funds of its own; only new ledger entries count.
        let fundsBefore = try await harness.ledgerFunds().count

        // Timeouts and resets are applied by the simulator before the fault, so every
        // one of them must come back as unknown. The 500s are not applied.
        harness.server.setFaults(FaultSettings(errorRate: 0.02, timeoutRate: 0.1, malformedRate: 0.02, resetRate: 0.1,
                                               timeoutHoldMilliseconds: 800, seed: 7))

        // Each call has a distinct amount (101 ¢ + its index), so the ledger maps back to the call.
        let fundCount = 1_000
        let workers = 25
        let started = Date()
        let calls = try await withThrowingTaskGroup(of: [Call].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var calls: [Call] = []
                    for index in stride(from: worker, to: fundCount, by: workers) {
                        let iccid = iccids[index % iccids.count]
                        let amount = Money(cents: 101 + Int64(index))
                        do {
                            switch try await client.fund(iccid: iccid, amount: amount) {
                            case .applied:
                                calls.append(Call(iccid: iccid, amount: amount, result: .applied))
                            case .unknown(let unknown):
                                let readBack = unknown.esimAfter != nil && unknown.resellerBalanceAfter != nil
                                calls.append(Call(iccid: iccid, amount: amount, result: .unknown(readBack: readBack)))
                            }
                        } catch let error as CitrusError {
                            calls.append(Call(iccid: iccid, amount: amount, result: .failed(error)))
                        }
                    }
                    return calls
                }
            }
            var all: [Call] = []
            for try await part in group { all += part }
            return all
        }
        let elapsed = Date().timeIntervalSince(started)
        harness.server.setFaults(FaultSettings())

        let ledger = Array(try await harness.ledgerFunds().dropFirst(fundsBefore))
        var ledgerCount: [String: Int] = [:]
        for fund in ledger {
            ledgerCount["\(fund.iccid) \(fund.amount)", default: 0] += 1
        }
        func key(_ call: Call) -> String { "\(call.iccid) \(call.amount.decimalDollars)" }

        #expect(calls.count == fundCount)
        var applied = 0
        var unknown = 0
        var unknownApplied = 0
        var readBacks = 0
        for call in calls {
            let count = ledgerCount[key(call)] ?? 0
            #expect(count <= 1, "fund \(key(call)) applied \(count) times")
            switch call.result {
            case .applied:
                applied += 1
                #expect(count == 1, "fund \(key(call)) reported applied but not in the ledger")
            case .unknown(let readBack):
                unknown += 1
                unknownApplied += count
                if readBack { readBacks += 1 }
            case .failed(let error):
                Issue.record("fund \(key(call)) threw \(error); no fault here is a certain failure")
            }
        }
        // Every ledger entry is one of our calls, and nothing else was paid.
        #expect(ledger.count == applied + unknownApplied)
        #expect(Set(ledgerCount.keys).isSubset(of: Set(calls.map(key))))

        // The audit contains exactly one attempt per fund, and the ledger never exceeds it.
        let fundRecords = audit.all.filter { $0.action == .fund }
        let sending = fundRecords.filter { $0.phase.name == "sending" }
        #expect(sending.count == fundCount)
        #expect(sending.allSatisfy { $0.phase == .sending(attempt: 1) })
        #expect(ledger.count <= sending.count)
        #expect(fundRecords.filter { $0.phase.name == "unknown" }.count == unknown)
        #expect(fundRecords.filter { $0.phase.name == "applied" }.count == applied)

        // About 20% of the funds hit a timeout or reset and about 2% a 500; a loaded
        // machine adds a few slow responses that also time out.
        #expect(unknown >= 150)
        #expect(unknown <= 450)
        // Timeouts and resets are applied, so most unknowns are in the ledger.
        #expect(unknownApplied >= unknown * 3 / 4)
        #expect(readBacks >= unknown * 95 / 100)
        print("1,000 funds: \(applied) applied, \(unknown) unknown (\(unknownApplied) of them in the ledger), \(readBacks) read back, \(String(format: "%.1f", elapsed)) s")
    }
}
