import CitrusAPI
import CitrusSimulator
import Foundation
import Testing

/// The dashboard against a large fleet on a simulator of its own: keys stay
/// responsive while the sweep pages the fleet in at the request budget.
@Suite(
    .serialized,
    .enabled(if: ProcessRunner.isInstalled("tmux"), "tmux is not installed, so the end-to-end tests are skipped. Install it with: apt-get install tmux")
)
struct ScaleEndToEndTests {
    static let apiKey = "rsk_e2e_scale"

    /// Starts a simulator with `iot` trackers that accepts only `apiKey`.
    static func startSimulator(iot: Int) throws -> SimulatorServer {
        var options = SimulatorOptions()
        options.fleet = .mix(iot: iot, travel: 0, payg: 0)
        options.seed = 5
        options.apiKey = apiKey
        return try SimulatorServer.start(options: options)
    }

    @Test func keysStayResponsiveWhileLargeFleetLoads() async throws {
        try await offCooperativePool {
            let server = try Self.startSimulator(iot: 20_000)
            defer { server.stop() }
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            let first = try dashboard.launch(
                "--budget 100", environment: "CITRUS_API_KEY=\(Self.apiKey) CITRUS_BASE_URL=\(server.baseURL.absoluteString)",
                expectsDemo: false)
            let topICCID = try #require(DashboardDriver.rows(in: first).first?.iccid)
            try tmux.waitFor("the sweep progress of the 20,000 SIMs") { lines in
                lines.first?.contains("/20,000") == true
            }

            // G jumps to the last SIM read so far; the table scrolls within a second or two.
            try tmux.press("G")
            let bottom = try tmux.waitFor("the table to scroll to the last SIM", timeout: 5) { lines in
                DashboardDriver.rows(in: lines).first?.iccid != topICCID
            }
            #expect(DashboardDriver.rows(in: bottom).count > 20)

            try tmux.press("g")
            try tmux.waitFor("the table to scroll back to the first SIM", timeout: 5) { lines in
                DashboardDriver.rows(in: lines).first?.iccid == topICCID
            }

            try dashboard.quit()
        }
    }
}
