import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (OS-chosen port) whose every reply is
/// chosen by the test: a response, a reset after reading the request, a
/// connection held open, a close without a reply, or raw bytes.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [String: String]
        var body: Data
        /// Seconds since the server started.
        var arrival: Double
        /// 1 for the first request on its connection.
        var indexOnConnection: Int
    }

    enum Reply: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        /// Reads the request, then closes with TCP RST.
        case reset
        /// Reads the request and keeps the connection open for this long.
        case hang(seconds: Double)
        /// Reads the request and closes without a reply.
        case close
        /// Sends these bytes without reading anything (for the TLS test).
        case raw(Data)
    }

    typealias Handler = @Sendable (Request) -> Reply

    let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var connections: [Int32] = []
    private var acceptedCount = 0
    private var stopped = false
    private let started = Date()
    private let rawGreeting: Data?

    /// Starts listening. `rawGreeting`, when set, is written on each connection
    /// after its first bytes are read, and the connection is then closed.
    init(rawGreeting: Data? = nil, handler: @escaping Handler) throws {
        self.handler = handler
        self.rawGreeting = rawGreeting
        let socket = try LoopbackSocket(listenBacklog: 64, reuseAddress: true)
        self.listener = socket.descriptor
        self.port = socket.port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/api/v2/reseller")! }

    var requests: [Request] {
        lock.withLock { recorded }
    }

    /// The TCP connections accepted so far, including those that sent nothing.
    var acceptedConnections: Int {
        lock.withLock { acceptedCount }
    }

    func stop() {
        let open: [Int32] = lock.withLock {
            stopped = true
            return connections
        }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    private var elapsed: Double { Date().timeIntervalSince(started) }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            let accepted: Bool = lock.withLock {
                if stopped { return false }
                acceptedCount += 1
                connections.append(connection)
                return true
            }
            guard accepted else {
                close(connection)
                return
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer {
            lock.withLock { connections.removeAll { $0 == connection } }
            close(connection)
        }
        if let rawGreeting {
            // Read what the client sent first (a TLS ClientHello), so closing sends FIN, not RST.
            var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 5_000) > 0 {
                var chunk = [UInt8](repeating: 0, count: 65_536)
                _ = recv(connection, &chunk, chunk.count, 0)
            }
            writeAll(connection, rawGreeting)
            shutdown(connection, Int32(SHUT_WR))
            return
        }
        var buffer = Data()
        var index = 0
        while let request = readRequest(connection, buffer: &buffer, index: index + 1) {
            index += 1
            lock.withLock { recorded.append(request) }
            switch handler(request) {
            case .respond(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) Scripted\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                if headers["Content-Type"] == nil { head += "Content-Type: application/json\r\n" }
                writeAll(connection, Data((head + "\r\n" + body).utf8))
            case .reset:
                var option = linger(l_onoff: 1, l_linger: 0)
                setsockopt(connection, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
                return
            case .hang(let seconds):
                var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, Int32(seconds * 1000))
                return
            case .close:
                return
            case .raw(let data):
                writeAll(connection, data)
                return
            }
        }
    }

    private func writeAll(_ connection: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Reads one request (head and Content-Length body); nil when the peer closes.
    private func readRequest(_ connection: Int32, buffer: inout Data, index: Int) -> Request? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let headEnd = buffer.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let requestLine = lines.removeFirst().split(separator: " ")
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                let bodyStart = headEnd.upperBound
                if buffer.count - (bodyStart - buffer.startIndex) >= length {
                    let body = buffer[bodyStart..<(bodyStart + length)]
                    let request = Request(
                        method: requestLine.count > 0 ? String(requestLine[0]) : "",
                        target: requestLine.count > 1 ? String(requestLine[1]) : "",
                        headers: headers, body: Data(body), arrival: elapsed, indexOnConnection: index)
                    buffer = Data(buffer[(bodyStart + length)...])
                    return request
                }
            }
            let count = recv(connection, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}

extension ScriptedHTTPServer.Reply {
    static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Self {
        .respond(status: status, headers: headers, body: body)
    }
}

/// A port on 127.0.0.1 that refuses connections: the socket is bound but never
/// listens, and it stays bound until this object goes away, so no other test's
/// server can get the port meanwhile.
final class RefusingPort: @unchecked Sendable {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let socket = try LoopbackSocket(listenBacklog: nil)
        descriptor = socket.descriptor
        port = socket.port
    }

    deinit {
        close(descriptor)
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/api/v2/reseller")! }
}

/// A port on 127.0.0.1 where a TCP connection never completes: it listens with
/// a backlog of 0 that one connection already fills and never accepts, so
/// Linux drops every further SYN, as a firewall that drops packets would.
final class SilentPort: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let filler: Int32

    init() throws {
        let socket = try LoopbackSocket(listenBacklog: 0)
        var address = socket.address
        let filler = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(filler)
            close(socket.descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        self.listener = socket.descriptor
        self.filler = filler
        self.port = socket.port
    }

    deinit {
        close(filler)
        close(listener)
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/api/v2/reseller")! }
}

/// A TCP socket bound to 127.0.0.1 on a port the OS chooses, listening with
/// `listenBacklog` unless that is nil.
struct LoopbackSocket {
    let descriptor: Int32
    let address: sockaddr_in

    var port: UInt16 { UInt16(bigEndian: address.sin_port) }

    init(listenBacklog: Int32?, reuseAddress: Bool = false) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if reuseAddress {
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listenBacklog.map({ listen(fd, $0) == 0 }) ?? true else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.descriptor = fd
        self.address = address
    }
}
