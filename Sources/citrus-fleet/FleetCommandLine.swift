import Foundation

/// A command line that cannot be used, with a message that names the value and
/// the fix. citrus-fleet prints it and exits with status 2 before it touches
/// the terminal.
struct CommandLineError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The parsed `citrus-fleet` command line.
struct FleetCommandLine: Equatable {
    /// Simulated seconds per real second on the built-in simulator.
    static let defaultSpeed = 60.0
    /// Seconds between sweeps on the built-in simulator, where requests are free.
    static let defaultDemoInterval = 10.0
    /// Seconds between sweeps against Citrus: its readings lag 10–15 minutes,
    /// so a minute is as fresh as the data gets.
    static let defaultInterval = 60.0

    var speed: Double?
    var seed: UInt64?
    var baseURL: URL?
    var interval: Double?
    var budget: Int?
    var isReadOnly = false
    var themePath: String?
    var apiKeyFile: String?
    var showsHelp = false

    static let helpText = """
        USAGE: citrus-fleet [options]

        A terminal dashboard for a Citrus Mobile reseller fleet. Without an API key it
        starts a built-in simulator with a demo fleet (shown with a DEMO badge).

        KEYS (press ? in the dashboard for the full list)
          ↑ ↓ j k      move the selection      PgUp PgDn g G   page, first, last
          Enter        the SIM's detail         Esc             close, cancel, clear the filter
          /            filter (status:active wallet<5 eta<2h label:berlin low -stale …)
          s            choose the sort column   S               reverse the sort
          v            events pane              ?               help
          e            enable the SIM           d               disable (suspend) the SIM
          f            fund the wallet          t               set the throttle speed
          q            quit

        OPTIONS
          --speed N            simulated seconds per real second of the built-in simulator
                               (default: 60)
          --seed N             seed of the built-in simulator's fleet and usage (default: 1)
          --interval SECONDS   seconds between fleet sweeps (default: refresh_interval_seconds,
                               else 10 with the simulator and 60 against Citrus)
          --budget N           requests per minute the dashboard spends, 1 to 100
                               (default: budget_per_minute, else 60; Citrus allows 100 per key)
          --base-url URL       the Citrus API to use with an API key (default: CITRUS_BASE_URL,
                               or https://citrusmobile.com/api/v2/reseller)
          --api-key-file PATH  read the API key from PATH, a file only you can read (chmod 600)
          --read-only          turn off every key that changes a SIM
          --theme PATH         a theme file of key = value lines (default: the theme setting,
                               else the built-in colors)
          -h, --help           show this help

        ENVIRONMENT
          CITRUS_API_KEY       your reseller API key (rsk_…); with it, citrus-fleet talks to
                               Citrus instead of the simulator. The key is never accepted as
                               a command-line value, because other users can read those.
          CITRUS_BASE_URL      the Citrus API base URL, when --base-url is not given
          CITRUS_FLEET_*       override the configuration file, key by key (CITRUS_FLEET_BUDGET,
                               CITRUS_FLEET_REFRESH_INTERVAL, CITRUS_FLEET_THEME,
                               CITRUS_FLEET_LOW_WALLET, CITRUS_FLEET_EVENTS_FILE,
                               CITRUS_FLEET_REQUEST_TIMEOUT, CITRUS_FLEET_CONNECT_TIMEOUT, …)
          https_proxy, http_proxy, all_proxy, no_proxy
                               the proxy for requests, as curl reads them; the connect
                               timeout then applies to the proxy

        CONFIGURATION
          $XDG_CONFIG_HOME/citrus-fleet/config (~/.config/citrus-fleet/config, or the file
          named by CITRUS_FLEET_CONFIG) contains key = value lines: budget_per_minute,
          refresh_interval_seconds, request_timeout_seconds (30), connect_timeout_seconds
          (10; a request that cannot connect in time is not sent), theme, api_key_file,
          low_wallet_threshold_usd, low_reseller_balance_usd, confirm_fund_above_usd (funds
          of this many dollars or more, 100 by default, need the ICCID's last 4 digits
          typed), stale_after_seconds, audit_log, events_file, base_url.
          Options override the environment, which overrides the file. A theme named NAME
          is read from themes/NAME.theme in the configuration directory.

        Logs go to $XDG_STATE_HOME/citrus-fleet/citrus-fleet.log
        (~/.local/state/citrus-fleet/citrus-fleet.log when XDG_STATE_HOME is unset).
        Exit status: 0 after q, 2 for an invalid command line or configuration, 1 when the dashboard
        cannot start, 128 + N after signal N (130 for SIGINT, 143 for SIGTERM), 3 when actions
        were still in flight at exit: their outcome is unknown, each is named on stderr and
        recorded as unknown in the audit log; check those SIMs before repeating the action.

        """

