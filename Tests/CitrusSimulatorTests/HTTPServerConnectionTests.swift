@testable import CitrusSimulator
import Foundation
import Testing

/// A server with short timeouts and small limits, echoing each request's method, path and body.
private func makeEchoServer(configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
    var configuration = HTTPServerConfiguration()
    configuration.idleTimeout = .milliseconds(500)
    configuration.requestReadTimeout = .milliseconds(300)
    configuration.limits.maxHeaderBytes = 4096
    configuration.limits.maxBodyBytes = 1000
    configure(&configuration)
    return try HTTPServer(configuration: configuration) { request in
        let body = String(decoding: request.body, as: UTF8.self)
        return .json(200, "{\"method\":\"\(request.method)\",\"path\":\"\(request.path)\",\"body\":\"\(body)\"}")
    }
}

@Suite struct HTTPServerConnectionTests {
    @Test func keepAliveServesSequentialRequests() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        for index in 1...3 {
            try client.send(httpRequestText("/seq/\(index)"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "keep-alive")
            #expect(response.bodyText.contains("\"path\":\"/seq/\(index)\""))
        }
    }

    @Test func pipelinedRequestsAnswerInOrder() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/p1") + httpRequestText("POST", "/p2", body: "two") + httpRequestText("/p3"))

        #expect(try client.readResponse().bodyText.contains("\"path\":\"/p1\""))
        let second = try client.readResponse()
        #expect(second.bodyText.contains("\"path\":\"/p2\""))
        #expect(second.bodyText.contains("\"body\":\"two\""))
        #expect(try client.readResponse().bodyText.contains("\"path\":\"/p3\""))
    }

    @Test func connectionCloseEndsAfterResponse() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/bye", headers: ["Connection: close"]))

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(client.waitForEnding() == .closed([]))
    }

    @Test func headResponseHasLengthButNoBody() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("HEAD", "/h") + httpRequestText("/after"))

        let head = try client.readResponse(toHead: true)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") != "0")
        #expect(try client.readResponse().bodyText.contains("/after"))
    }

    @Test func largeBodyArrivesIntactAfterPartialWrites() throws {
        // 8 MB is far above the socket buffers, so the gathered head and body go out in many pieces.
        let body = (0..<8_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let server = try HTTPServer { _ in HTTPResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body) }
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/large") + httpRequestText("/again"))
        Thread.sleep(forTimeInterval: 0.2)

        let first = try client.readResponse(timeout: 20)
        #expect(first.header("Content-Length") == "8000000")
        #expect(first.body == body)
        #expect(try client.readResponse(timeout: 20).body == body)
    }

    @Test func oversizedHeadersGet431() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/", headers: ["X-Padding: " + String(repeating: "p", count: 5000)]))

        let response = try client.readResponse()
        #expect(response.status == 431)
        #expect(response.bodyText.contains("\"error\":\"HEADERS_TOO_LARGE\""))
        #expect(client.waitForEnding() == .closed([]))
    }

    @Test func oversizedBodyGets413BeforeBodyIsSent() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")

        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.bodyText.contains("1000 bytes"))
    }

    @Test func longRequestLineGets414() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/" + String(repeating: "a", count: 9000)))

        #expect(try client.readResponse().status == 414)
    }

    @Test func chunkedBodyGets501() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")

        let response = try client.readResponse()
        #expect(response.status == 501)
        #expect(response.bodyText.contains("Content-Length"))
    }

    @Test func garbageBytesGet400AndClose() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)
        var generator = ServerTestRandom(seed: 7)
        var garbage = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        garbage += Array("\r\n\r\n".utf8)

        try client.send(garbage)

        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.bodyText.contains("\"error\":\"BAD_REQUEST\""))
        #expect(client.waitForEnding() == .closed([]))
    }

    @Test func serverSurvivesGarbageOnManyConnections() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        var generator = ServerTestRandom(seed: 99)

        for _ in 0..<30 {
            let client = try LoopbackSocketClient(port: server.port)
            let garbage = (0..<Int.random(in: 1...2000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try? client.send(garbage)
        }

        let healthy = try LoopbackSocketClient(port: server.port)
        try healthy.send(httpRequestText("/still-up"))
        #expect(try healthy.readResponse().status == 200)
    }

    @Test func truncatedBodyGets408AfterReadTimeout() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)
        let started = Date()

        try client.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")

        let response = try client.readResponse(timeout: 10)
        #expect(response.status == 408)
        #expect(client.waitForEnding() == .closed([]))
        #expect(Date().timeIntervalSince(started) >= 0.25)
    }

    @Test func stalledRequestLineGets408() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send("GET /never-fini")

        #expect(try client.readResponse(timeout: 10).status == 408)
    }

    @Test func idleConnectionClosedSilently() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)
        try client.send(httpRequestText("/once"))
        _ = try client.readResponse()

        #expect(client.waitForEnding(timeout: 10) == .closed([]))
    }

    @Test func expectContinueGetsInterimResponse() throws {
        let server = try makeEchoServer()
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(try client.readResponse().status == 100)
        try client.send("data")

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText.contains("\"body\":\"data\""))
    }

    /// The handler waits until 64 requests are inside it at once, which only a server that
    /// serves 64 connections concurrently can reach.
    @Test func serves64ConnectionsConcurrently() throws {
        let target = 64
        let gate = ConcurrencyGate(target: target)
        let server = try HTTPServer { _ in
            let reached = gate.arriveAndWait(timeout: 20)
            return .json(200, reached ? "{\"together\":true}" : "{\"together\":false}")
        }
        defer { server.stop() }

        let clients = try (0..<target).map { _ in try LoopbackSocketClient(port: server.port) }
        for client in clients {
            try client.send(httpRequestText("/together"))
        }

        for client in clients {
            let response = try client.readResponse(timeout: 30)
            #expect(response.bodyText == "{\"together\":true}")
        }
    }

    @Test func connectionsPastLimitGet503() throws {
        let server = try makeEchoServer { $0.maxConnections = 2; $0.idleTimeout = .seconds(30) }
        defer { server.stop() }
        let first = try LoopbackSocketClient(port: server.port)
        let second = try LoopbackSocketClient(port: server.port)
        for client in [first, second] {
            try client.send(httpRequestText("/hold"))
            _ = try client.readResponse()
        }

        let third = try LoopbackSocketClient(port: server.port)

        let response = try third.readResponse()
        #expect(response.status == 503)
        #expect(response.bodyText.contains("SERVER_BUSY"))
    }

    @Test func stopClosesIdleConnectionsAndReturns() throws {
        let server = try makeEchoServer { $0.idleTimeout = .seconds(60) }
        let client = try LoopbackSocketClient(port: server.port)
        try client.send(httpRequestText("/x"))
        _ = try client.readResponse()
        let started = Date()

        server.stop()

        #expect(Date().timeIntervalSince(started) < 5)
        #expect(client.waitForEnding() == .closed([]))
        // The port is free once stop returns. A connect can still succeed now and
        // then: as a self-connect from the same ephemeral port, or to another
        // test's new server that the OS gave the port. So one refusal in five tries is enough.
        var refusals = 0
        for _ in 0..<5 where refusals == 0 {
            if (try? LoopbackSocketClient(port: server.port)) == nil { refusals += 1 } else { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(refusals == 1)
    }

    @Test func requestLogOmitsHeaders() throws {
        let lines = LogCollector()
        let server = try makeEchoServer { $0.requestLog = { lines.append($0.line) } }
        defer { server.stop() }
        let client = try LoopbackSocketClient(port: server.port)

        try client.send(httpRequestText("/api/v2/reseller/esim/list", headers: ["Authorization: Bearer rsk_secret"]))
        _ = try client.readResponse()
        server.stop()

        let logged = lines.all
        #expect(logged.count == 1)
        #expect(logged.first?.hasPrefix("GET /api/v2/reseller/esim/list 200 ") == true)
        #expect(!logged.joined().contains("rsk_secret"))
    }
}

/// Lets `target` threads meet: each waits until all have arrived or the timeout passes.
final class ConcurrencyGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var arrived = 0
    private let target: Int

    init(target: Int) {
        self.target = target
    }

    /// Returns true if all `target` callers arrived before the timeout.
    func arriveAndWait(timeout: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let deadline = Date().addingTimeInterval(timeout)
        while arrived < target {
            if !condition.wait(until: deadline) { return arrived >= target }
        }
        return true
    }
}

/// Collects log lines from any thread.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    var all: [String] {
        lock.withLock { lines }
    }
}
