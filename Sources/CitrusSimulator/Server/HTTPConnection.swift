#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection, served on its own thread from the first byte to the close.
struct HTTPConnection {
    let descriptor: Int32
    let server: HTTPServerCore

    private var configuration: HTTPServerConfiguration { server.configuration }

    private enum Closing {
        case orderly
        case reset
    }

    /// Serves requests until the client leaves, a timeout passes, a request is invalid, a
    /// reply ends the connection, or the server stops. Closes the socket before returning.
    func run() {
        var closing = Closing.orderly
        defer {
            switch closing {
            case .orderly: close(descriptor)
            case .reset: POSIXSocket.resetAndClose(descriptor)
            }
        }

        let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { readBuffer.deallocate() }

        var parser = HTTPRequestParser(limits: configuration.limits)
        var idleSince = ContinuousClock.now
        var requestStart: ContinuousClock.Instant?

        while true {
            switch parser.nextEvent() {
            case .needMoreData:
                let deadline = requestStart.map { $0 + configuration.requestReadTimeout } ?? idleSince + configuration.idleTimeout
                switch POSIXSocket.wait(for: Int16(POLLIN), on: descriptor, wakeDescriptor: server.wakeDescriptor, deadline: deadline) {
                case .ready:
                    switch POSIXSocket.receive(descriptor, into: readBuffer) {
                    case .bytes(let count):
                        parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                        if requestStart == nil && parser.hasPartialRequest {
                            requestStart = .now
                        }
                    case .wouldBlock:
                        continue
                    case .closed:
                        return
                    }
                case .timedOut:
                    if let requestStart {
                        rejectSlowClient(since: requestStart)
                    }
                    return
                case .stopping, .failed:
                    return
                }

            case .continueExpected:
                let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                guard send(interim) else { return }

            case .request(let parsed):
                let outcome = serve(parsed)
                switch outcome {
                case .keepOpen:
                    idleSince = .now
                    requestStart = parser.hasPartialRequest ? .now : nil
                case .close:
                    return
                case .reset:
                    closing = .reset
                    return
                }

            case .invalid(let error):
                let response = HTTPResponseSerializer.errorResponse(
                    status: error.status, code: HTTPResponseSerializer.errorCode(forStatus: error.status), message: error.message)
                let started = ContinuousClock.now
                _ = send(HTTPResponseSerializer.bytes(of: response, isHeadRequest: false, closing: true))
                log(method: "-", path: "-", status: error.status, outcome: nil, since: started)
                return
            }
        }
    }

    private enum Outcome {
        case keepOpen
        case close
        case reset
    }

    /// Runs the responder for one request and carries out its reply.
    private func serve(_ parsed: HTTPParsedRequest) -> Outcome {
        let started = ContinuousClock.now
        let request = parsed.request
        let reply = server.responder(request)

        if reply.delay > .zero {
            // A stopping server skips the rest of the delay but still sends the reply.
            _ = POSIXSocket.pause(until: started + reply.delay, wakeDescriptor: server.wakeDescriptor)
        }

        switch reply.action {
        case .respond(let response):
            let closing = !parsed.keepAlive || server.isStopping
            let head = HTTPResponseSerializer.head(of: response, closing: closing)
            let sent = request.method == "HEAD" ? send(head) : send(head, response.body)
            log(method: request.method, path: request.path, status: response.status, outcome: sent ? nil : "write failed", since: started)
            return sent && !closing ? .keepOpen : .close

        case .holdThenClose(let holdTime):
            hold(until: .now + holdTime)
            log(method: request.method, path: request.path, status: nil, outcome: "held", since: started)
            return .close

        case .reset:
            log(method: request.method, path: request.path, status: nil, outcome: "reset", since: started)
            return .reset
        }
    }

    /// Keeps the connection open without responding until the client closes it, the
    /// deadline passes or the server stops. Bytes the client sends meanwhile are discarded.
    private func hold(until deadline: ContinuousClock.Instant) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            guard case .ready = POSIXSocket.wait(for: Int16(POLLIN), on: descriptor, wakeDescriptor: server.wakeDescriptor, deadline: deadline) else {
                return
            }
            let result = scratch.withUnsafeMutableBytes { POSIXSocket.receive(descriptor, into: $0) }
            if case .closed = result { return }
        }
    }

    /// Sends 408 to a client that started a request but did not finish it in time.
    private func rejectSlowClient(since requestStart: ContinuousClock.Instant) {
        let timeout = configuration.requestReadTimeout.components
        let seconds = Double(timeout.seconds) + Double(timeout.attoseconds) / 1e18
        let message = "The request was not complete within the read timeout of \(seconds) s. Send the whole request at once."
        let response = HTTPResponseSerializer.errorResponse(status: 408, code: "REQUEST_TIMEOUT", message: message)
        _ = send(HTTPResponseSerializer.bytes(of: response, isHeadRequest: false, closing: true))
        log(method: "-", path: "-", status: 408, outcome: nil, since: requestStart)
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        POSIXSocket.sendAll(bytes, on: descriptor, deadline: .now + configuration.writeTimeout)
    }

    private func send(_ head: [UInt8], _ body: [UInt8]) -> Bool {
        POSIXSocket.sendAll(head, body, on: descriptor, deadline: .now + configuration.writeTimeout)
    }

    private func log(method: String, path: String, status: Int?, outcome: String?, since start: ContinuousClock.Instant) {
        guard let requestLog = configuration.requestLog else { return }
        requestLog(HTTPRequestLogEntry(method: method, path: path, status: status, outcome: outcome, duration: .now - start))
    }
}
