// citrus-sim: a simulated Citrus Reseller API v2 on this machine. `citrus-sim --help`
// lists the options. Exit status: 0 after SIGINT or SIGTERM, 1 when the server cannot
// start, 2 for an invalid command line.

import CitrusSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func logToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

let commandLine: SimulatorCommandLine
do {
    commandLine = try SimulatorCommandLine.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    logToStandardError("citrus-sim: \(error.description)")
    exit(2)
}

if commandLine.showHelp {
    print(SimulatorCommandLine.helpText, terminator: "")
    exit(0)
}

signal(SIGPIPE, SIG_IGN)
guard let shutdownSignal = ShutdownSignal.install() else {
    logToStandardError("citrus-sim: could not install the SIGINT and SIGTERM handlers: \(String(cString: strerror(errno))).")
    exit(1)
}

var configuration = commandLine.server
configuration.requestLog = { entry in logToStandardError(entry.line) }
configuration.errorLog = { message in logToStandardError("citrus-sim: error: \(message)") }

let server: SimulatorServer
do {
    server = try SimulatorServer.start(
        options: commandLine.options, host: commandLine.host, port: commandLine.port,
        faults: commandLine.faults, configuration: configuration)
} catch let error as HTTPServerError {
    logToStandardError("citrus-sim: \(error.description)")
    exit(error.kind == .invalidHost ? 2 : 1)
} catch {
    logToStandardError("citrus-sim: \(error)")
    exit(1)
}

// Tests and scripts read this first line to find the port, so it bypasses stdout's
// buffer and leaves at once.
FileHandle.standardOutput.write(Data((server.baseURL.absoluteString + "\n").utf8))

if !server.isLoopback {
    logToStandardError("citrus-sim: warning: bound to \(commandLine.host), which is not a loopback address: other machines can reach this simulator and its /_sim/ control endpoints.")
}
let speedText = commandLine.options.speed == 0 ? "clock stopped until POST /_sim/clock" : "speed \(commandLine.options.speed)x"
logToStandardError("citrus-sim: listening on \(server.rootURL.absoluteString) (seed \(commandLine.options.seed), \(speedText)). Stop with Ctrl-C.")

let signalName = shutdownSignal.wait()
logToStandardError("citrus-sim: received \(signalName), closing connections")
server.stop()
logToStandardError("citrus-sim: stopped")
exit(0)
