import CitrusAPI
import CitrusSimulator
import FleetCore
import Foundation

/// A failure to reach the point where the dashboard can send requests.
struct ConnectionError: Error, CustomStringConvertible {
    var description: String
}

/// The client the dashboard uses, and the in-process simulator behind it
/// when there is no API key.
final class DashboardConnection {
    /// How long `close` waits for the simulator's threads, in seconds. The
    /// shell gets its prompt back after this even if a connection hangs.
    static let simulatorStopTimeout: TimeInterval = 2

    let client: CitrusClient
    /// The clock that stamps readings and events: the simulator's simulated
    /// time in the demo, so burn rates read in dollars per simulated hour, and
    /// the system clock against Citrus.
    let fleetClock: FleetClock
    private let server: SimulatorServer?
    /// The audit log of mutating requests, when one could be opened.
    let auditLog: AuditLog?

    private init(client: CitrusClient, fleetClock: FleetClock, server: SimulatorServer?, auditLog: AuditLog?) {
        self.client = client
        self.fleetClock = fleetClock
        self.server = server
        self.auditLog = auditLog
    }

    /// The client's timeouts, in seconds.
    struct Timeouts {
        var request: TimeInterval = 30
        var connect: TimeInterval = 10
    }

    /// Starts the simulator when `target` is the simulator, opens the audit
    /// log and creates the client, which spends `budgetPerMinute` requests per minute.
    static func open(
        _ target: DashboardTarget, budgetPerMinute: Int, timeouts: Timeouts = Timeouts(), auditLog auditURL: URL, log: FileLog
    ) throws(ConnectionError) -> DashboardConnection {
        switch target {
        case .simulator(let speed, let seed):
            let apiKey = DashboardTarget.generateDemoKey()
            let server = try startSimulator(speed: speed, seed: seed, apiKey: apiKey, log: log)
            log.info("citrus-fleet \(CitrusClient.version) started on the built-in simulator at \(server.baseURL.absoluteString) (seed \(seed), speed \(speed)x).")
            // Demo actions go to their own audit file, apart from real ones.
            let demoAuditURL = auditURL.deletingLastPathComponent().appendingPathComponent("audit-demo.jsonl")
            let auditLog = openAuditLog(demoAuditURL, required: false, log: log)
            let client = try makeClient(
                baseURL: server.baseURL, apiKey: apiKey, budgetPerMinute: budgetPerMinute, timeouts: timeouts, auditLog: auditLog, log: log)
            let clock = FleetClock.scaled(speed: speed, origin: server.simulator.simulatedNow)
            return DashboardConnection(client: client, fleetClock: clock, server: server, auditLog: auditLog)

        case .citrus(let baseURL, let apiKey):
            log.info("citrus-fleet \(CitrusClient.version) started against \(baseURL.absoluteString).")
            let auditLog = openAuditLog(auditURL, required: true, log: log)
            guard let auditLog else {
                throw ConnectionError(description: "Could not open the audit log at \(auditURL.path); see the log file for the reason. citrus-fleet records every change it sends to Citrus there, so it does not start without it. Make the directory writable, or set audit_log in the configuration file.")
            }
            let client = try makeClient(
                baseURL: baseURL, apiKey: apiKey, budgetPerMinute: budgetPerMinute, timeouts: timeouts, auditLog: auditLog, log: log)
            return DashboardConnection(client: client, fleetClock: .system, server: nil, auditLog: auditLog)
        }
    }

    /// Stops the simulator, if one runs, waiting at most `simulatorStopTimeout`.
    func close() {
        guard let server else { return }
        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.stop()
            stopped.signal()
        }
        _ = stopped.wait(timeout: .now() + Self.simulatorStopTimeout)
    }

    private static func startSimulator(speed: Double, seed: UInt64, apiKey: String, log: FileLog) throws(ConnectionError) -> SimulatorServer {
        var options = SimulatorOptions()
        options.fleet = .demo
        options.speed = speed
        options.seed = seed
        options.apiKey = apiKey
        var configuration = HTTPServerConfiguration()
        configuration.errorLog = { message in log.error("Simulator: \(message)") }
        do {
            return try SimulatorServer.start(options: options, host: "127.0.0.1", port: 0, configuration: configuration)
        } catch {
            throw ConnectionError(description: "Could not start the built-in simulator on 127.0.0.1: \(error)")
        }
    }

    private static func openAuditLog(_ url: URL, required: Bool, log: FileLog) -> AuditLog? {
        do {
            return try AuditLog(url: url)
        } catch {
            let message = "Could not open the audit log at \(url.path): \(error)"
            if required { log.error(message) } else { log.warning(message + "; demo actions are not audited.") }
            return nil
        }
    }

    private static func makeClient(
        baseURL: URL, apiKey: String, budgetPerMinute: Int, timeouts: Timeouts, auditLog: AuditLog?, log: FileLog
    ) throws(ConnectionError) -> CitrusClient {
        let configuration = CitrusClientConfiguration(
            baseURL: baseURL, apiKey: apiKey, requestTimeout: timeouts.request, connectTimeout: timeouts.connect,
            requestsPerMinute: budgetPerMinute)
        do {
            let client = try CitrusClient(validating: configuration, audit: auditLog?.sink, logger: log)
            log.info("Client: \(configuration)")
            return client
        } catch {
            throw ConnectionError(description: "\(error)")
        }
    }
}
