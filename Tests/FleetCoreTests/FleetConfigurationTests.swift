import CitrusAPI
import Foundation
import Testing
@testable import FleetCore

@Suite struct FleetConfigurationTests {
    let environment = ["HOME": "/home/op"]

    func parse(_ text: String) throws(ConfigurationError) -> FleetConfiguration {
        var configuration = FleetConfiguration(environment: environment)
        try configuration.apply(fileText: text, path: "/home/op/.config/citrus-fleet/config", environment: environment)
        return configuration
    }

    func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func defaults() {
        let configuration = FleetConfiguration(environment: environment)
        #expect(configuration.budgetPerMinute == 60)
        #expect(configuration.refreshIntervalSeconds == 10)
        #expect(configuration.requestTimeoutSeconds == 30)
        #expect(configuration.connectTimeoutSeconds == 10)
        #expect(configuration.theme == "default")
        #expect(configuration.lowWalletThreshold == .dollars(5))
        #expect(configuration.auditLog.path == "/home/op/.local/share/citrus-fleet/audit.jsonl")
        #expect(configuration.eventsFile == nil)
        #expect(configuration.baseURL == nil)
    }

    @Test func everyKeyParses() throws {
        let configuration = try parse("""
            # citrus-fleet settings
            budget_per_minute = 80
            refresh_interval_seconds = 30   # slower
            request_timeout_seconds = 45
            connect_timeout_seconds = 3
            theme = "solarized-dark"
            api_key_file = ~/secrets/citrus-key
            low_wallet_threshold_usd = 7.50
            low_reseller_balance_usd = 100
            confirm_fund_above_usd = 250
            stale_after_seconds = 900
            audit_log = "/var/log/citrus/audit.jsonl"
            events_file = ~/citrus/events.jsonl
            base_url = http://127.0.0.1:8080/api/v2/reseller

            """)
        #expect(configuration.budgetPerMinute == 80)
        #expect(configuration.refreshIntervalSeconds == 30)
        #expect(configuration.requestTimeoutSeconds == 45)
        #expect(configuration.connectTimeoutSeconds == 3)
        #expect(configuration.theme == "solarized-dark")
        #expect(configuration.apiKeyFile == "/home/op/secrets/citrus-key")
        #expect(configuration.lowWalletThreshold == Money(cents: 750))
        #expect(configuration.lowResellerBalanceThreshold == .dollars(100))
        #expect(configuration.confirmFundAbove == .dollars(250))
        #expect(configuration.staleAfterSeconds == 900)
        #expect(configuration.auditLog.path == "/var/log/citrus/audit.jsonl")
        #expect(configuration.eventsFile?.path == "/home/op/citrus/events.jsonl")
        #expect(configuration.baseURL?.absoluteString == "http://127.0.0.1:8080/api/v2/reseller")
        #expect(configuration.metricsConfiguration.lowWalletThreshold == Money(cents: 750))
    }

    @Test func errorsNameFileLineAndFix() {
        let path = "/home/op/.config/citrus-fleet/config"
        #expect(error("\nbudget_per_minute = 500") == "\(path):2: budget_per_minute = \"500\" is invalid. Use a whole number of requests per minute from 1 to 100 (Citrus allows 100 per key), such as budget_per_minute = 60.")
        #expect(error("refresh_interval_seconds = ten") == "\(path):1: refresh_interval_seconds = \"ten\" is invalid. Use a whole number of seconds from 1 to 86400, such as refresh_interval_seconds = 10.")
        #expect(error("colour = red")?.hasPrefix("\(path):1: unknown key \"colour\". Known keys: budget_per_minute, ") == true)
        #expect(error("budget_per_minut = 60") == "\(path):1: unknown key \"budget_per_minut\". Did you mean budget_per_minute?")
        #expect(error("theme") == "\(path):1: \"theme\" is not a setting. Write key = value, such as budget_per_minute = 60.")
        #expect(error("[ui]") == "\(path):1: sections such as [ui] are not supported. Write every setting as key = value at the top level.")
        #expect(error("theme = a\ntheme = b") == "\(path):2: theme is set again (first on line 1). Keep one of the two lines.")
        #expect(error("low_wallet_threshold_usd = 5.123")?.hasPrefix("\(path):1: low_wallet_threshold_usd = \"5.123\" is invalid: Amount \"5.123\" has more than two decimals.") == true)
        #expect(error("audit_log = logs/audit.jsonl")?.contains("is not an absolute path") == true)
        #expect(error("base_url = http://example.com/api")?.contains("plain http://") == true)
        #expect(error("theme = \"dark") == "\(path):1: the value of theme has an unmatched quote. Write theme = \"text\" or leave the quotes out.")
    }

