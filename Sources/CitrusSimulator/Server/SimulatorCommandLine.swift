import Foundation

/// The `citrus-sim` command line, parsed into simulator options, server settings and faults.
public struct SimulatorCommandLine: Sendable {
    public var options = SimulatorOptions()
    public var host = "127.0.0.1"
    public var port: UInt16 = 8080
    public var faults = FaultSettings()
    /// Limits and timeouts of the HTTP server. The caller sets its logs.
    public var server = HTTPServerConfiguration()
    /// True when `--help` was given: print `helpText` and start nothing.
    public var showHelp = false

    public init() {}

    public static let helpText = """
        USAGE: citrus-sim [options]

        Serves a simulated Citrus Reseller API v2 over HTTP. The first line on standard
        output is the API's base URL; each request is logged to standard error.

        SERVER
          --port N                   TCP port to listen on; 0 picks a free port (default: 8080)
          --host ADDR                IPv4 or IPv6 address to bind, or localhost; names are not
                                     looked up (default: 127.0.0.1). An address other than
                                     loopback lets other machines reach the simulator
          --idle-timeout SECONDS     close a keep-alive connection idle this long (default: 30)
          --request-timeout SECONDS  drop a client that takes longer to send one request
                                     (default: 10)

        ACCOUNT
          --api-key KEY              accept only this bearer key (default: any key that
                                     starts with rsk_)
          --seed N                   seed of the fleet, the usage and the faults (default: 1)
          --start TIME               simulated time at start, in ISO-8601 UTC such as
                                     2026-06-01T08:00:00Z; with the same --seed, the same
                                     fleet and usage (default: now)
          --speed N                  simulated seconds per real second; 0 stops the clock, so
                                     only POST /_sim/clock moves it (default: 1)
          --fleet PRESET             demo, empty, or a mix such as iot:10000,travel:50,payg:20
                                     (default: demo)
          --rate-limit N             requests per minute per API key before 429 (default: 100)
          --reporting-delay MINUTES  how far usage readings lag, in simulated minutes
                                     (default: 0)
          --balance USD              reseller balance at start, in dollars (default: 5000)
          --low-balance USD          reseller balance in dollars below which balance.low
                                     fires (default: 50)
          --inventory N              eSIMs that provisioning can still issue before 503
                                     NO_ESIMS_AVAILABLE (default: no limit)
          --exact-wallets            credit funds to wallets to the micro-dollar; without it,
                                     credits round down to a multiple of $0.0009, so $20
                                     shows $19.99 as at Citrus (default: off)
          Groups are not simulated beyond a fixed set: provisioning accepts group_id
          grp_trip or grp_team (listed by GET /groups), and any other group gets
          400 VALIDATION_ERROR without a charge.

        LIFECYCLE (simulated time)
          --activation-minutes M     mean minutes from provisioning until a new eSIM is
                                     installed and active, or never to leave it pending until
                                     POST /_sim/esims/{iccid}/activate (default: 30)
          --wallet-ready SECONDS     seconds after provisioning during which fund and defund
                                     get 400 WALLET_NOT_READY (default: 5)
          --defund-minutes M         minutes until a defund settles and credits the reseller
                                     balance (default: 15)

        WEBHOOKS (real time)
          --allow-remote-webhooks    deliver webhooks to non-loopback URLs too (default: off)
          --webhook-retry SECONDS    wait before the first retry of a failed delivery; each
                                     further retry waits twice as long (default: 1)
          --webhook-attempts N       delivery attempts per event and webhook, the first
                                     included (default: 6)
          --tick SECONDS             interval of the background evaluation that fires events
                                     while no request reads the SIMs; 0 turns it off
                                     (default: 1)

        FAULTS (on /api/v2/reseller paths only, never on /_sim/ paths)
          --latency MS[..MS]         delay before each response in milliseconds, fixed or
                                     uniform in a range, e.g. 50 or 20..200 (default: 0)
          --error-rate P             probability of a 500 INTERNAL_ERROR; the request is not
                                     applied (default: 0)
          --timeout-rate P           probability that the request is applied and no response
                                     comes (default: 0)
          --timeout-hold MS          how long a timeout fault holds the connection open, in
                                     milliseconds (default: 30000)
          --malformed-rate P         probability that the request is applied and the response
                                     is truncated JSON (default: 0)
          --reset-rate P             probability that the request is applied and the
                                     connection is reset (default: 0)
          The four rates are probabilities from 0 to 1, and their sum must be at most 1.
          GET /_sim/faults returns the fault settings; POST /_sim/faults changes them.

          -h, --help                 show this help

        """

