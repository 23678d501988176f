/// Limits, timeouts and logging of an `HTTPServer`.
public struct HTTPServerConfiguration: Sendable {
    public var limits = HTTPRequestLimits()
    /// How long a keep-alive connection may wait for the first byte of its next request
    /// before the server closes it.
    public var idleTimeout: Duration = .seconds(30)
    /// How long a client may take to send one whole request once its first byte arrived.
    /// A client that stalls mid-request gets 408 and is dropped when this passes.
    public var requestReadTimeout: Duration = .seconds(10)
    /// How long the server waits for a client to accept the bytes of one response.
    public var writeTimeout: Duration = .seconds(10)
    /// Connections served at once, each on its own thread. Past this, a new connection
    /// gets 503 and is closed.
    public var maxConnections = 512
    /// Pending connections the kernel queues before `accept`.
    public var listenBacklog: Int32 = 128
    /// Receives one entry per finished exchange, on the connection's thread.
    public var requestLog: (@Sendable (HTTPRequestLogEntry) -> Void)?
    /// Receives errors the server handles without stopping (failed accepts), on any thread.
    public var errorLog: (@Sendable (String) -> Void)?

    public init() {}
}
