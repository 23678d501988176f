import CitrusAPI
import Foundation

/// A setting's invalid value, before the file and line are known.
struct ConfigurationValueError: Error {
    var message: String
}

/// The keys of the configuration file, with their environment variables.
enum ConfigurationKey: String, CaseIterable {
    case budgetPerMinute = "budget_per_minute"
    case refreshIntervalSeconds = "refresh_interval_seconds"
    case requestTimeoutSeconds = "request_timeout_seconds"
    case connectTimeoutSeconds = "connect_timeout_seconds"
    case theme
    case apiKeyFile = "api_key_file"
    case lowWalletThreshold = "low_wallet_threshold_usd"
    case lowResellerBalance = "low_reseller_balance_usd"
    case confirmFundAbove = "confirm_fund_above_usd"
    case staleAfterSeconds = "stale_after_seconds"
    case auditLog = "audit_log"
    case eventsFile = "events_file"
    case baseURL = "base_url"

    var environmentVariable: String {
        switch self {
        case .budgetPerMinute: return "CITRUS_FLEET_BUDGET"
        case .refreshIntervalSeconds: return "CITRUS_FLEET_REFRESH_INTERVAL"
        case .requestTimeoutSeconds: return "CITRUS_FLEET_REQUEST_TIMEOUT"
        case .connectTimeoutSeconds: return "CITRUS_FLEET_CONNECT_TIMEOUT"
        case .theme: return "CITRUS_FLEET_THEME"
        case .apiKeyFile: return "CITRUS_FLEET_API_KEY_FILE"
        case .lowWalletThreshold: return "CITRUS_FLEET_LOW_WALLET"
        case .lowResellerBalance: return "CITRUS_FLEET_LOW_RESELLER_BALANCE"
        case .confirmFundAbove: return "CITRUS_FLEET_CONFIRM_FUND_ABOVE"
        case .staleAfterSeconds: return "CITRUS_FLEET_STALE_AFTER"
        case .auditLog: return "CITRUS_FLEET_AUDIT_LOG"
        case .eventsFile: return "CITRUS_FLEET_EVENTS_FILE"
        case .baseURL: return "CITRUS_FLEET_BASE_URL"
        }
    }

    /// "Did you mean …" for a mistyped key, or the list of keys.
    static func suggestion(for key: String) -> String {
        let lowered = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if let close = allCases.min(by: { distance($0.rawValue, lowered) < distance($1.rawValue, lowered) }),
           distance(close.rawValue, lowered) <= 3 {
            return "Did you mean \(close.rawValue)?"
        }
        return "Known keys: " + allCases.map(\.rawValue).joined(separator: ", ") + "."
    }

    /// Levenshtein distance, for suggestions.
    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

extension FleetConfiguration {
    /// Sets one key from its text, or throws the message with the fix.
    mutating func set(_ key: ConfigurationKey, _ value: String, environment: [String: String]) throws(ConfigurationValueError) {
        let name = key.rawValue
        switch key {
        case .budgetPerMinute:
            budgetPerMinute = try Self.integer(value, name: name, range: 1...100,
                fix: "Use a whole number of requests per minute from 1 to 100 (Citrus allows 100 per key), such as \(name) = 60.")
        case .refreshIntervalSeconds:
            // The same range as --interval.
            refreshIntervalSeconds = try Self.integer(value, name: name, range: 1...86_400,
                fix: "Use a whole number of seconds from 1 to 86400, such as \(name) = 10.")
        case .requestTimeoutSeconds:
            requestTimeoutSeconds = try Self.integer(value, name: name, range: 1...300,
                fix: "Use a whole number of seconds from 1 to 300, such as \(name) = 30.")
        case .connectTimeoutSeconds:
            connectTimeoutSeconds = try Self.integer(value, name: name, range: 1...300,
                fix: "Use a whole number of seconds from 1 to 300, such as \(name) = 10.")
        case .staleAfterSeconds:
            staleAfterSeconds = try Self.integer(value, name: name, range: 1...86_400,
                fix: "Use a whole number of seconds from 1 to 86400, such as \(name) = 600.")
        case .theme:
            let allowed = value.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
            guard !value.isEmpty, value.count <= 64, allowed else {
                throw ConfigurationValueError(message: "\(name) = \"\(value)\" is invalid. Use a theme name of letters, digits, - and _, such as \(name) = default.")
            }
            theme = value
        case .apiKeyFile:
            apiKeyFile = try Self.path(value, name: name, environment: environment).path
        case .lowWalletThreshold:
            lowWalletThreshold = try Self.amount(value, name: name, example: "5")
        case .lowResellerBalance:
            lowResellerBalanceThreshold = try Self.amount(value, name: name, example: "50")
        case .confirmFundAbove:
            confirmFundAbove = try Self.amount(value, name: name, example: "100")
        case .auditLog:
            auditLog = try Self.path(value, name: name, environment: environment)
        case .eventsFile:
            eventsFile = try Self.path(value, name: name, environment: environment)
        case .baseURL:
            guard let url = URL(string: value), url.scheme != nil else {
                throw ConfigurationValueError(message: "\(name) = \"\(value)\" is not a URL. Use https://citrusmobile.com/api/v2/reseller, or http://127.0.0.1:PORT/api/v2/reseller for a local simulator.")
            }
            do {
                try CitrusCredentials.checkBaseURL(url)
            } catch {
                throw ConfigurationValueError(message: error.message)
            }
            baseURL = url
        }
        configuredKeys.insert(name)
    }

    private static func integer(_ value: String, name: String, range: ClosedRange<Int>, fix: String) throws(ConfigurationValueError) -> Int {
        guard !value.isEmpty, value.count <= 9, value.allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int(value), range.contains(number) else {
            throw ConfigurationValueError(message: "\(name) = \"\(value)\" is invalid. \(fix)")
        }
        return number
    }

    private static func amount(_ value: String, name: String, example: String) throws(ConfigurationValueError) -> Money {
        do {
            return try Money.parseAmount(value, maximum: .maximumFund)
        } catch {
            throw ConfigurationValueError(message: "\(name) = \"\(value)\" is invalid: \(error) Use dollars, such as \(name) = \(example).")
        }
    }

    private static func path(_ value: String, name: String, environment: [String: String]) throws(ConfigurationValueError) -> URL {
        let expanded = FleetPaths.expandingTilde(value, environment: environment)
        guard expanded.hasPrefix("/") else {
            throw ConfigurationValueError(message: "\(name) = \"\(value)\" is not an absolute path. Use a path that starts with / or ~/, such as \(name) = ~/citrus/\(name == "api_key_file" ? "api-key" : "\(name).jsonl").")
        }
        return URL(fileURLWithPath: expanded)
    }
}