    /// Parses the arguments after the program name. Accepts `--flag value` and `--flag=value`.
    public static func parse(_ arguments: [String]) throws(SimulatorCommandLineError) -> SimulatorCommandLine {
        var parsed = SimulatorCommandLine()
        var seen: Set<String> = []
        var remaining = arguments[...]

        while let argument = remaining.popFirst() {
            var flag = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard flag.hasPrefix("-") else {
                throw SimulatorCommandLineError("Unexpected argument '\(argument)'. citrus-sim takes only options. Run 'citrus-sim --help' to see them.")
            }
            guard seen.insert(flag).inserted else {
                throw SimulatorCommandLineError("The option \(flag) is given more than once. Give it once.")
            }

            if flag == "-h" || flag == "--help" {
                parsed.showHelp = true
                continue
            }
            if let apply = switchOptions[flag] {
                guard inlineValue == nil else {
                    throw SimulatorCommandLineError("The option \(flag) takes no value. Remove '=\(inlineValue ?? "")'.")
                }
                apply(&parsed)
                continue
            }

            guard let apply = valueOptions[flag] else {
                throw SimulatorCommandLineError("Unknown option '\(flag)'. Run 'citrus-sim --help' to see the options.")
            }
            guard let value = inlineValue ?? remaining.popFirst() else {
                throw SimulatorCommandLineError("The option \(flag) needs a value. Run 'citrus-sim --help' to see what it takes.")
            }
            try apply(&parsed, value)
        }

        do {
            try parsed.faults.validate()
        } catch {
            throw SimulatorCommandLineError(error.description)
        }
        return parsed
    }

    typealias SwitchOption = @Sendable (inout SimulatorCommandLine) -> Void

    /// Flags that take no value.
    static let switchOptions: [String: SwitchOption] = [
        "--allow-remote-webhooks": { parsed in parsed.options.allowRemoteWebhooks = true },
        "--exact-wallets": { parsed in parsed.options.walletCreditUnitMicros = 1 },
    ]

    typealias ValueOption = @Sendable (inout SimulatorCommandLine, String) throws(SimulatorCommandLineError) -> Void