    /// Parses the arguments after the program name. Accepts `--flag value`
    /// and `--flag=value`.
    static func parse(_ arguments: [String]) throws(CommandLineError) -> FleetCommandLine {
        var parsed = FleetCommandLine()
        var remaining = arguments[...]
        var seen = Set<String>()

        while let argument = remaining.popFirst() {
            var flag = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard flag.hasPrefix("-") else {
                throw CommandLineError("Unexpected argument '\(argument)'. citrus-fleet takes only options; run 'citrus-fleet --help' to see them.")
            }
            guard seen.insert(flag).inserted else {
                throw CommandLineError("The option \(flag) is given more than once. Give it once.")
            }

            switch flag {
            case "-h", "--help":
                parsed.showsHelp = true
            case "--read-only":
                guard inlineValue == nil else {
                    throw CommandLineError("The option --read-only takes no value. Remove '=\(inlineValue ?? "")'.")
                }
                parsed.isReadOnly = true
            case "--api-key", "--key", "--token":
                // The value is not repeated: it may be a real key.
                throw CommandLineError("The API key is not accepted on the command line, because other users can read command lines (ps, shell history). Set CITRUS_API_KEY, or use --api-key-file with a file only you can read.")
            default:
                guard let value = inlineValue ?? remaining.popFirst() else {
                    throw knownValueFlags.contains(flag)
                        ? CommandLineError("The option \(flag) needs a value. Run 'citrus-fleet --help' to see what it takes.")
                        : CommandLineError("Unknown option '\(flag)'. Run 'citrus-fleet --help' to see the options.")
                }
                try parsed.apply(flag, value)
            }
        }
        return parsed
    }

    private static let knownValueFlags: Set<String> = ["--speed", "--seed", "--interval", "--budget", "--base-url", "--theme", "--api-key-file"]

    private mutating func apply(_ flag: String, _ value: String) throws(CommandLineError) {
        switch flag {
        case "--speed":
            guard let number = Double(value), number.isFinite, number > 0, number <= 1_000_000 else {
                throw invalid(value, flag: flag, expected: "simulated seconds per real second, a number above 0 and at most 1000000, such as 60")
            }
            speed = number
        case "--seed":
            guard let number = UInt64(value) else {
                throw invalid(value, flag: flag, expected: "a whole number from 0 to \(UInt64.max)")
            }
            seed = number
        case "--interval":
            guard let number = Double(value), number.isFinite, number >= 1, number <= 86_400 else {
                throw invalid(value, flag: flag, expected: "seconds between sweeps, a number from 1 to 86400, such as 60")
            }
            interval = number
        case "--budget":
            guard value.count <= 3, value.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(value), (1...100).contains(number) else {
                throw invalid(value, flag: flag, expected: "requests per minute, a whole number from 1 to 100 (Citrus allows 100 per key), such as 60")
            }
            budget = number
        case "--base-url":
            guard let url = URL(string: value), url.scheme != nil, url.host != nil else {
                throw invalid(value, flag: flag, expected: "an absolute URL such as https://citrusmobile.com/api/v2/reseller")
            }
            baseURL = url
        case "--theme":
            guard !value.isEmpty else { throw invalid(value, flag: flag, expected: "the path of a theme file") }
            themePath = value
        case "--api-key-file":
            guard !value.isEmpty else { throw invalid(value, flag: flag, expected: "the path of a file that contains the key") }
            apiKeyFile = value
        default:
            throw CommandLineError("Unknown option '\(flag)'. Run 'citrus-fleet --help' to see the options.")
        }
    }

    private func invalid(_ value: String, flag: String, expected: String) -> CommandLineError {
        CommandLineError("Invalid value '\(value)' for \(flag): expected \(expected).")
    }
}
