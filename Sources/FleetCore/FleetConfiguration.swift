import CitrusAPI
import Foundation

/// The dashboard's settings: defaults, then the configuration file, then
/// environment variables, each overriding the one before.
///
/// The file is `$XDG_CONFIG_HOME/citrus-fleet/config` (or
/// `~/.config/citrus-fleet/config`, or `CITRUS_FLEET_CONFIG`), with one
/// `key = value` per line. Values may be in double quotes; `#` starts a
/// comment at the start of a line or after a space. A missing file is not an
/// error, unless `CITRUS_FLEET_CONFIG` names it. Every invalid value is an error that names the file, the line and
/// the fix.
///
/// | key | environment variable | default |
/// |---|---|---|
/// | `budget_per_minute` | `CITRUS_FLEET_BUDGET` | 60 (1–100) |
/// | `refresh_interval_seconds` | `CITRUS_FLEET_REFRESH_INTERVAL` | 10 (1–86400) |
/// | `request_timeout_seconds` | `CITRUS_FLEET_REQUEST_TIMEOUT` | 30 (1–300) |
/// | `connect_timeout_seconds` | `CITRUS_FLEET_CONNECT_TIMEOUT` | 10 (1–300) |
/// | `theme` | `CITRUS_FLEET_THEME` | `default` |
/// | `api_key_file` | `CITRUS_FLEET_API_KEY_FILE` | none |
/// | `low_wallet_threshold_usd` | `CITRUS_FLEET_LOW_WALLET` | 5 |
/// | `low_reseller_balance_usd` | `CITRUS_FLEET_LOW_RESELLER_BALANCE` | 50 |
/// | `confirm_fund_above_usd` | `CITRUS_FLEET_CONFIRM_FUND_ABOVE` | 100 |
/// | `stale_after_seconds` | `CITRUS_FLEET_STALE_AFTER` | two sweep periods |
/// | `audit_log` | `CITRUS_FLEET_AUDIT_LOG` | `$XDG_DATA_HOME/citrus-fleet/audit.jsonl` |
/// | `events_file` | `CITRUS_FLEET_EVENTS_FILE` | none (events stay in memory) |
/// | `base_url` | `CITRUS_FLEET_BASE_URL` | none (the embedded simulator, or Citrus when a key is set) |
public struct FleetConfiguration: Sendable, Hashable {
    /// Requests per minute the dashboard spends (Citrus allows 100 per key,
    /// shared with the reseller's storefront).
    public var budgetPerMinute: Int = 60
    /// Seconds between sweep starts for fleets small enough to sweep faster.
    public var refreshIntervalSeconds: Int = 10
    /// Seconds a request may take from connecting to the end of the response.
    public var requestTimeoutSeconds: Int = 30
    /// Seconds to resolve the API host and connect to it; a request that
    /// cannot connect in time is not sent (capped by the request timeout).
    public var connectTimeoutSeconds: Int = 10
    /// The theme's name: a file in the themes directory, without extension.
    public var theme: String = "default"
    /// A file holding the API key, readable by its owner only.
    public var apiKeyFile: String?
    /// The wallet below which a SIM is low.
    public var lowWalletThreshold: Money = .dollars(5)
    /// The reseller balance below which an event fires.
    public var lowResellerBalanceThreshold: Money = .dollars(50)
    /// Funds of this amount or more need a typed confirmation.
    public var confirmFundAbove: Money = .dollars(100)
    /// A fixed stale threshold in seconds, or nil for two sweep periods.
    public var staleAfterSeconds: Int?
    /// The audit log of mutating requests.
    public var auditLog: URL
    /// The events file, or nil to keep events in memory only.
    public var eventsFile: URL?
    /// The API base URL, or nil for the default.
    public var baseURL: URL?
    /// The file the settings were read from, when it existed.
    public var loadedFrom: URL?
    /// The keys (such as `refresh_interval_seconds`) that the file or the
    /// environment set, so a caller can tell a default from a chosen value.
    public var configuredKeys: Set<String> = []