    static let valueOptions: [String: ValueOption] = [
        "--port": { parsed, value throws(SimulatorCommandLineError) in
            parsed.port = try parseNumber(value, flag: "--port", expected: "a whole number from 0 to 65535 (0 picks a free port)") { UInt16($0) }
        },
        "--host": { parsed, value throws(SimulatorCommandLineError) in
            parsed.host = try parseHost(value)
        },
        "--idle-timeout": { parsed, value throws(SimulatorCommandLineError) in
            parsed.server.idleTimeout = try parseSeconds(value, flag: "--idle-timeout")
        },
        "--request-timeout": { parsed, value throws(SimulatorCommandLineError) in
            parsed.server.requestReadTimeout = try parseSeconds(value, flag: "--request-timeout")
        },
        "--api-key": { parsed, value throws(SimulatorCommandLineError) in
            guard !value.isEmpty, value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                // The key itself is not repeated: it may be a real one typed by mistake.
                throw SimulatorCommandLineError("Invalid value for --api-key: expected a non-empty key of printable ASCII characters without spaces, e.g. rsk_test.")
            }
            parsed.options.apiKey = value
        },
        "--seed": { parsed, value throws(SimulatorCommandLineError) in
            let seed = try parseNumber(value, flag: "--seed", expected: "a whole number from 0 to \(UInt64.max)") { UInt64($0) }
            parsed.options.seed = seed
            parsed.faults.seed = seed
        },
        "--speed": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.speed = try parseDecimal(value, flag: "--speed", range: 0...1_000_000, expected: "simulated seconds per real second, a number from 0 to 1000000 (0 stops the clock), e.g. 60")
        },
        "--start": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.startDate = try parseStartTime(value)
        },
        "--fleet": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.fleet = try parseFleet(value)
        },
        "--rate-limit": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.rateLimitPerMinute = try parseNumber(value, flag: "--rate-limit", expected: "requests per minute, a whole number from 1 to 100000000") {
                Int($0).flatMap { (1...100_000_000).contains($0) ? $0 : nil }
            }
        },
        "--reporting-delay": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.reportingDelayMinutes = try parseNumber(value, flag: "--reporting-delay", expected: "simulated minutes, a number from 0 to 1440, e.g. 12") {
                Double($0).flatMap { $0 >= 0 && $0 <= 1440 ? $0 : nil }
            }
        },
        "--balance": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.startingResellerBalance = try parseDollars(value, flag: "--balance")
        },
        "--low-balance": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.resellerLowBalance = try parseDollars(value, flag: "--low-balance")
        },
        "--inventory": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.inventoryLimit = try parseNumber(value, flag: "--inventory", expected: "a whole number of eSIMs from 0 to 100000000") {
                Int($0).flatMap { (0...100_000_000).contains($0) ? $0 : nil }
            }
        },
        "--activation-minutes": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.provisionedActivationMinutes = try parseActivationMinutes(value)
        },
        "--wallet-ready": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.walletReadySeconds = try parseDecimal(value, flag: "--wallet-ready", range: 0...86_400, expected: "simulated seconds from 0 to 86400, e.g. 5")
        },
        "--defund-minutes": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.defundSettleMinutes = try parseDecimal(value, flag: "--defund-minutes", range: 0...10_080, expected: "simulated minutes from 0 to 10080, e.g. 15")
        },
        "--webhook-retry": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.webhookRetryBaseSeconds = try parseDecimal(value, flag: "--webhook-retry", range: 0...300, expected: "seconds from 0 to 300, e.g. 1")
        },
        "--webhook-attempts": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.webhookMaxAttempts = try parseNumber(value, flag: "--webhook-attempts", expected: "a whole number from 1 to 20") {
                Int($0).flatMap { (1...20).contains($0) ? $0 : nil }
            }
        },
        "--tick": { parsed, value throws(SimulatorCommandLineError) in
            parsed.options.backgroundTickSeconds = try parseDecimal(value, flag: "--tick", range: 0...3_600, expected: "seconds from 0 to 3600 (0 turns the background evaluation off), e.g. 1")
        },
        "--latency": { parsed, value throws(SimulatorCommandLineError) in
            let range = try parseLatency(value)
            parsed.faults.latencyMinMilliseconds = range.lowerBound
            parsed.faults.latencyMaxMilliseconds = range.upperBound
        },
        "--error-rate": { parsed, value throws(SimulatorCommandLineError) in
            parsed.faults.errorRate = try parseProbability(value, flag: "--error-rate")
        },
        "--timeout-rate": { parsed, value throws(SimulatorCommandLineError) in
            parsed.faults.timeoutRate = try parseProbability(value, flag: "--timeout-rate")
        },
        "--timeout-hold": { parsed, value throws(SimulatorCommandLineError) in
            parsed.faults.timeoutHoldMilliseconds = try parseNumber(value, flag: "--timeout-hold", expected: "milliseconds, a whole number from 0 to \(FaultSettings.maxMilliseconds)") {
                Int($0).flatMap { (0...FaultSettings.maxMilliseconds).contains($0) ? $0 : nil }
            }
        },
        "--malformed-rate": { parsed, value throws(SimulatorCommandLineError) in
            parsed.faults.malformedRate = try parseProbability(value, flag: "--malformed-rate")
        },
        "--reset-rate": { parsed, value throws(SimulatorCommandLineError) in
            parsed.faults.resetRate = try parseProbability(value, flag: "--reset-rate")
        },
    ]
}

/// A command-line mistake, with a message that names the value and the fix.
public struct SimulatorCommandLineError: Error, CustomStringConvertible, Equatable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
