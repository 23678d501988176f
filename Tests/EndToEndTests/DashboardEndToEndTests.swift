import CitrusAPI
import CitrusSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The dashboard driven through a real terminal: `citrus-fleet` runs in tmux
/// at 120×40 against its built-in simulator, and each test reads the screen
/// as a user would. Where tmux is missing, these tests are skipped; `.ci/run`
/// installs it.
@Suite(
    .serialized,
    .enabled(if: ProcessRunner.isInstalled("tmux"), "tmux is not installed, so the end-to-end tests are skipped. Install it with: apt-get install tmux")
)
struct DashboardEndToEndTests {
    @Test func disableShowsSuspendedThenQuitRestoresShell() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch()
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" }
            try dashboard.select(target)
            try tmux.press("d")

            // The row can change before the status line, because the refresh loop
            // publishes the returned SIM too; the test waits for both.
            try tmux.waitFor("\(target.iccid) to show suspended, with the result in the status line") { lines in
                DashboardDriver.row(target.iccid, in: lines)?.status == "suspended"
                    && DashboardDriver.statusLine(in: lines).contains("Disable succeeded for \(target.iccid)")
            }

            try dashboard.quit()
        }
    }

    @Test func enableResumesSuspendedSIM() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch()
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" }
            try dashboard.select(target)
            try tmux.press("d")
            try tmux.waitFor("\(target.iccid) to show suspended") { lines in
                DashboardDriver.row(target.iccid, in: lines)?.status == "suspended"
            }

            try tmux.press("e")
            try tmux.waitFor("\(target.iccid) to show active again, with the result in the status line") { lines in
                DashboardDriver.row(target.iccid, in: lines)?.status == "active"
                    && DashboardDriver.statusLine(in: lines).contains("Enable succeeded for \(target.iccid)")
            }

            try dashboard.quit()
        }
    }

    @Test func fundRaisesWallet() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch()
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" && $0.walletCents != nil }
            let before = try #require(target.walletCents)
            try dashboard.select(target)
            try tmux.press("f")
            try tmux.waitFor("the fund prompt") { $0.contains { $0.contains("Fund \(target.iccid)") } }
            try tmux.type("12.34")
            try tmux.press("Enter")

            let after = try tmux.waitFor("the fund result") { lines in
                DashboardDriver.statusLine(in: lines).contains("Funded $12.34 to \(target.iccid)")
                    && (DashboardDriver.row(target.iccid, in: lines)?.walletCents ?? 0) > before + 1_200
            }
            // Usage keeps draining the wallet at 60 simulated seconds per second,
            // so the new reading is at most a little below before + $12.34.
            let wallet = try #require(DashboardDriver.row(target.iccid, in: after)?.walletCents)
            #expect(wallet > before + 1_200)
            #expect(wallet <= before + 1_234)

            try dashboard.quit()
        }
    }

    @Test func badFundAmountShowsErrorAndSendsNothing() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch()
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" }
            try dashboard.select(target)
            try tmux.press("f")
            try tmux.waitFor("the fund prompt") { $0.contains { $0.contains("Fund \(target.iccid)") } }
            try tmux.type("12.345")
            try tmux.press("Enter")

            let rejected = try tmux.waitFor("the amount error in the status line") { lines in
                DashboardDriver.statusLine(in: lines).contains("Fund not sent: Amount \"12.345\" has more than two decimals.")
            }
            #expect(rejected.contains { $0.contains("Amount in USD: 12.345_") })

            try tmux.press("Escape")
            try tmux.waitFor("the prompt to close") { lines in
                DashboardDriver.statusLine(in: lines).contains("Fund cancelled for \(target.iccid); nothing was sent.")
                    && !lines.contains { $0.contains("Amount in USD") }
            }
            let log = try String(contentsOf: dashboard.logFile, encoding: .utf8)
            #expect(!log.contains("Sending fund"))

            try dashboard.quit()
        }
    }

    @Test func throttleAppliesPickedSpeed() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch()
            let target = try dashboard.firstRow(in: screen) { $0.throttle == "100k" }
            try dashboard.select(target)
            try tmux.press("t")
            try tmux.waitFor("the throttle picker") { $0.contains { $0.contains("100 kbps  (current)") } }
            // The picker opens on the current speed, 100 kbps; the one above is 500 kbps.
            try tmux.press("Up")
            try tmux.press("Enter")

            try tmux.waitFor("\(target.iccid) to show 500k, with the result in the status line") { lines in
                DashboardDriver.row(target.iccid, in: lines)?.throttle == "500k"
                    && DashboardDriver.statusLine(in: lines).contains("succeeded for \(target.iccid)")
            }

            try dashboard.quit()
        }
    }

    @Test func readOnlyRejectsDisable() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch("--seed 7 --read-only")
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" }
            try dashboard.select(target)
            try tmux.press("d")

            let after = try tmux.waitFor("the read-only message") { lines in
                DashboardDriver.statusLine(in: lines).contains("Read-only mode: disable is turned off.")
            }
            #expect(DashboardDriver.row(target.iccid, in: after)?.status == "active")

            try dashboard.quit()
        }
    }

    @Test func apiKeyTalksToBaseURLWithoutDemoBadge() async throws {
        try await offCooperativePool {
            var options = SimulatorOptions()
            options.seed = 3
            options.apiKey = "rsk_e2e_key"
            let server = try SimulatorServer.start(options: options)
            defer { server.stop() }
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch(
                "", environment: "CITRUS_API_KEY=rsk_e2e_key CITRUS_BASE_URL=\(server.baseURL.absoluteString)", expectsDemo: false)
            #expect(screen[0].hasPrefix(" citrus-fleet   Reseller $5,000.00"))

            let target = try dashboard.firstRow(in: screen) { $0.status == "active" }
            try dashboard.select(target)
            try tmux.press("d")
            try tmux.waitFor("\(target.iccid) to show suspended") { lines in
                DashboardDriver.row(target.iccid, in: lines)?.status == "suspended"
            }
            let client = CitrusClient(configuration: CitrusClientConfiguration(baseURL: server.baseURL, apiKey: "rsk_e2e_key"))
            #expect(try waitBlocking { try await client.esim(iccid: target.iccid) }.status == .suspended)

            try dashboard.quit()
            let log = try String(contentsOf: dashboard.logFile, encoding: .utf8)
            #expect(!log.contains("rsk_e2e_key"))
        }
    }

    @Test func quitDuringHeldFundReportsUnknownOutcome() async throws {
        try await offCooperativePool {
            var options = SimulatorOptions()
            options.seed = 3
            options.apiKey = "rsk_e2e_quit"
            let server = try SimulatorServer.start(options: options)
            defer { server.stop() }
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let screen = try dashboard.launch(
                "", environment: "CITRUS_API_KEY=rsk_e2e_quit CITRUS_BASE_URL=\(server.baseURL.absoluteString)", expectsDemo: false)
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" && $0.walletCents != nil }
            try dashboard.select(target)
            // Citrus now holds every response, so the fund's result never arrives.
            server.setFaults(FaultSettings(timeoutRate: 1, timeoutHoldMilliseconds: 20_000))
            try tmux.press("f")
            try tmux.waitFor("the fund prompt") { $0.contains { $0.contains("Fund \(target.iccid)") } }
            try tmux.type("4")
            try tmux.press("Enter")
            try tmux.waitFor("the fund in flight") { DashboardDriver.statusLine(in: $0).contains("Funding $4.00") }
            try tmux.press("q")

            let after = try tmux.waitFor("the exit status", timeout: 30) { $0.contains(where: DashboardDriver.isExitStatusLine) }
            #expect(after.contains("EXIT=3"))
            let text = after.joined()
            #expect(text.contains("citrus-fleet: the fund of $4.00 to \(target.iccid) was sent but no result arrived before quitting; its outcome is unknown. Check the SIM before funding again."))
            try dashboard.expectShellRestored()

            let auditURL = tmux.directory.appendingPathComponent("data/citrus-fleet/audit.jsonl")
            let audit = try String(contentsOf: auditURL, encoding: .utf8).split(separator: "\n")
            let fundLines = audit.filter { $0.contains("\"action\":\"fund\"") && $0.contains(target.iccid) }
            #expect(fundLines.count == 2)
            #expect(fundLines.first?.contains("\"outcome\":\"sending\"") == true)
            #expect(fundLines.last?.contains("\"amount\":\"4.00\",\"outcome\":\"unknown\"") == true)

            // A new run reads the unknown fund from the audit log and guards that SIM:
            // even $1 to it asks for the ICCID's last 4 digits, under a warning.
            server.setFaults(FaultSettings())
            let fundsBefore = try Self.fundCount(server, iccid: target.iccid)
            try tmux.run("clear")
            let again = try dashboard.launch(
                "", environment: "CITRUS_API_KEY=rsk_e2e_quit CITRUS_BASE_URL=\(server.baseURL.absoluteString)", expectsDemo: false)
            let sameSIM = try dashboard.firstRow(in: again) { $0.iccid == target.iccid }
            try dashboard.select(sameSIM)
            try tmux.press("f")
            try tmux.waitFor("the fund prompt") { $0.contains { $0.contains("Fund \(target.iccid)") } }
            try tmux.type("1")
            try tmux.press("Enter")
            let warning = try tmux.waitFor("the guarded confirmation") { lines in
                lines.contains { $0.contains("Last 4 digits of the ICCID") }
            }
            #expect(warning.joined().contains("An earlier fund of $4.00 to this SIM has an unknown"))
            try tmux.press("Escape")
            try dashboard.quit()
            // The guarded $1 fund was never sent.
            #expect(try Self.fundCount(server, iccid: target.iccid) == fundsBefore)
        }
    }

    /// Returns how many funds to `iccid` the simulator's ledger (`GET /_sim/state`) lists.
    static func fundCount(_ server: SimulatorServer, iccid: String) throws -> Int {
        let url = server.rootURL.appendingPathComponent("_sim/state")
        let data = try waitBlocking { try await URLSession.shared.data(from: url).0 }
        let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let funds = try #require(state["funds"] as? [[String: Any]])
        return funds.filter { $0["iccid"] as? String == iccid }.count
    }

    @Test func sigtermRestoresTerminal() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            try dashboard.launch()
            #expect(kill(try dashboard.pid(), SIGTERM) == 0)

            try dashboard.expectShellBack(exitStatus: 128 + SIGTERM)
        }
    }

    @Test func ctrlCRestoresTerminal() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            try dashboard.launch()
            try tmux.press("C-c")

            try dashboard.expectShellBack(exitStatus: 128 + SIGINT)
        }
    }

    @Test func ctrlZAndFgRestoreAndRedraw() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            try dashboard.launch()
            // On a loaded machine a key sent right after the first frame was
            // once lost, so C-z is sent again when the job has not stopped.
            // Once stopped, a further C-z reaches only the shell, which ignores it.
            var suspended: [String] = []
            for attempt in 1...3 where suspended.isEmpty {
                try tmux.press("C-z")
                do {
                    suspended = try tmux.waitFor("the job to stop", timeout: attempt == 3 ? 20 : 7) { lines in
                        lines.contains { $0.contains("Stopped") }
                    }
                } catch where attempt < 3 {
                    continue
                }
            }
            #expect(!suspended.contains { $0.contains("ICCID") })

            try tmux.run("fg")
            let resumed = try tmux.waitFor("the table to come back") { DashboardDriver.rows(in: $0).count >= 5 }
            let target = try dashboard.firstRow(in: resumed) { $0.status == "active" }
            try dashboard.select(target)
            try tmux.press("d")
            try tmux.waitFor("\(target.iccid) to show suspended") { lines in
                DashboardDriver.row(target.iccid, in: lines)?.status == "suspended"
            }

            // The shell already printed EXIT= when the job stopped, so the exit
            // status after q comes from the log.
            try tmux.press("q")
            try tmux.waitFor("the dashboard to log its exit") { _ in
                let log = (try? String(contentsOf: dashboard.logFile, encoding: .utf8)) ?? ""
                return log.contains("citrus-fleet stopped with exit status 0.")
            }
            try dashboard.expectShellRestored()
        }
    }

    @Test func tooSmallTerminalExplainsAndQuits() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            try dashboard.launch()
            try tmux.resize(width: 50, height: 8)
            let message = try tmux.waitFor("the too-small message") { lines in
                lines.contains { $0.contains("Terminal too small: 50×8.") }
            }
            #expect(message.joined(separator: " ").contains("least 60×10"))

            try tmux.resize(width: 120, height: 40)
            try tmux.waitFor("the table to come back") { DashboardDriver.rows(in: $0).count >= 5 }
            try tmux.resize(width: 50, height: 8)
            try tmux.waitFor("the too-small message again") { lines in
                lines.contains { $0.contains("Terminal too small: 50×8.") }
            }

            try tmux.press("q")
            try tmux.resize(width: 120, height: 40)
            try dashboard.expectShellBack(exitStatus: 0)
        }
    }

    @Test func badFlagExitsWithoutTouchingTerminal() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let binary = try CitrusFleetBinary.path().path

            try tmux.run("'\(binary)' --speed fast; echo EXIT=$?")
            let lines = try tmux.waitFor("the exit status") { $0.contains(where: DashboardDriver.isExitStatusLine) }

            // The 120-column pane wraps the message; joining its rows restores it.
            #expect(lines.joined().contains("citrus-fleet: Invalid value 'fast' for --speed: expected simulated seconds per real second, a number above 0 and at most 1000000, such as 60."))
            #expect(lines.contains("EXIT=2"))
        }
    }
}
