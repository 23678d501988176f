import Foundation
import Testing

/// The configuration file and its overrides, through the real binary in tmux:
/// settings reach the client and the refresh loop, and a bad value stops the
/// program before it touches the terminal.
@Suite(
    .serialized,
    .enabled(if: ProcessRunner.isInstalled("tmux"), "tmux is not installed, so the end-to-end tests are skipped. Install it with: apt-get install tmux")
)
struct ConfigurationEndToEndTests {
    /// Writes `text` as the configuration file that the session's
    /// `XDG_CONFIG_HOME` points at, and returns its path.
    @discardableResult
    private func writeConfiguration(_ text: String, in tmux: TmuxSession) throws -> String {
        let directory = tmux.directory.appendingPathComponent("config/citrus-fleet")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("config")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func invalidValueExitsTwoWithFileLineAndFix() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            let path = try writeConfiguration("# settings\nbudget_per_minute = 500\n", in: tmux)
            let binary = try CitrusFleetBinary.path().path

            try tmux.run("'\(binary)'; echo EXIT=$?")
            let lines = try tmux.waitFor("the exit status") { $0.contains(where: DashboardDriver.isExitStatusLine) }

            #expect(lines.joined().contains("citrus-fleet: \(path):2: budget_per_minute = \"500\" is invalid. Use a whole number of requests per minute from 1 to 100 (Citrus allows 100 per key), such as budget_per_minute = 60."))
            #expect(lines.contains("EXIT=2"))
            try dashboard.expectShellRestored()
        }
    }

    @Test func flagBeatsEnvironmentBeatsFile() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            let eventsFile = tmux.directory.appendingPathComponent("events.jsonl").path
            try writeConfiguration("""
                budget_per_minute = 30
                refresh_interval_seconds = 20
                low_wallet_threshold_usd = 8
                connect_timeout_seconds = 4
                events_file = \(eventsFile)

                """, in: tmux)

            try dashboard.launch("--seed 7 --interval 3", environment: "CITRUS_FLEET_BUDGET=40 CITRUS_FLEET_REFRESH_INTERVAL=30 CITRUS_FLEET_REQUEST_TIMEOUT=12")
            try tmux.waitFor("the refresh loop's first log line") { _ in
                dashboard.logText.contains("Refresh loop started")
            }

            let text = dashboard.logText
            #expect(text.contains("Settings: budget 40 requests/minute, refresh interval 3 s, request timeout 12 s, connect timeout 4 s, low wallet $8.00,"))
            // The client itself runs with them, not only the summary.
            #expect(text.contains("requestTimeout: 12.0 s, connectTimeout: 4.0 s, requestsPerMinute: 40)"))
            #expect(text.contains("events \(eventsFile)"))
            let loopLine = text.split(separator: "\n").first { $0.contains("Refresh loop started") } ?? ""
            #expect(loopLine.hasSuffix("budget 40 requests/minute"))
            #expect(FileManager.default.fileExists(atPath: eventsFile))

            try dashboard.quit()
        }
    }
}
