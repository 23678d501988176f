#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import CitrusSimulator
import Foundation
import Testing

/// A minimal HTTP/1.1 client on a raw loopback socket, so tests control every byte sent
/// and see exactly how the server ends a connection (orderly close, reset or silence).
final class LoopbackSocketClient {
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name == name.lowercased() }?.value
        }

        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// How the server ended a connection.
    enum Ending: Equatable {
        /// Orderly close (FIN) after these bytes.
        case closed([UInt8])
        /// TCP reset.
        case reset
        /// Still open when the wait ended.
        case stillOpen
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let descriptor: Int32
    private var buffered: [UInt8] = []

    init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: \(reason)")
        }
    }

    private var isClosed = false

    deinit {
        close()
    }

    /// Closes the socket, as a client that gives up does.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(descriptor)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send failed: \(String(cString: strerror(errno)))") }
            offset += count
        }
    }

    /// Reads one response framed by `Content-Length`, waiting at most `timeout` seconds.
    /// A response to HEAD has no body whatever its `Content-Length`.
    func readResponse(timeout: Double = 5, toHead: Bool = false) throws -> Response {
        let deadline = Date().addingTimeInterval(timeout)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = findHeadEnd()
            if headEnd == nil { try readMore(until: deadline) }
        }
        let headText = String(decoding: buffered[0..<headEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "invalid status line in \(headText)")
        }
        let headers = lines.filter { !$0.isEmpty }.map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]).lowercased(), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        let length = toHead ? 0 : Int(headers.first { $0.name == "content-length" }?.value ?? "0") ?? 0
        let bodyStart = headEnd! + 4
        while buffered.count < bodyStart + length {
            try readMore(until: deadline)
        }
        let body = Array(buffered[bodyStart..<(bodyStart + length)])
        buffered.removeFirst(bodyStart + length)
        return Response(status: status, headers: headers, body: body)
    }

    /// Waits up to `timeout` seconds for the server to close the connection.
    func waitForEnding(timeout: Double = 5) -> Ending {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            do {
                try readMore(until: deadline)
            } catch let failure as Failure where failure.description == "closed" {
                return .closed(buffered)
            } catch let failure as Failure where failure.description == "reset" {
                return .reset
            } catch {
                return .stillOpen
            }
        }
    }

    private func findHeadEnd() -> Int? {
        guard buffered.count >= 4 else { return nil }
        for index in 0...(buffered.count - 4)
        where buffered[index] == 13 && buffered[index + 1] == 10 && buffered[index + 2] == 13 && buffered[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func readMore(until deadline: Date) throws {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { throw Failure(description: "timed out") }
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&descriptors, 1, Int32(remaining * 1000) + 1)
        guard ready > 0 else { throw Failure(description: "timed out") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffered.append(contentsOf: chunk[0..<count])
        } else if count == 0 {
            throw Failure(description: "closed")
        } else if errno == ECONNRESET {
            throw Failure(description: "reset")
        } else {
            throw Failure(description: "recv failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Builds a GET request as a client sends it, with `Host` and optional extra headers.
func httpRequestText(_ path: String, headers: [String] = []) -> String {
    httpRequestText("GET", path, headers: headers)
}

/// Builds a request as a client sends it, with `Host`, optional extra headers and a body.
func httpRequestText(_ method: String, _ path: String, headers: [String] = [], body: String? = nil) -> String {
    var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for header in headers { text += header + "\r\n" }
    if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
    text += "\r\n"
    return text + (body ?? "")
}

@Suite struct HTTPServerSocketClientTests {
    @Test func clientReadsTwoResponsesFromOneBuffer() throws {
        let server = try HTTPServer(handler: { request in .json(200, "{\"path\":\"\(request.path)\"}") })
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/a") + httpRequestText("/b"))

        #expect(try client.readResponse().bodyText == #"{"path":"/a"}"#)
        #expect(try client.readResponse().bodyText == #"{"path":"/b"}"#)
    }
}
