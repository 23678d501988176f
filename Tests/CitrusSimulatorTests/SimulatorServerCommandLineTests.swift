import CitrusAPI
@testable import CitrusSimulator
import Foundation
import Testing

/// The exact `citrus-sim --help` output, kept here so a change to it is a visible decision.
let expectedHelpText = """
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
        let flags = ["--port", "--host", "--idle-timeout", "--request-timeout", "--api-key", "--seed", "--start", "--speed", "--fleet",
                     "--rate-limit", "--reporting-delay", "--balance", "--low-balance", "--inventory", "--exact-wallets",
                     "--activation-minutes", "--wallet-ready", "--defund-minutes", "--allow-remote-webhooks",
                     "--webhook-retry", "--webhook-attempts", "--tick", "--latency", "--error-rate",
                     "--timeout-rate", "--timeout-hold", "--malformed-rate", "--reset-rate", "--help"]
        for flag in flags {
            #expect(SimulatorCommandLine.helpText.contains("  \(flag) ") || SimulatorCommandLine.helpText.contains(", \(flag) "), "\(flag)")
        }
    }

    @Test func helpTextDocumentsEveryParsedFlag() {
        let flags = Array(SimulatorCommandLine.valueOptions.keys) + Array(SimulatorCommandLine.switchOptions.keys)
        for flag in flags {
            #expect(SimulatorCommandLine.helpText.contains("  \(flag) "), "\(flag)")
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
        #expect(parsed.options.speed == 1)
        #expect(parsed.options.rateLimitPerMinute == 100)
        #expect(parsed.options.reportingDelayMinutes == 0)
        #expect(!parsed.options.allowRemoteWebhooks)
        #expect(parsed.options.startingResellerBalance == .dollars(5_000))
        #expect(parsed.options.resellerLowBalance == .dollars(50))
        #expect(parsed.options.inventoryLimit == nil)
        #expect(parsed.options.walletCreditUnitMicros == 900)
        #expect(parsed.options.provisionedActivationMinutes == 30)
        #expect(parsed.options.walletReadySeconds == 5)
        #expect(parsed.options.defundSettleMinutes == 15)
        #expect(parsed.options.webhookRetryBaseSeconds == 1)
        #expect(parsed.options.webhookMaxAttempts == 6)
        #expect(parsed.options.backgroundTickSeconds == 1)
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

    @Test func parsesAccountLifecycleAndWebhookFlags() throws {
        let parsed = try parse("--balance 12.5 --low-balance 0 --inventory 3 --exact-wallets --activation-minutes 90 --wallet-ready 0 --defund-minutes 0.5 --webhook-retry 0.25 --webhook-attempts 2 --tick 0 --start 2026-06-01T08:00:00Z --speed 0")

        #expect(parsed.options.startingResellerBalance == Money(cents: 1_250))
        #expect(parsed.options.resellerLowBalance == .zero)
        #expect(parsed.options.inventoryLimit == 3)
        #expect(parsed.options.walletCreditUnitMicros == 1)
        #expect(parsed.options.provisionedActivationMinutes == 90)
        #expect(parsed.options.walletReadySeconds == 0)
        #expect(parsed.options.defundSettleMinutes == 0.5)
        #expect(parsed.options.webhookRetryBaseSeconds == 0.25)
        #expect(parsed.options.webhookMaxAttempts == 2)
        #expect(parsed.options.backgroundTickSeconds == 0)
        #expect(parsed.options.startDate == Date(timeIntervalSince1970: 1_780_300_800))
        #expect(parsed.options.speed == 0)
    }

    @Test func activationNeverLeavesSIMsPending() throws {
        let parsed = try parse("--activation-minutes never")

        #expect(parsed.options.provisionedActivationMinutes == nil)
    }

    @Test(arguments: [("0", 0), ("0.01", 1), ("49.9", 4_990), ("5000", 500_000), ("1000000000", 100_000_000_000)] as [(String, Int64)])
    func balanceParsesExactCents(text: String, cents: Int64) throws {
        let parsed = try parse("--balance \(text)")

        #expect(parsed.options.startingResellerBalance.cents == cents)
    }

    @Test(arguments: ["-5", "1e3", "12.345", "nan", "inf", "$20", "1,000", "12.", ".5", "", "0x10", "1000000000.01", "99999999999"])
    func balanceRejectsNonMoney(text: String) {
        #expect(parseError("--balance=\(text)") == "Invalid value '\(text)' for --balance: expected dollars with at most two decimals, from 0 to 1000000000, e.g. 250 or 49.99.")
    }

    @Test(arguments: [("0.0.0.0", "0.0.0.0"), ("::", "::"), ("fe80::1", "fe80::1"), ("LocalHost", "127.0.0.1")])
    func hostAcceptsAddressLiterals(value: String, host: String) throws {
        #expect(try parse("--host \(value)").host == host)
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
            ("--host 0.0.0.0x", "Invalid value '0.0.0.0x' for --host: expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost; host names are not looked up."),
            ("--host example.com", "Invalid value 'example.com' for --host: expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost; host names are not looked up."),
            ("--host [::1]", "Invalid value '[::1]' for --host: expected an IPv4 or IPv6 address such as 127.0.0.1, 0.0.0.0 or ::1, or localhost; host names are not looked up."),
            ("--seed x", "Invalid value 'x' for --seed: expected a whole number from 0 to 18446744073709551615."),
            ("--speed -1", "Invalid value '-1' for --speed: expected simulated seconds per real second, a number from 0 to 1000000 (0 stops the clock), e.g. 60."),
            ("--speed nan", "Invalid value 'nan' for --speed: expected simulated seconds per real second, a number from 0 to 1000000 (0 stops the clock), e.g. 60."),
            ("--speed 1e3", "Invalid value '1e3' for --speed: expected simulated seconds per real second, a number from 0 to 1000000 (0 stops the clock), e.g. 60."),
            ("--start 2026-06-01", "Invalid value '2026-06-01' for --start: expected an ISO-8601 UTC time such as 2026-06-01T08:00:00Z."),
            ("--start 2026-06-01T08:00:00+02:00", "Invalid value '2026-06-01T08:00:00+02:00' for --start: expected an ISO-8601 UTC time such as 2026-06-01T08:00:00Z."),
            ("--low-balance 5.001", "Invalid value '5.001' for --low-balance: expected dollars with at most two decimals, from 0 to 1000000000, e.g. 250 or 49.99."),
            ("--inventory -1", "Invalid value '-1' for --inventory: expected a whole number of eSIMs from 0 to 100000000."),
            ("--activation-minutes later", "Invalid value 'later' for --activation-minutes: expected simulated minutes from 0 to 525600, or never, e.g. 30."),
            ("--wallet-ready -5", "Invalid value '-5' for --wallet-ready: expected simulated seconds from 0 to 86400, e.g. 5."),
            ("--defund-minutes 20000", "Invalid value '20000' for --defund-minutes: expected simulated minutes from 0 to 10080, e.g. 15."),
            ("--webhook-retry 301", "Invalid value '301' for --webhook-retry: expected seconds from 0 to 300, e.g. 1."),
            ("--webhook-attempts 0", "Invalid value '0' for --webhook-attempts: expected a whole number from 1 to 20."),
            ("--tick 1e9", "Invalid value '1e9' for --tick: expected seconds from 0 to 3600 (0 turns the background evaluation off), e.g. 1."),
            ("--exact-wallets=no", "The option --exact-wallets takes no value. Remove '=no'."),
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
