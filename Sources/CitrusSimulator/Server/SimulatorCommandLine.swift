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
          --host ADDR                IP address to bind (default: 127.0.0.1); an address other
                                     than loopback lets other machines reach the simulator
          --idle-timeout SECONDS     close a keep-alive connection idle this long (default: 30)
          --request-timeout SECONDS  drop a client that takes longer to send one request
                                     (default: 10)

        ACCOUNT
          --api-key KEY              accept only this bearer key (default: any key that
                                     starts with rsk_)
          --seed N                   seed of the fleet, the usage and the faults (default: 1)
          --speed N                  simulated seconds per real second (default: 1)
          --fleet PRESET             demo, empty, or a mix such as iot:10000,travel:50,payg:20
                                     (default: demo)
          --rate-limit N             requests per minute per API key before 429 (default: 100)
          --reporting-delay MINUTES  how far usage readings lag, in simulated minutes
                                     (default: 0)
          --allow-remote-webhooks    deliver webhooks to non-loopback URLs too (default: off)

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
            if flag == "--allow-remote-webhooks" {
                guard inlineValue == nil else {
                    throw SimulatorCommandLineError("The option --allow-remote-webhooks takes no value. Remove '=\(inlineValue ?? "")'.")
                }
                parsed.options.allowRemoteWebhooks = true
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

    private typealias ValueOption = @Sendable (inout SimulatorCommandLine, String) throws(SimulatorCommandLineError) -> Void

    private static let valueOptions: [String: ValueOption] = [
        "--port": { parsed, value throws(SimulatorCommandLineError) in
            parsed.port = try parseNumber(value, flag: "--port", expected: "a whole number from 0 to 65535 (0 picks a free port)") { UInt16($0) }
        },
        "--host": { parsed, value throws(SimulatorCommandLineError) in
            guard !value.isEmpty, !value.contains(where: \.isWhitespace) else {
                throw invalid(value, flag: "--host", expected: "an IP address such as 127.0.0.1 or ::1")
            }
            parsed.host = value
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
            parsed.options.speed = try parseNumber(value, flag: "--speed", expected: "simulated seconds per real second, a number above 0 and at most 1000000, e.g. 60") {
                Double($0).flatMap { $0 > 0 && $0 <= 1_000_000 ? $0 : nil }
            }
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

    // MARK: - Value parsers

    private static func invalid(_ value: String, flag: String, expected: String) -> SimulatorCommandLineError {
        SimulatorCommandLineError("Invalid value '\(value)' for \(flag): expected \(expected).")
    }

    private static func parseNumber<Number>(_ value: String, flag: String, expected: String, _ convert: (String) -> Number?) throws(SimulatorCommandLineError) -> Number {
        guard let number = convert(value) else {
            throw invalid(value, flag: flag, expected: expected)
        }
        return number
    }

    private static func parseProbability(_ value: String, flag: String) throws(SimulatorCommandLineError) -> Double {
        try parseNumber(value, flag: flag, expected: "a probability from 0 to 1, e.g. 0.05") {
            Double($0).flatMap { $0 >= 0 && $0 <= 1 ? $0 : nil }
        }
    }

    private static func parseSeconds(_ value: String, flag: String) throws(SimulatorCommandLineError) -> Duration {
        let seconds = try parseNumber(value, flag: flag, expected: "seconds, a number above 0 and at most 86400, e.g. 30") {
            Double($0).flatMap { $0 > 0 && $0 <= 86_400 ? $0 : nil }
        }
        return .milliseconds(Int((seconds * 1000).rounded(.up)))
    }

    /// `50` (fixed) or `20..200` (uniform), in milliseconds.
    private static func parseLatency(_ value: String) throws(SimulatorCommandLineError) -> ClosedRange<Int> {
        let expected = "milliseconds as N or MIN..MAX with whole numbers from 0 to \(FaultSettings.maxMilliseconds), e.g. 50 or 20..200"
        let bounds = value.components(separatedBy: "..")
        let numbers = bounds.compactMap { Int($0) }
        guard (1...2).contains(bounds.count), numbers.count == bounds.count,
              let low = numbers.first, let high = numbers.last,
              low >= 0, low <= high, high <= FaultSettings.maxMilliseconds else {
            throw invalid(value, flag: "--latency", expected: expected)
        }
        return low...high
    }

    /// `demo`, `empty`, or comma-separated `kind:count` with kinds `iot`, `travel`, `payg`.
    private static func parseFleet(_ value: String) throws(SimulatorCommandLineError) -> FleetPreset {
        switch value {
        case "demo": return .demo
        case "empty": return .empty
        default: break
        }
        let expected = "demo, empty, or kind:count pairs joined by commas, with kinds iot, travel and payg and counts from 0 to 1000000, e.g. iot:10000,travel:50"
        var counts: [String: Int] = [:]
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2,
                  ["iot", "travel", "payg"].contains(String(pieces[0])),
                  counts[String(pieces[0])] == nil,
                  let count = Int(pieces[1]), (0...1_000_000).contains(count) else {
                throw invalid(value, flag: "--fleet", expected: expected)
            }
            counts[String(pieces[0])] = count
        }
        return .mix(iot: counts["iot"] ?? 0, travel: counts["travel"] ?? 0, payg: counts["payg"] ?? 0)
    }
}

/// A command-line mistake, with a message that names the value and the fix.
public struct SimulatorCommandLineError: Error, CustomStringConvertible, Equatable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
