import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Bulk actions through a real terminal: `citrus-fleet` runs in tmux at
/// 120×40 against its built-in simulator. Where tmux is missing, these tests
/// are skipped.
@Suite(
    .serialized,
    .enabled(if: ProcessRunner.isInstalled("tmux"), "tmux is not installed, so the end-to-end tests are skipped. Install it with: apt-get install tmux")
)
struct BulkEndToEndTests {
    /// Returns the SIM rows on screen, marked or not. A marked row starts
    /// with `*` in the gutter left of the ICCID.
    static func rows(in lines: [String]) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        for line in lines.dropFirst(4) {
            let text = line.hasPrefix("*") ? " " + line.dropFirst() : line
            let fields = text.split(separator: " ", maxSplits: 1)
            guard let first = fields.first, first.count >= 19, first.hasPrefix("89"), first.allSatisfy(\.isNumber) else { break }
            rows.append(ScreenRow(offset: rows.count, iccid: String(first), text: text))
        }
        return rows
    }

    /// Returns the number of funds per ICCID in the ledger of the dashboard's
    /// built-in simulator (`GET /_sim/state`, which needs no key). The
    /// simulator's address comes from the dashboard's log.
    static func fundCounts(_ dashboard: DashboardDriver) throws -> [String: Int] {
        let pattern = #"built-in simulator at (http://127\.0\.0\.1:[0-9]+)"#
        let log = dashboard.logText
        guard let range = log.range(of: pattern, options: .regularExpression) else {
            throw E2EError("The log does not name the simulator's address:\n\(log)")
        }
        let root = log[range].replacingOccurrences(of: "built-in simulator at ", with: "")
        let url = try #require(URL(string: root + "/_sim/state"))
        let data = try waitBlocking { try await URLSession.shared.data(from: url).0 }
        let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let funds = try #require(state["funds"] as? [[String: Any]])
        var counts: [String: Int] = [:]
        for fund in funds {
            if let iccid = fund["iccid"] as? String { counts[iccid, default: 0] += 1 }
        }
        return counts
    }

    @Test func topUpMarkedTrackersToTarget() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            try dashboard.launch("--seed 7 --budget 100")

            // The first nine trackers: TRK-0001 … TRK-0009.
            try tmux.press("/")
            try tmux.type("ref:TRK-000*")
            try tmux.press("Enter")
            let filtered = try tmux.waitFor("the nine trackers") { lines in
                lines.contains { $0.contains("Showing 9 of") } && Self.rows(in: lines).count == 9
            }
            let before = Self.rows(in: filtered)
            let fundsBefore = try Self.fundCounts(dashboard)

            try tmux.press("*")
            let marked = try tmux.waitFor("nine marks") { lines in
                lines.contains { $0.contains("9 marked") } && lines.filter { $0.hasPrefix("*89") }.count == 9
            }
            #expect(DashboardDriver.statusLine(in: marked).contains("Marked 9 SIMs shown; 9 marked."))

            try tmux.press("f")
            try tmux.waitFor("the bulk fund prompt") { $0.contains { $0.contains("Fund 9 marked") } }
            try tmux.type("to 20")
            try tmux.press("Enter")
            let confirmation = try tmux.waitFor("the confirmation") { lines in
                lines.contains { $0.contains("Confirm top-up of") }
            }
            let planned = try #require(confirmation.first { $0.contains("Top up each wallet to $20.00:") })
            #expect(confirmation.contains { $0.contains("Total $") })
            let balances = try #require(confirmation.first { $0.contains("Reseller balance $") })
            #expect(balances.contains("→"))
            let count = try #require(planned.split(separator: ":").last?.split(separator: " ").first.map(String.init))
            if confirmation.contains(where: { $0.contains("the number of SIMs:") }) {
                try tmux.type(count)
            }
            try tmux.press("Enter")

            let finished = try tmux.waitFor("the summary", timeout: 120) { lines in
                lines.contains { $0.contains("Top-up finished") }
            }
            #expect(finished.contains { $0.contains("Done \(count)   Skipped") })
            #expect(DashboardDriver.statusLine(in: finished).contains("Top-up finished: \(count) done"))

            try tmux.press("Escape")
            let after = try tmux.waitFor("the wallets near $20") { lines in
                let rows = Self.rows(in: lines)
                return rows.count == 9 && rows.allSatisfy { ($0.walletCents ?? 0) >= 1_900 }
            }
            // Each wallet was below $20 before and is close to it now. Usage
            // keeps draining the wallets at 60 simulated seconds per second.
            for row in Self.rows(in: after) {
                let old = try #require(before.first { $0.iccid == row.iccid }?.walletCents)
                #expect(old < 1_999)
                #expect((row.walletCents ?? 0) <= 2_000)
            }
            // The simulator's ledger: each SIM of the run was funded once,
            // and no other SIM was funded.
            let fundsAfter = try Self.fundCounts(dashboard)
            let funded = fundsAfter.filter { $0.value != fundsBefore[$0.key, default: 0] }
            #expect(funded.count == Int(count))
            #expect(funded.allSatisfy { $0.value == fundsBefore[$0.key, default: 0] + 1 })
            #expect(Set(funded.keys).isSubset(of: Set(before.map(\.iccid))))

            try dashboard.quit()
        }
    }
}
