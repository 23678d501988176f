import CitrusAPI
import FleetCore
import Foundation

/// The settings the dashboard runs with, resolved before the terminal is
/// touched. Each one comes from the command line, else the environment, else
/// the configuration file, else its default.
struct DashboardSettings {
    /// The loaded configuration: defaults, then the file, then the `CITRUS_FLEET_*` variables.
    var configuration: FleetConfiguration
    /// Requests per minute the client spends.
    var budgetPerMinute: Int
    /// The theme file to read, or nil for the built-in theme.
    var themePath: String?

    /// The name of the built-in theme, which needs no file.
    static let builtInThemeName = "default"

    /// Loads the configuration and applies the command line over it.
    ///
    /// - Throws: `ConfigurationError` for an invalid line of the file or an
    ///   invalid variable, `CommandLineError` for a theme name with no file.
    static func resolve(_ commandLine: FleetCommandLine, environment: [String: String]) throws -> DashboardSettings {
        let configuration = try FleetConfiguration.load(environment: environment)
        let themePath = try commandLine.themePath ?? themePath(for: configuration, environment: environment)
        return DashboardSettings(
            configuration: configuration,
            budgetPerMinute: commandLine.budget ?? configuration.budgetPerMinute,
            themePath: themePath)
    }

    /// Loads the API key, or returns nil when there is none (the demo then runs).
    ///
    /// The sources, first match wins: `--api-key-file`, the key file named by
    /// `CITRUS_FLEET_API_KEY_FILE`, `CITRUS_API_KEY`, the key file named by
    /// `api_key_file` in the configuration file, then `api-key` in the
    /// configuration directory.
    func loadAPIKey(_ commandLine: FleetCommandLine, environment: [String: String]) throws(CredentialsError) -> String? {
        let keyFileFromEnvironment = environment["CITRUS_FLEET_API_KEY_FILE"] != nil
        let keyInEnvironment = environment[CitrusCredentials.environmentVariable] != nil
        let keyFile = commandLine.apiKeyFile
            ?? (keyFileFromEnvironment || !keyInEnvironment ? configuration.apiKeyFile : nil)
        return try CitrusCredentials.loadAPIKey(
            environment: environment, keyFilePath: keyFile,
            configDirectory: FleetPaths.configDirectory(environment: environment).path)
    }

    /// The client's timeouts from the configuration.
    var timeouts: DashboardConnection.Timeouts {
        DashboardConnection.Timeouts(
            request: TimeInterval(configuration.requestTimeoutSeconds),
            connect: TimeInterval(configuration.connectTimeoutSeconds))
    }

    /// Returns the seconds between sweep starts: `--interval`, else the
    /// configuration, else 10 s for the simulator and 60 s for Citrus, whose
    /// readings lag 10–15 minutes anyway.
    func refreshIntervalSeconds(_ commandLine: FleetCommandLine, isDemo: Bool) -> Double {
        if let interval = commandLine.interval { return interval }
        if configuration.configuredKeys.contains("refresh_interval_seconds") {
            return Double(configuration.refreshIntervalSeconds)
        }
        return isDemo ? FleetCommandLine.defaultDemoInterval : FleetCommandLine.defaultInterval
    }

    /// Returns the base URL that the environment or the configuration file set,
    /// in that order, or nil. `CITRUS_FLEET_BASE_URL` comes before `CITRUS_BASE_URL`.
    func configuredBaseURL(environment: [String: String]) -> (url: URL, source: String)? {
        guard let url = configuration.baseURL else { return nil }
        if environment["CITRUS_FLEET_BASE_URL"] != nil { return (url, "CITRUS_FLEET_BASE_URL") }
        if let text = environment["CITRUS_BASE_URL"], !text.isEmpty { return nil }
        return (url, "base_url in \(configuration.loadedFrom?.path ?? "the configuration file")")
    }

    /// Returns the file of a theme chosen by name, or nil for the built-in
    /// theme. A named theme is `<name>.theme` in the `themes` directory of the
    /// configuration directory, then of the data directory.
    static func themePath(for configuration: FleetConfiguration, environment: [String: String]) throws(CommandLineError) -> String? {
        let name = configuration.theme
        let candidates = [
            FleetPaths.configDirectory(environment: environment),
            FleetPaths.dataDirectory(environment: environment),
        ].map { $0.appendingPathComponent("themes").appendingPathComponent("\(name).theme").path }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            return found
        }
        if name == builtInThemeName { return nil }

        let source = environment["CITRUS_FLEET_THEME"] != nil
            ? "CITRUS_FLEET_THEME"
            : "theme in \(configuration.loadedFrom?.path ?? "the configuration file")"
        throw CommandLineError("The theme \"\(name)\" (set by \(source)) was not found: there is no file \(candidates.joined(separator: " or ")). Copy themes/default.theme there and edit it, or set the theme to default.")
    }

    /// Builds one log line with every setting in effect, without the API key.
    func summary(refreshIntervalSeconds: Double, isDemo: Bool) -> String {
        let file = configuration.loadedFrom?.path ?? "none"
        let stale = configuration.staleAfterSeconds.map { "\($0) s" } ?? "two sweep periods"
        let events = configuration.eventsFile?.path ?? "memory only"
        let clock = isDemo ? " (simulated time)" : ""
        let connectCap = configuration.connectTimeoutSeconds > configuration.requestTimeoutSeconds
            ? " (capped at the request timeout)" : ""
        return "Settings: budget \(budgetPerMinute) requests/minute, refresh interval \(Self.format(refreshIntervalSeconds)) s, "
            + "request timeout \(configuration.requestTimeoutSeconds) s, connect timeout \(configuration.connectTimeoutSeconds) s\(connectCap), "
            + "low wallet \(configuration.lowWalletThreshold), low reseller balance \(configuration.lowResellerBalanceThreshold), "
            + "stale after \(stale)\(clock), theme \(themePath ?? "built-in"), events \(events), configuration file \(file)."
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
