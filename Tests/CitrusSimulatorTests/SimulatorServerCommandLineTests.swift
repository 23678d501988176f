@testable import CitrusSimulator
import Testing

/// The exact `citrus-sim --help` output, kept here so a change to it is a visible decision.
let expectedHelpText = """
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

private func parse(_ arguments: String) throws(SimulatorCommandLineError) -> SimulatorCommandLine {
    try SimulatorCommandLine.parse(arguments.split(separator: " ").map(String.init))
}

private func parseError(_ arguments: String) -> String? {
    do {
        _ = try parse(arguments)
        return nil
    } catch {
        return error.description
    }
}

@Suite struct SimulatorServerCommandLineTests {
    @Test func helpTextMatchesExpected() {
        #expect(SimulatorCommandLine.helpText == expectedHelpText)
    }

    @Test func helpTextNamesEveryFlag() {
        let flags = ["--port", "--host", "--idle-timeout", "--request-timeout", "--api-key", "--seed", "--speed", "--fleet",
                     "--rate-limit", "--reporting-delay", "--allow-remote-webhooks", "--latency", "--error-rate",
                     "--timeout-rate", "--timeout-hold", "--malformed-rate", "--reset-rate", "--help"]
        for flag in flags {
            #expect(SimulatorCommandLine.helpText.contains("  \(flag) ") || SimulatorCommandLine.helpText.contains(", \(flag) "), "\(flag)")
        }
    }

    @Test func defaultsWithNoArguments() throws {
        let parsed = try parse("")

        #expect(parsed.host == "127.0.0.1")
        #expect(parsed.port == 8080)
        #expect(parsed.options.fleet == .demo)
        #expect(parsed.options.seed == 1)
        #expect(parsed.options.apiKey == nil)
        #expect(parsed.faults == FaultSettings())
        #expect(parsed.server.idleTimeout == .seconds(30))
        #expect(parsed.server.requestReadTimeout == .seconds(10))
        #expect(!parsed.showHelp)
    }

    @Test func parsesEveryFlag() throws {
        let parsed = try parse("--port 0 --host ::1 --api-key rsk_test --seed 42 --speed 60 --fleet iot:10000,payg:3 --rate-limit 600 --reporting-delay 12.5 --allow-remote-webhooks --latency 20..200 --error-rate 0.1 --timeout-rate 0.05 --timeout-hold 1500 --malformed-rate 0.02 --reset-rate 0.03 --idle-timeout 5 --request-timeout 0.5")

        #expect(parsed.port == 0)
        #expect(parsed.host == "::1")
        #expect(parsed.options.apiKey == "rsk_test")
        #expect(parsed.options.seed == 42)
        #expect(parsed.options.speed == 60)
        #expect(parsed.options.fleet == .mix(iot: 10000, travel: 0, payg: 3))
        #expect(parsed.options.rateLimitPerMinute == 600)
        #expect(parsed.options.reportingDelayMinutes == 12.5)
        #expect(parsed.options.allowRemoteWebhooks)
        #expect(parsed.faults == FaultSettings(latencyMinMilliseconds: 20, latencyMaxMilliseconds: 200, errorRate: 0.1, timeoutRate: 0.05, malformedRate: 0.02, resetRate: 0.03, timeoutHoldMilliseconds: 1500, seed: 42))
        #expect(parsed.server.idleTimeout == .seconds(5))
        #expect(parsed.server.requestReadTimeout == .milliseconds(500))
    }

    @Test func acceptsEqualsSyntaxAndFixedLatency() throws {
        let parsed = try parse("--port=9000 --latency=50 --fleet=empty -h")

        #expect(parsed.port == 9000)
        #expect(parsed.faults.latencyMinMilliseconds == 50)
        #expect(parsed.faults.latencyMaxMilliseconds == 50)
        #expect(parsed.options.fleet == .empty)
        #expect(parsed.showHelp)
    }

    @Test func rejectsBadValuesNamingValueAndFix() {
        let cases: [(arguments: String, message: String)] = [
            ("--port abc", "Invalid value 'abc' for --port: expected a whole number from 0 to 65535 (0 picks a free port)."),
            ("--port -1", "Invalid value '-1' for --port: expected a whole number from 0 to 65535 (0 picks a free port)."),
            ("--seed x", "Invalid value 'x' for --seed: expected a whole number from 0 to 18446744073709551615."),
            ("--speed 0", "Invalid value '0' for --speed: expected simulated seconds per real second, a number above 0 and at most 1000000, e.g. 60."),
            ("--speed nan", "Invalid value 'nan' for --speed: expected simulated seconds per real second, a number above 0 and at most 1000000, e.g. 60."),
            ("--fleet big", "Invalid value 'big' for --fleet: expected demo, empty, or kind:count pairs joined by commas, with kinds iot, travel and payg and counts from 0 to 1000000, e.g. iot:10000,travel:50."),
            ("--fleet iot:5,iot:6", "Invalid value 'iot:5,iot:6' for --fleet: expected demo, empty, or kind:count pairs joined by commas, with kinds iot, travel and payg and counts from 0 to 1000000, e.g. iot:10000,travel:50."),
            ("--fleet iot:-5", "Invalid value 'iot:-5' for --fleet: expected demo, empty, or kind:count pairs joined by commas, with kinds iot, travel and payg and counts from 0 to 1000000, e.g. iot:10000,travel:50."),
            ("--rate-limit 0", "Invalid value '0' for --rate-limit: expected requests per minute, a whole number from 1 to 100000000."),
            ("--reporting-delay -3", "Invalid value '-3' for --reporting-delay: expected simulated minutes, a number from 0 to 1440, e.g. 12."),
            ("--latency 200..20", "Invalid value '200..20' for --latency: expected milliseconds as N or MIN..MAX with whole numbers from 0 to 3600000, e.g. 50 or 20..200."),
            ("--latency fast", "Invalid value 'fast' for --latency: expected milliseconds as N or MIN..MAX with whole numbers from 0 to 3600000, e.g. 50 or 20..200."),
            ("--error-rate 1.5", "Invalid value '1.5' for --error-rate: expected a probability from 0 to 1, e.g. 0.05."),
            ("--timeout-rate -0.1", "Invalid value '-0.1' for --timeout-rate: expected a probability from 0 to 1, e.g. 0.05."),
            ("--malformed-rate x", "Invalid value 'x' for --malformed-rate: expected a probability from 0 to 1, e.g. 0.05."),
            ("--reset-rate 2", "Invalid value '2' for --reset-rate: expected a probability from 0 to 1, e.g. 0.05."),
            ("--timeout-hold 1.5", "Invalid value '1.5' for --timeout-hold: expected milliseconds, a whole number from 0 to 3600000."),
            ("--idle-timeout 0", "Invalid value '0' for --idle-timeout: expected seconds, a number above 0 and at most 86400, e.g. 30."),
            ("--request-timeout soon", "Invalid value 'soon' for --request-timeout: expected seconds, a number above 0 and at most 86400, e.g. 30."),
            ("--error-rate 0.6 --reset-rate 0.6", "The error, timeout, malformed and reset rates add up to 1.2, but at most one fault applies per request. Lower them so that they add up to 1 or less."),
            ("--port", "The option --port needs a value. Run 'citrus-sim --help' to see what it takes."),
            ("--port 1 --port 2", "The option --port is given more than once. Give it once."),
            ("--prot 1", "Unknown option '--prot'. Run 'citrus-sim --help' to see the options."),
            ("serve", "Unexpected argument 'serve'. citrus-sim takes only options. Run 'citrus-sim --help' to see them."),
            ("--allow-remote-webhooks=yes", "The option --allow-remote-webhooks takes no value. Remove '=yes'."),
        ]
        for (arguments, message) in cases {
            #expect(parseError(arguments) == message, "\(arguments)")
        }
    }

    @Test func apiKeyErrorDoesNotEchoKey() {
        let message = parseError("--api-key rsk_\u{7}secret")

        #expect(message != nil)
        #expect(message?.contains("secret") == false)
    }
}
