#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import CitrusSimulator
import Foundation
import Testing

/// The `citrus-sim` executable next to the test binary: `swift test` builds and links every
/// product of the package into the same directory as the test bundle.
enum CitrusSimBinary {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static let url: Result<URL, Missing> = locate()

    private static func locate() -> Result<URL, Missing> {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binary = testBinary.deletingLastPathComponent().appendingPathComponent("citrus-sim")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            return .failure(Missing(description: "citrus-sim is not at \(binary.path). Build it with 'swift build --product citrus-sim' and the same --scratch-path as the tests."))
        }
        return .success(binary)
    }
}

/// A running `citrus-sim` with its standard output and error captured.
final class CitrusSimProcess {
    let process = Process()
    private let standardOutput = Pipe()
    private let standardError = Pipe()

    init(_ arguments: [String]) throws {
        process.executableURL = try CitrusSimBinary.url.get()
        process.arguments = arguments
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Reads the first line on standard output, or returns nil if none arrives within `timeout` seconds.
    func firstLine(timeout: Double = 20) -> String? {
        let descriptor = standardOutput.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(timeout)
        var bytes: [UInt8] = []
        while Date() < deadline {
            var poller = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&poller, 1, 100) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(descriptor, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the exit status, or returns nil if the process still runs after `timeout` seconds.
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Everything on standard output after the lines already read; call after exit.
    var remainingOutput: String {
        String(decoding: standardOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Everything on standard error; call after exit.
    var errorOutput: String {
        String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}

@Suite(.serialized) struct SimulatorServerProcessTests {
    @Test func printsBaseURLFirstAndStopsOnSIGTERM() throws {
        let simulator = try CitrusSimProcess(["--port", "0", "--fleet", "empty"])

        let line = try #require(simulator.firstLine())
        let prefix = "http://127.0.0.1:"
        let suffix = "/api/v2/reseller"
        #expect(line.hasPrefix(prefix))
        #expect(line.hasSuffix(suffix))
        let port = try #require(UInt16(line.dropFirst(prefix.count).dropLast(suffix.count)))

        let client = try LoopbackSocketClient(port: port)
        try client.send(httpRequestText("/_sim/faults") + httpRequestText("/api/v2/reseller/esim/list", headers: ["Authorization: Bearer rsk_do_not_log"]))
        #expect(try client.readResponse().status == 200)
        _ = try client.readResponse()

        simulator.signal(SIGTERM)

        #expect(simulator.waitForExit() == 0)
        #expect(client.waitForEnding() == .closed([]))
        let log = simulator.errorOutput
        #expect(log.contains("GET /_sim/faults 200 "))
        #expect(log.contains("GET /api/v2/reseller/esim/list "))
        #expect(log.contains("received SIGTERM"))
        #expect(!log.contains("rsk_do_not_log"))
    }

    @Test func stopsOnSIGINT() throws {
        let simulator = try CitrusSimProcess(["--port", "0", "--fleet", "empty"])
        _ = try #require(simulator.firstLine())

        simulator.signal(SIGINT)

        #expect(simulator.waitForExit() == 0)
        #expect(simulator.errorOutput.contains("received SIGINT"))
    }

    @Test func accountFlagsReachTheModel() throws {
        let simulator = try CitrusSimProcess(["--port", "0", "--fleet", "empty", "--speed", "0", "--start", "2026-06-01T08:00:00Z", "--balance", "1.50"])
        let line = try #require(simulator.firstLine())
        let port = try #require(URL(string: line)?.port)
        let client = try LoopbackSocketClient(port: UInt16(port))

        try client.send(httpRequestText("/_sim/clock"))
        let clock = try client.readResponse().bodyText
        try client.send(httpRequestText("/api/v2/reseller/wallet/balance", headers: ["Authorization: Bearer rsk_flags"]))
        let balance = try client.readResponse().bodyText

        #expect(clock.contains("\"now\":\"2026-06-01T08:00:00Z\""))
        #expect(clock.contains("\"speed\":0"))
        #expect(balance.contains("\"balance_usd\":1.50"))
        simulator.signal(SIGTERM)
        #expect(simulator.waitForExit() == 0)
    }

    @Test func helpPrintsEveryFlag() throws {
        let simulator = try CitrusSimProcess(["--help"])

        #expect(simulator.waitForExit() == 0)
        #expect(simulator.remainingOutput == expectedHelpText)
    }

    @Test func badFlagValueExitsWith2() throws {
        let simulator = try CitrusSimProcess(["--port", "80000"])

        #expect(simulator.waitForExit() == 2)
        #expect(simulator.errorOutput == "citrus-sim: Invalid value '80000' for --port: expected a whole number from 0 to 65535 (0 picks a free port).\n")
        #expect(simulator.remainingOutput.isEmpty)
    }

    @Test func badMoneyFlagExitsWith2() throws {
        let simulator = try CitrusSimProcess(["--balance", "1e3"])

        #expect(simulator.waitForExit() == 2)
        #expect(simulator.errorOutput == "citrus-sim: Invalid value '1e3' for --balance: expected dollars with at most two decimals, from 0 to 1000000000, e.g. 250 or 49.99.\n")
    }

    @Test func unknownFlagExitsWith2() throws {
        let simulator = try CitrusSimProcess(["--prot", "8080"])

        #expect(simulator.waitForExit() == 2)
        #expect(simulator.errorOutput == "citrus-sim: Unknown option '--prot'. Run 'citrus-sim --help' to see the options.\n")
    }

    /// A host name is rejected before any DNS lookup, with the value and the accepted forms.
    @Test(arguments: ["not-an-address.invalid", "0.0.0.0x"])
    func invalidHostExitsWith2(host: String) throws {
        let simulator = try CitrusSimProcess(["--host", host, "--port", "0"])

        #expect(simulator.waitForExit() == 2)
        #expect(simulator.errorOutput.hasPrefix("citrus-sim: Invalid value '\(host)' for --host: expected an IPv4 or IPv6 address"))
        #expect(!simulator.errorOutput.contains("not known"))
    }

    @Test func busyPortExitsWith1() throws {
        let other = try HTTPServer { _ in .json(200, "{}") }
        defer { other.stop() }

        let simulator = try CitrusSimProcess(["--port", String(other.port)])

        #expect(simulator.waitForExit() == 1)
        #expect(simulator.errorOutput.contains("Could not listen on 127.0.0.1:\(other.port)"))
    }
}
