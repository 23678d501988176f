import Foundation

/// A `Simulator` served over HTTP/1.1, with fault injection on the API paths.
///
/// Requests for `/api/v2/reseller` and everything under it go to the simulator through the
/// fault injector. This server serves `/_sim/faults` itself: GET reads the fault settings,
/// and POST or PUT replaces them. Every other `/_sim/` path goes to the simulator without
/// faults, and anything else gets 404 with the error envelope.
public final class SimulatorServer: Sendable {
    /// The port the server listens on.
    public var port: UInt16 { http.port }
    /// The API's base URL, e.g. `http://127.0.0.1:8080/api/v2/reseller`.
    public var baseURL: URL { rootURL.appendingPathComponent(String(Simulator.apiPathPrefix.dropFirst())) }
    /// The server's root URL, e.g. `http://127.0.0.1:8080`, for the `/_sim/` endpoints.
    public var rootURL: URL {
        // A URL built from a numeric host and a port is always valid.
        URL(string: "http://\(Self.urlHost(forBoundAddress: http.address)):\(port)")!
    }
    /// True when only this machine can connect (the server is bound to a loopback address).
    public var isLoopback: Bool { http.isLoopback }
    public let simulator: Simulator

    /// The fault settings in force.
    public var faults: FaultSettings { router.injector.settings }

    private let http: HTTPServer
    private let router: SimulatorRouter

    /// Binds `host:port` (port 0 lets the OS choose), starts serving on background threads,
    /// and returns once the socket listens. Logs nothing.
    public static func start(
        options: SimulatorOptions,
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        faults: FaultSettings = FaultSettings()
    ) throws -> SimulatorServer {
        try start(options: options, host: host, port: port, faults: faults, configuration: HTTPServerConfiguration())
    }

    /// Like `start(options:host:port:faults:)`, with the server's limits, timeouts and logs.
    /// Throws `FaultSettingsError` for invalid faults and `HTTPServerError` when it cannot listen.
    public static func start(
        options: SimulatorOptions,
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        faults: FaultSettings = FaultSettings(),
        configuration: HTTPServerConfiguration
    ) throws -> SimulatorServer {
        let simulator = Simulator(options: options)
        return try SimulatorServer(simulator: simulator, handler: simulator.handle, host: host, port: port, faults: faults, configuration: configuration)
    }

    /// Serves `handler` in place of `simulator.handle`, so the server can be tested alone.
    init(
        simulator: Simulator,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse,
        host: String,
        port: UInt16,
        faults: FaultSettings,
        configuration: HTTPServerConfiguration
    ) throws {
        try faults.validate()
        let router = SimulatorRouter(handler: handler, injector: FaultInjector(settings: faults))
        self.simulator = simulator
        self.router = router
        self.http = try HTTPServer(host: host, port: port, configuration: configuration, responder: router.reply)
    }

    /// Replaces the fault settings and restarts the fault generator from their seed.
    /// The settings are not validated here, so call `FaultSettings.validate()` first. A rate
    /// outside 0...1 acts as the nearer end, and a negative latency or hold time as 0.
    public func setFaults(_ faults: FaultSettings) {
        router.injector.replaceSettings(faults)
    }

    /// Closes the listener and every connection, and returns once every server thread ended.
    /// Calling it from a request handler would wait for the handler's own thread forever.
    public func stop() {
        http.stop()
    }

    /// Returns the host part of a URL for the bound address: a wildcard address becomes loopback,
    /// and an IPv6 address gets brackets.
    static func urlHost(forBoundAddress address: String) -> String {
        switch address {
        case "0.0.0.0": return "127.0.0.1"
        case "::": return "[::1]"
        default: return address.contains(":") ? "[\(address)]" : address
        }
    }
}
