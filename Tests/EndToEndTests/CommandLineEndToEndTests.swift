import Foundation
import Testing

/// Tests of the `citrus-fleet` command line, run as a process without a terminal:
/// arguments are checked before the terminal is touched, so each bad one
/// exits with status 2 and a message on standard error.
@Suite struct CommandLineEndToEndTests {
    /// Runs citrus-fleet with `arguments` and `environment` added to a clean
    /// environment whose XDG directories point at a new temporary directory.
    /// `configuration` becomes the configuration file; `$DIR` in it stands
    /// for that directory.
    private func runFleet(_ arguments: [String], environment: [String] = [], configuration: String? = nil) throws -> ProcessResult {
        let binary = try CitrusFleetBinary.path().path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citrus-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        if let configuration {
            let configDirectory = directory.appendingPathComponent("config/citrus-fleet")
            try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
            try configuration.replacingOccurrences(of: "$DIR", with: directory.path)
                .write(to: configDirectory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        }

        let base = [
            "-i", "PATH=/usr/bin:/bin", "HOME=\(directory.path)", "XDG_STATE_HOME=\(directory.path)/state",
            "XDG_DATA_HOME=\(directory.path)/data", "XDG_CONFIG_HOME=\(directory.path)/config", "TERM=xterm",
        ]
        return try ProcessRunner.run(["env"] + base + environment + [binary] + arguments, timeout: 30)
    }

    @Test func helpListsKeysAndExitsZero() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--help"])

            #expect(result.status == 0)
            #expect(result.output.hasPrefix("USAGE: citrus-fleet [options]"))
            #expect(result.output.contains("--speed N"))
            #expect(result.output.contains("CITRUS_API_KEY"))
            #expect(result.output.contains("/            filter (status:active wallet<5 eta<2h label:berlin low -stale …)"))
            #expect(result.output.contains("--budget N"))
            #expect(result.output.contains("$XDG_CONFIG_HOME/citrus-fleet/config"))
        }
    }

    @Test func apiKeyFlagIsRejectedWithoutEchoingIt() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--api-key", "rsk_secret_value"])

            #expect(result.status == 2)
            #expect(result.output.contains("The API key is not accepted on the command line"))
            #expect(!result.output.contains("rsk_secret_value"))
        }
    }

    @Test func unknownFlagNamesItself() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--sped", "60"])

            #expect(result.status == 2)
            #expect(result.output == "citrus-fleet: Unknown option '--sped'. Run 'citrus-fleet --help' to see the options.\n")
        }
    }

    @Test func baseURLWithoutKeyIsRejected() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--base-url", "https://example.invalid/api"])

            #expect(result.status == 2)
            #expect(result.output.contains("--base-url https://example.invalid/api needs an API key"))
        }
    }

    @Test func simulatorFlagsWithKeyAreRejected() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--speed", "10"], environment: ["CITRUS_API_KEY=rsk_test"])

            #expect(result.status == 2)
            #expect(result.output.contains("--speed and --seed set the built-in simulator"))
        }
    }

    @Test func plainHTTPToRemoteHostIsRejected() async throws {
        try await offCooperativePool {
            let result = try runFleet([], environment: ["CITRUS_API_KEY=rsk_test", "CITRUS_BASE_URL=http://203.0.113.5/api/v2/reseller"])

            #expect(result.status == 2)
            #expect(result.output.contains("uses plain http:// to 203.0.113.5"))
            #expect(!result.output.contains("rsk_test"))
        }
    }

    @Test func missingNamedConfigFileExitsTwo() async throws {
        try await offCooperativePool {
            let result = try runFleet([], environment: ["CITRUS_FLEET_CONFIG=/nonexistent"])

            #expect(result.status == 2)
            #expect(result.output.contains("CITRUS_FLEET_CONFIG: the configuration file /nonexistent was not found. Create it, correct the path, or unset CITRUS_FLEET_CONFIG"))
        }
    }

    @Test func intervalOutOfRangeIsRejected() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--interval", "0"])

            #expect(result.status == 2)
            #expect(result.output.contains("Invalid value '0' for --interval"))
        }
    }

    @Test func budgetAboveCitrusLimitIsRejected() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--budget", "101"])

            #expect(result.status == 2)
            #expect(result.output == "citrus-fleet: Invalid value '101' for --budget: expected requests per minute, a whole number from 1 to 100 (Citrus allows 100 per key), such as 60.\n")
        }
    }

    @Test func unknownThemeNameIsRejected() async throws {
        try await offCooperativePool {
            let result = try runFleet([], environment: ["CITRUS_FLEET_THEME=ocean"])

            #expect(result.status == 2)
            #expect(result.output.hasPrefix("citrus-fleet: The theme \"ocean\" (set by CITRUS_FLEET_THEME) was not found: there is no file "))
            #expect(result.output.contains("/config/citrus-fleet/themes/ocean.theme or "))
        }
    }

    @Test func configuredKeyFileIsRead() async throws {
        try await offCooperativePool {
            let result = try runFleet([], configuration: "api_key_file = $DIR/missing-key\n")

            #expect(result.status == 2)
            #expect(result.output.contains("/missing-key"))
        }
    }

    @Test func environmentKeyBeatsConfiguredKeyFile() async throws {
        try await offCooperativePool {
            let result = try runFleet([], environment: ["CITRUS_API_KEY=rsk_test_environment"], configuration: "api_key_file = $DIR/missing-key\n")

            // The file is not read, so startup goes on to the terminal check.
            #expect(result.status == 1)
            #expect(result.output.contains("The dashboard needs a terminal"))
        }
    }

    @Test func configuredBaseURLNeedsKey() async throws {
        try await offCooperativePool {
            let result = try runFleet([], configuration: "base_url = http://127.0.0.1:9/api/v2/reseller\n")

            #expect(result.status == 2)
            #expect(result.output.contains("sets the base URL http://127.0.0.1:9/api/v2/reseller, which needs an API key"))
        }
    }

    @Test func withoutTerminalExitsOne() async throws {
        try await offCooperativePool {
            let result = try runFleet(["--seed", "7"])

            #expect(result.status == 1)
            #expect(result.output.contains("The dashboard needs a terminal"))
        }
    }
}
