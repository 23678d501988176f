#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An HTTP/1.1 server on POSIX sockets, one thread per connection.
///
/// It serves keep-alive and pipelined requests with `Content-Length` bodies, responds to
/// malformed or oversized requests with 400, 413, 414, 431 or 501, and drops idle and
/// slow clients after the configured timeouts. The responder runs on the connection's
/// thread, once per request, in the order the requests arrived.
public final class HTTPServer: Sendable {
    /// The port the server listens on (the OS-chosen one when started with port 0).
    public var port: UInt16 { core.port }
    /// The numeric address the server is bound to, e.g. `127.0.0.1`.
    public var address: String { core.address }
    /// True when the bound address is a loopback address (127.0.0.0/8 or ::1), so only
    /// this machine can connect.
    public var isLoopback: Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    private let core: HTTPServerCore

    /// Binds `host:port` (port 0 lets the OS choose) and serves on background threads.
    /// Returns once the socket listens, so a client may connect right away.
    public convenience init(
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws(HTTPServerError) {
        try self.init(host: host, port: port, configuration: configuration, responder: { .respond(handler($0)) })
    }

    /// Like `init(host:port:configuration:handler:)`, with a responder that may also delay,
    /// hold or reset instead of responding.
    public init(
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        responder: @escaping @Sendable (HTTPRequest) -> HTTPReply
    ) throws(HTTPServerError) {
        let listener = try POSIXSocket.listen(host: host, port: port, backlog: configuration.listenBacklog)
        let wakePipe: (read: Int32, write: Int32)
        do {
            wakePipe = try POSIXSocket.makeWakePipe()
        } catch {
            close(listener.descriptor)
            throw error
        }
        core = HTTPServerCore(listener: listener, wakePipe: wakePipe, configuration: configuration, responder: responder)
        core.startAcceptThread()
    }

    deinit {
        core.stop()
    }

    /// Stops accepting, lets each connection finish the response it is writing, closes every
    /// connection and the listener, and returns once every server thread has ended.
    /// Calling it again does nothing. A responder must not call it, because it would wait
    /// for its own thread.
    public func stop() {
        core.stop()
    }
}

/// The state the server's threads share. Threads hold this rather than the `HTTPServer`,
/// so dropping the last reference to the server stops it.
final class HTTPServerCore: @unchecked Sendable {
    let port: UInt16
    let address: String
    let configuration: HTTPServerConfiguration
    let responder: @Sendable (HTTPRequest) -> HTTPReply
    let wakeDescriptor: Int32

    private let listener: Int32
    private let wakeWriteDescriptor: Int32
    private let threads = DispatchGroup()
    // `lock` guards the three fields below it.
    private let lock = NSLock()
    private var openConnections = 0
    private var stopRequested = false
    private var descriptorsClosed = false

    init(listener: ListeningSocket, wakePipe: (read: Int32, write: Int32), configuration: HTTPServerConfiguration, responder: @escaping @Sendable (HTTPRequest) -> HTTPReply) {
        self.listener = listener.descriptor
        self.port = listener.port
        self.address = listener.address
        self.wakeDescriptor = wakePipe.read
        self.wakeWriteDescriptor = wakePipe.write
        self.configuration = configuration
        self.responder = responder
    }

    var isStopping: Bool {
        lock.withLock { stopRequested }
    }

    func startAcceptThread() {
        threads.enter()
        let thread = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        thread.name = "citrus-sim accept"
        thread.start()
    }

    func stop() {
        let isFirstCall = lock.withLock {
            defer { stopRequested = true }
            return !stopRequested
        }
        if isFirstCall {
            var byte: UInt8 = 1
            _ = write(wakeWriteDescriptor, &byte, 1)
        }

        threads.wait()

        lock.withLock {
            guard !descriptorsClosed else { return }
            descriptorsClosed = true
            close(listener)
            close(wakeDescriptor)
            close(wakeWriteDescriptor)
        }
    }

    private func acceptLoop() {
        while true {
            switch POSIXSocket.wait(for: Int16(POLLIN), on: listener, wakeDescriptor: wakeDescriptor, deadline: nil) {
            case .stopping:
                return
            case .timedOut:
                continue
            case .failed:
                configuration.errorLog?("poll on the listening socket failed: \(POSIXSocket.errorText())")
                guard POSIXSocket.pause(until: .now + .milliseconds(100), wakeDescriptor: wakeDescriptor) else { return }
            case .ready:
                guard acceptPendingConnections() else { return }
            }
        }
    }

    /// Accepts until the backlog is empty. Returns false if the server started stopping.
    private func acceptPendingConnections() -> Bool {
        while true {
            let descriptor = Glibc.accept(listener, nil, nil)
            if descriptor >= 0 {
                startConnection(descriptor)
                continue
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                return true
            case EINTR, ECONNABORTED:
                continue
            default:
                // EMFILE and the like: the connection stays queued, so wait a little
                // instead of spinning on a listener that stays readable.
                configuration.errorLog?("accept failed: \(POSIXSocket.errorText()); retrying in 100 ms")
                return POSIXSocket.pause(until: .now + .milliseconds(100), wakeDescriptor: wakeDescriptor)
            }
        }
    }

    private func startConnection(_ descriptor: Int32) {
        guard POSIXSocket.prepareAccepted(descriptor) else {
            close(descriptor)
            return
        }

        let admitted = lock.withLock {
            guard openConnections < configuration.maxConnections else { return false }
            openConnections += 1
            return true
        }
        guard admitted else {
            rejectBusy(descriptor)
            return
        }

        threads.enter()
        let thread = Thread { [self] in
            HTTPConnection(descriptor: descriptor, server: self).run()
            lock.withLock { openConnections -= 1 }
            threads.leave()
        }
        thread.name = "citrus-sim connection"
        thread.stackSize = 1024 * 1024
        thread.start()
    }

    private func rejectBusy(_ descriptor: Int32) {
        let message = "The server already serves \(configuration.maxConnections) connections. Retry later or close idle connections."
        let response = HTTPResponseSerializer.errorResponse(status: 503, code: "SERVER_BUSY", message: message)
        let bytes = HTTPResponseSerializer.bytes(of: response, isHeadRequest: false, closing: true)
        _ = POSIXSocket.sendAll(bytes, on: descriptor, deadline: .now + .milliseconds(100))
        close(descriptor)
        configuration.errorLog?("rejected a connection with 503: \(configuration.maxConnections) connections are open")
    }
}
