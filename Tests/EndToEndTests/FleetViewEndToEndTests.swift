import CitrusSimulator
import Foundation
import Testing

/// The dashboard's views of the fleet in a real terminal: columns, header,
/// filter, sort, events, detail and help, each driven by keys on the demo fleet.
@Suite(
    .serialized,
    .enabled(if: ProcessRunner.isInstalled("tmux"), "tmux is not installed, so the end-to-end tests are skipped. Install it with: apt-get install tmux")
)
struct FleetViewEndToEndTests {
    /// Returns hours from an ETA cell such as `3h57m`, `2d4h` or `45m`, or nil for other text.
    static func hours(ofETA text: String) -> Double? {
        var total = 0.0
        var number = ""
        for character in text {
            if character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "d": total += value * 24
            case "h": total += value
            case "m": total += value / 60
            default: return nil
            }
            number = ""
        }
        return number.isEmpty && !text.isEmpty ? total : nil
    }

    /// Returns dollars per hour from a burn cell such as `$2.78/h`, or nil for `unknown` and `—`.
    static func dollarsPerHour(ofBurn text: String) -> Double? {
        guard text.hasPrefix("$"), text.hasSuffix("/h") else { return nil }
        return Double(text.dropFirst().dropLast(2).replacingOccurrences(of: ",", with: ""))
    }

    @Test func burnAndETAReadInSimulatedHours() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            // 200 simulated seconds per real second and a sweep per second give
            // readings at least 200 simulated seconds apart: enough history for
            // burn rates after a few sweeps, and still three readings within
            // the estimator's one-hour window when a loaded machine slows sweeps.
            try dashboard.launch("--seed 7 --speed 200 --interval 1")
            try tmux.waitFor("the whole demo fleet") { $0.count > 2 && $0[2].hasPrefix(" Showing all 242 SIMs") }
            try tmux.press("G")
            let lines = try tmux.waitFor("a traveler burning at least $0.50 per hour", timeout: 30) { lines in
                DashboardDriver.rows(in: lines).contains { (Self.dollarsPerHour(ofBurn: $0.burn) ?? 0) >= 0.5 }
            }

            let rows = DashboardDriver.rows(in: lines)
            let draining = try #require(rows.first { (Self.dollarsPerHour(ofBurn: $0.burn) ?? 0) >= 0.5 })
            let burn = try #require(Self.dollarsPerHour(ofBurn: draining.burn))
            let wallet = Double(try #require(draining.walletCents)) / 100
            let eta = try #require(Self.hours(ofETA: draining.eta), "ETA \(draining.eta)")
            // Per simulated hour, the ETA is about wallet ÷ burn less the
            // 15-minute reporting lag. Per real hour, the rates would be 200
            // times larger and the ETA 200 times shorter.
            #expect(eta > 0.6 * (wallet / burn - 0.25))
            #expect(eta < 1.2 * (wallet / burn))
            #expect(rows.allSatisfy { (Self.dollarsPerHour(ofBurn: $0.burn) ?? 0) < 20 })
            #expect(rows.contains { $0.status == "pending" && $0.burn == "—" })

            try dashboard.quit()
        }
    }

    @Test func headerShowsTotalsAndOutage() async throws {
        try await offCooperativePool {
            var options = SimulatorOptions()
            options.seed = 3
            options.apiKey = "rsk_e2e_header"
            let server = try SimulatorServer.start(options: options)
            defer { server.stop() }
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)

            try dashboard.launch(
                "--interval 1", environment: "CITRUS_API_KEY=rsk_e2e_header CITRUS_BASE_URL=\(server.baseURL.absoluteString)",
                expectsDemo: false)
            let screen = try tmux.waitFor("the totals of the whole fleet") { lines in
                lines.count > 2 && lines[1].hasPrefix(" 242 SIMs  active ")
            }
            #expect(screen[1].contains("  wallets $"))
            #expect(screen[1].contains("  spend $"))
            #expect(screen[2] == " Showing all 242 SIMs  sort first seen")

            // Every request now fails with HTTP 500 until the faults are cleared.
            server.setFaults(FaultSettings(errorRate: 1))
            let outage = try tmux.waitFor("the outage in the header", timeout: 20) { lines in
                lines.first?.contains("(HTTP 500)") == true
            }
            // The cause comes first, so the narrow header keeps it and cuts the tail.
            let header = outage[0]
            #expect(header.contains("(HTTP 500)"))
            #expect(!header.contains("/esim/list"))
            // The table keeps the last readings during the outage.
            #expect(DashboardDriver.rows(in: outage).count >= 5)

            server.setFaults(FaultSettings())
            try tmux.waitFor("the header to recover", timeout: 20) { lines in
                lines.first?.contains("updated ") == true
            }

            try dashboard.quit()
        }
    }

    @Test func filterNarrowsRowsAndRejectsBadQuery() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            try dashboard.launch()
            try tmux.waitFor("the whole demo fleet") { $0.count > 2 && $0[2].hasPrefix(" Showing all 242 SIMs") }

            try tmux.press("/")
            try tmux.waitFor("the filter prompt") { $0.contains { $0.contains("Query: _") } }
            try tmux.type("label:berlin")
            try tmux.press("Enter")
            let filtered = try tmux.waitFor("the Berlin trip only") { lines in
                lines[2].hasPrefix(" Showing 30 of 242 SIMs  filter label:berlin")
            }
            let rows = DashboardDriver.rows(in: filtered)
            #expect(rows.count == 30)
            #expect(rows.allSatisfy { $0.text.contains("Berlin Trip") })

            try tmux.press("/")
            try tmux.press("C-u")
            try tmux.type("wallet<abc")
            try tmux.press("Enter")
            let rejected = try tmux.waitFor("the parse error in the prompt") { lines in
                lines.contains { $0.contains("Invalid amount \"abc\" in wallet<abc") }
            }
            #expect(rejected.contains { $0.contains("Query: wallet<abc_") })

            try tmux.press("Escape")
            try tmux.waitFor("the prompt to close with the filter kept") { lines in
                !lines.contains { $0.contains("Query:") } && lines[2].contains("filter label:berlin")
            }
            try tmux.press("Escape")
            try tmux.waitFor("the filter to clear") { $0[2].hasPrefix(" Showing all 242 SIMs") }

            try dashboard.quit()
        }
    }

    @Test func sortPickerAndReverse() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            try dashboard.launch()
            try tmux.waitFor("the whole demo fleet") { $0.count > 2 && $0[2].hasPrefix(" Showing all 242 SIMs") }

            try tmux.press("s")
            try tmux.waitFor("the sort picker") { $0.contains { $0.contains("Sort by") } }
            // The wallet is the eighth order: first seen, ICCID, label, reference, group, status, throttle, wallet.
            try tmux.press(Array(repeating: "j", count: 7) + ["Enter"])
            // tmux can capture the pane while a frame is half drawn, so the
            // test waits until the rows themselves are in order.
            let ascending = try tmux.waitFor("the table sorted by wallet") { lines in
                let wallets = DashboardDriver.rows(in: lines).compactMap(\.walletCents)
                return lines[3].contains("WALLET USD▲") && lines[2].hasSuffix("sort wallet ▲")
                    && wallets.count > 10 && wallets == wallets.sorted()
            }
            let up = DashboardDriver.rows(in: ascending).compactMap(\.walletCents)
            #expect(up.count > 10)
            #expect(up == up.sorted())

            try tmux.press("S")
            let descending = try tmux.waitFor("the order reversed") { lines in
                let wallets = DashboardDriver.rows(in: lines).compactMap(\.walletCents)
                return lines[3].contains("WALLET USD▼") && wallets.count > 10 && wallets == wallets.sorted(by: >)
            }
            let down = DashboardDriver.rows(in: descending).compactMap(\.walletCents)
            #expect(down.count > 10)
            #expect(down == down.sorted(by: >))

            try dashboard.quit()
        }
    }

    @Test func eventsPaneShowsFund() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            let screen = try dashboard.launch()
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" && $0.walletCents != nil }

            try tmux.press("v")
            try tmux.waitFor("the events pane") { $0.contains { $0.hasPrefix(" Events, newest first") } }
            try dashboard.select(target)
            try tmux.press("f")
            try tmux.waitFor("the fund prompt") { $0.contains { $0.contains("Fund \(target.iccid)") } }
            try tmux.type("7")
            try tmux.press("Enter")

            let after = try tmux.waitFor("the funded event in the pane") { lines in
                lines.contains { $0.contains(" \(target.iccid) ") && $0.contains("Funded +$") }
            }
            let paneTop = try #require(after.firstIndex { $0.hasPrefix(" Events, newest first") })
            let eventRow = try #require(after.firstIndex { $0.contains(" \(target.iccid) ") && $0.contains("Funded +$") })
            #expect(eventRow > paneTop)
            #expect(after[eventRow].range(of: #"^ \d\d:\d\d:\d\d 89"#, options: .regularExpression) != nil)

            try tmux.press("v")
            try tmux.waitFor("the pane to close") { !$0.contains { $0.hasPrefix(" Events, newest first") } }
            try dashboard.quit()
        }
    }

    @Test func detailReadsSIMThroughRefreshLoop() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            let screen = try dashboard.launch()
            let target = try dashboard.firstRow(in: screen) { $0.status == "active" && $0.walletCents != nil }

            try dashboard.select(target)
            try tmux.press("Enter")
            // The LPA string and install link come only from GET /esim/{iccid}.
            let detail = try tmux.waitFor("the detail read of \(target.iccid)") { lines in
                lines.contains { $0.hasPrefix(" LPA string           LPA:1$") }
            }
            #expect(detail[3] == " SIM \(target.iccid)   Esc closes")
            let wallet = detail.first { $0.hasPrefix(" Wallet               ≥ $") }
            #expect(wallet != nil)
            #expect(wallet?.contains("(Citrus rounds wallets down to the cent)") == true)
            #expect(detail.contains { $0.hasPrefix(" Install URL          https://") })
            #expect(detail.contains { $0.hasPrefix(" Wallet readings") })

            try tmux.press("Escape")
            try tmux.waitFor("the table to come back") { DashboardDriver.rows(in: $0).count >= 5 }
            try dashboard.quit()
        }
    }

    @Test func helpOverlayListsKeys() async throws {
        try await offCooperativePool {
            let tmux = try TmuxSession()
            defer { tmux.kill() }
            let dashboard = DashboardDriver(tmux: tmux)
            let screen = try dashboard.launch()
            #expect(screen.last?.contains("? help") == true)

            try tmux.press("?")
            let help = try tmux.waitFor("the help overlay") { $0.contains { $0.contains("┌─ Keys ─") } }
            for key in ["Enter             open the selected SIM's detail", "s                 choose the sort column",
                        "v                 show or hide the events pane", "f                 fund the wallet"] {
                #expect(help.contains { $0.contains(key) }, "\(key)")
            }

            try tmux.press("Escape")
            try tmux.waitFor("the help to close") { !$0.contains { $0.contains("┌─ Keys ─") } }
            try dashboard.quit()
        }
    }
}