    @Test func environmentOverridesFile() throws {
        var configuration = try parse("budget_per_minute = 80")
        try configuration.applyEnvironment(["CITRUS_FLEET_BUDGET": "40", "CITRUS_FLEET_THEME": "mono"])
        #expect(configuration.budgetPerMinute == 40)
        #expect(configuration.theme == "mono")
    }

    @Test func timeoutsRejectValuesOutsideOneToThreeHundredSeconds() throws {
        let path = "/home/op/.config/citrus-fleet/config"
        #expect(error("connect_timeout_seconds = 0") == "\(path):1: connect_timeout_seconds = \"0\" is invalid. Use a whole number of seconds from 1 to 300, such as connect_timeout_seconds = 10.")
        #expect(error("request_timeout_seconds = 2.5") == "\(path):1: request_timeout_seconds = \"2.5\" is invalid. Use a whole number of seconds from 1 to 300, such as request_timeout_seconds = 30.")
        #expect(error("request_timeout_seconds = 301")?.contains("from 1 to 300") == true)
        var configuration = FleetConfiguration(environment: environment)
        try configuration.applyEnvironment(["CITRUS_FLEET_CONNECT_TIMEOUT": "4", "CITRUS_FLEET_REQUEST_TIMEOUT": "12"])
        #expect(configuration.connectTimeoutSeconds == 4)
        #expect(configuration.requestTimeoutSeconds == 12)
    }

    @Test func invalidEnvironmentNamesTheVariable() {
        var configuration = FleetConfiguration(environment: environment)
        #expect(throws: ConfigurationError(
            source: "environment variable CITRUS_FLEET_REFRESH_INTERVAL", line: nil,
            message: "refresh_interval_seconds = \"0\" is invalid. Use a whole number of seconds from 1 to 86400, such as refresh_interval_seconds = 10.")) {
            try configuration.applyEnvironment(["CITRUS_FLEET_REFRESH_INTERVAL": "0"])
        }
    }

    @Test func loadReadsXDGFileThenEnvironment() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let directory = home.appendingPathComponent("xdg/citrus-fleet")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "refresh_interval_seconds = 20\nbudget_per_minute = 50\n".write(to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let environment = ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("xdg").path, "CITRUS_FLEET_BUDGET": "30"]
        let configuration = try FleetConfiguration.load(environment: environment)
        #expect(configuration.refreshIntervalSeconds == 20)
        #expect(configuration.budgetPerMinute == 30)
        #expect(configuration.loadedFrom?.path == directory.appendingPathComponent("config").path)
    }

    @Test func configuredKeysListFileAndEnvironment() throws {
        var configuration = try parse("refresh_interval_seconds = 10")
        try configuration.applyEnvironment(["CITRUS_FLEET_LOW_WALLET": "8"])
        #expect(configuration.configuredKeys == ["refresh_interval_seconds", "low_wallet_threshold_usd"])
        #expect(FleetConfiguration(environment: environment).configuredKeys.isEmpty)
    }

    @Test func missingNamedConfigFileIsAnError() {
        let environment = ["HOME": "/home/op", "CITRUS_FLEET_CONFIG": "/nonexistent/citrus.conf"]
        #expect(throws: ConfigurationError(
            source: "environment variable CITRUS_FLEET_CONFIG", line: nil,
            message: "the configuration file /nonexistent/citrus.conf was not found. Create it, correct the path, or unset CITRUS_FLEET_CONFIG to use /home/op/.config/citrus-fleet/config.")
        ) {
            try FleetConfiguration.load(environment: environment)
        }
    }

    @Test func intervalRangeMatchesCommandLine() throws {
        var configuration = FleetConfiguration(environment: ["HOME": "/home/op"])
        try configuration.applyEnvironment(["CITRUS_FLEET_REFRESH_INTERVAL": "86400"])
        #expect(configuration.refreshIntervalSeconds == 86_400)
        #expect(throws: ConfigurationError.self) {
            var other = FleetConfiguration(environment: ["HOME": "/home/op"])
            try other.applyEnvironment(["CITRUS_FLEET_REFRESH_INTERVAL": "86401"])
        }
    }

    @Test func missingFileGivesDefaults() throws {
        let configuration = try FleetConfiguration.load(environment: ["HOME": "/nonexistent-home-for-test"])
        #expect(configuration.budgetPerMinute == 60)
        #expect(configuration.loadedFrom == nil)
    }
}