    /// Creates the defaults, with paths resolved against `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        auditLog = AuditLog.defaultURL(environment: environment)
    }

    /// Loads the defaults, the configuration file if it exists, then the
    /// environment overrides.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> FleetConfiguration {
        var configuration = FleetConfiguration(environment: environment)
        let url = FleetPaths.configFile(environment: environment)
        if let named = environment["CITRUS_FLEET_CONFIG"], !named.isEmpty, !FileManager.default.fileExists(atPath: url.path) {
            throw ConfigurationError(
                source: "environment variable CITRUS_FLEET_CONFIG", line: nil,
                message: "the configuration file \(url.path) was not found. Create it, correct the path, or unset CITRUS_FLEET_CONFIG to use \(FleetPaths.configDirectory(environment: environment).appendingPathComponent("config").path).")
        }
        if FileManager.default.fileExists(atPath: url.path) {
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw ConfigurationError(source: url.path, line: nil, message: "the file could not be read as UTF-8 text (\(error.localizedDescription)). Check its permissions and encoding.")
            }
            try configuration.apply(fileText: text, path: url.path, environment: environment)
            configuration.loadedFrom = url
        }
        try configuration.applyEnvironment(environment)
        return configuration
    }

    /// The metrics rules these settings imply.
    public var metricsConfiguration: MetricsConfiguration {
        MetricsConfiguration(lowWalletThreshold: lowWalletThreshold, lowResellerBalanceThreshold: lowResellerBalanceThreshold)
    }

    // MARK: Parsing

    /// Applies the `key = value` lines of a configuration file.
    public mutating func apply(fileText: String, path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) {
        var firstLine: [String: Int] = [:]
        for (offset, rawLine) in fileText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = Self.stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            func fail(_ message: String) -> ConfigurationError {
                ConfigurationError(source: path, line: number, message: message)
            }

            if line.hasPrefix("[") {
                throw fail("sections such as \(line) are not supported. Write every setting as key = value at the top level.")
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw fail("\"\(line)\" is not a setting. Write key = value, such as budget_per_minute = 60.")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            } else if value.hasPrefix("\"") || value.hasSuffix("\"") {
                throw fail("the value of \(key) has an unmatched quote. Write \(key) = \"text\" or leave the quotes out.")
            }
            guard let setting = ConfigurationKey(rawValue: key) else {
                throw fail("unknown key \"\(key)\". \(ConfigurationKey.suggestion(for: key))")
            }
            if let previous = firstLine[key] {
                throw fail("\(key) is set again (first on line \(previous)). Keep one of the two lines.")
            }
            firstLine[key] = number
            do {
                try set(setting, value, environment: environment)
            } catch {
                throw fail(error.message)
            }
        }
    }

    /// Applies the `CITRUS_FLEET_*` environment variables that are set.
    public mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigurationError) {
        for setting in ConfigurationKey.allCases {
            guard let value = environment[setting.environmentVariable] else { continue }
            do {
                try set(setting, value.trimmingCharacters(in: .whitespaces), environment: environment)
            } catch {
                throw ConfigurationError(source: "environment variable \(setting.environmentVariable)", line: nil, message: error.message)
            }
        }
    }

    /// Removes a `#` comment that starts the line or follows whitespace
    /// outside double quotes.
    static func stripComment(_ line: String) -> String {
        var inQuote = false
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if character == "\"" { inQuote.toggle() }
            if character == "#" && !inQuote && previous.isWhitespace {
                return String(line[..<index])
            }
            previous = character
        }
        return line
    }
}

/// A configuration value that was rejected, with where it came from.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file path, or "environment variable NAME".
    public var source: String
    /// The 1-based line in the file, when the value came from one.
    public var line: Int?
    /// The problem and its fix, as a sentence.
    public var message: String

    public init(source: String, line: Int?, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(source):\(line): \(message)" }
        return "\(source): \(message)"
    }
}
