import Foundation

/// A parse failure, as the status and message the server sends back.
/// After any of these the connection is closed, because the stream cannot be framed again.
struct HTTPParseError: Error, Equatable {
    var status: Int
    var message: String

    static func badRequest(_ message: String) -> HTTPParseError {
        HTTPParseError(status: 400, message: message)
    }
}

/// An incremental HTTP/1.1 request parser (RFC 9112) over a byte buffer.
///
/// The caller appends bytes as they arrive and calls `nextEvent()` until it returns
/// `.needMoreData`. The parser performs no I/O, so the caller owns every side effect.
/// Bodies are framed by `Content-Length` only. Any input, however malformed, ends in
/// `.invalid` rather than a trap: the parser never force-unwraps and never indexes past
/// the bytes it has checked.
struct HTTPRequestParser {
    enum Event: Equatable {
        /// The buffer ends inside a request: read more bytes, then call `nextEvent()` again.
        case needMoreData
        /// The client sent `Expect: 100-continue` and waits for `100 Continue` before the body.
        case continueExpected
        /// One complete request, with whether the client wants the connection kept open.
        case request(HTTPParsedRequest)
        /// The bytes are not a request this server accepts.
        case invalid(HTTPParseError)
    }

    private enum State {
        case head
        case body(HTTPParsedRequest, contentLength: Int, continueSent: Bool)
        case failed(HTTPParseError)
    }

    let limits: HTTPRequestLimits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var state = State.head

    init(limits: HTTPRequestLimits) {
        self.limits = limits
    }

    /// True while part of a request has arrived but not all of it: the slow-client timeout
    /// applies then, and the idle timeout applies otherwise.
    var hasPartialRequest: Bool {
        switch state {
        case .head: return readIndex < buffer.count
        case .body: return true
        case .failed: return false
        }
    }

    mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    mutating func nextEvent() -> Event {
        switch state {
        case .failed(let error):
            return .invalid(error)
        case .head:
            return parseHead()
        case .body(let request, let contentLength, let continueSent):
            return parseBody(request, contentLength: contentLength, continueSent: continueSent)
        }
    }

    // MARK: - Head

    private mutating func parseHead() -> Event {
        skipLeadingEmptyLines()
        guard readIndex < buffer.count else { return .needMoreData }

        guard let requestLineEnd = firstLineFeed(from: readIndex) else {
            if buffer.count - readIndex > limits.maxRequestLineBytes {
                return fail(HTTPParseError(status: 414, message: "The request line is longer than \(limits.maxRequestLineBytes) bytes. Shorten the path or the query."))
            }
            return .needMoreData
        }
        let requestLine = lineRange(from: readIndex, lineFeed: requestLineEnd)
        if requestLine.count > limits.maxRequestLineBytes {
            return fail(HTTPParseError(status: 414, message: "The request line is longer than \(limits.maxRequestLineBytes) bytes. Shorten the path or the query."))
        }

        let headerStart = requestLineEnd + 1
        var headerLines: [Range<Int>] = []
        var lineStart = headerStart
        while true {
            guard let lineFeed = firstLineFeed(from: lineStart) else {
                if buffer.count - headerStart > limits.maxHeaderBytes {
                    return fail(headerTooLarge())
                }
                return .needMoreData
            }
            let line = lineRange(from: lineStart, lineFeed: lineFeed)
            lineStart = lineFeed + 1
            if line.isEmpty { break }
            headerLines.append(line)
            if lineStart - headerStart > limits.maxHeaderBytes || headerLines.count > limits.maxHeaderCount {
                return fail(headerTooLarge())
            }
        }

        let parsed: HTTPParsedRequest
        let contentLength: Int
        do {
            var request = try parseRequestLine(requestLine)
            request.request.headers = try headerLines.map(parseHeaderLine)
            contentLength = try applyHeaderSemantics(to: &request)
            parsed = request
        } catch {
            return fail(error)
        }

        readIndex = lineStart
        if contentLength == 0 {
            return .request(parsed)
        }
        state = .body(parsed, contentLength: contentLength, continueSent: false)
        return parseBody(parsed, contentLength: contentLength, continueSent: false)
    }

    private func headerTooLarge() -> HTTPParseError {
        HTTPParseError(status: 431, message: "The request headers exceed \(limits.maxHeaderBytes) bytes or \(limits.maxHeaderCount) fields. Send fewer or shorter headers.")
    }

    /// Skips empty lines before a request line, which RFC 9112 recommends that servers ignore.
    private mutating func skipLeadingEmptyLines() {
        while readIndex < buffer.count {
            if buffer[readIndex] == lineFeed {
                readIndex += 1
            } else if buffer[readIndex] == carriageReturn, readIndex + 1 < buffer.count, buffer[readIndex + 1] == lineFeed {
                readIndex += 2
            } else {
                return
            }
        }
    }

    private func firstLineFeed(from start: Int) -> Int? {
        var index = start
        while index < buffer.count {
            if buffer[index] == lineFeed { return index }
            index += 1
        }
        return nil
    }

    /// Returns the line's bytes without its ending, which is CRLF or a bare LF.
    private func lineRange(from start: Int, lineFeed: Int) -> Range<Int> {
        if lineFeed > start, buffer[lineFeed - 1] == carriageReturn {
            return start..<(lineFeed - 1)
        }
        return start..<lineFeed
    }

    private func parseRequestLine(_ range: Range<Int>) throws(HTTPParseError) -> HTTPParsedRequest {
        let parts = buffer[range].split(separator: space, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw .badRequest("The request line must be 'METHOD /path HTTP/1.1'.")
        }

        let method = parts[0]
        guard !method.isEmpty, method.allSatisfy(HTTPSyntax.isTokenCharacter) else {
            throw .badRequest("The request method is not a valid token.")
        }

        let version = try parseVersion(parts[2])
        let (path, segments, query) = try HTTPTargetDecoder.decode(parts[1])

        var request = HTTPParsedRequest(
            request: HTTPRequest(method: String(decoding: method, as: UTF8.self), path: path, pathSegments: segments, query: query),
            keepAlive: true
        )
        request.isHTTP10 = version == .http10
        return request
    }

    private enum Version { case http10, http11 }

    private func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> Version {
        switch String(decoding: bytes, as: UTF8.self) {
        case "HTTP/1.1": return .http11
        case "HTTP/1.0": return .http10
        default:
            let text = Array(bytes)
            let looksLikeVersion = text.count == 8 && text.starts(with: Array("HTTP/".utf8))
                && HTTPSyntax.isDigit(text[5]) && text[6] == UInt8(ascii: ".") && HTTPSyntax.isDigit(text[7])
            if looksLikeVersion {
                throw HTTPParseError(status: 505, message: "Only HTTP/1.1 and HTTP/1.0 are supported. Send the request as HTTP/1.1.")
            }
            throw .badRequest("The request line does not end with a valid HTTP version.")
        }
    }

    private func parseHeaderLine(_ range: Range<Int>) throws(HTTPParseError) -> (name: String, value: String) {
        let line = buffer[range]
        guard let first = line.first, first != space, first != tab else {
            throw .badRequest("Header lines folded onto several lines are not accepted.")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw .badRequest("A header line has no colon.")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenCharacter) else {
            throw .badRequest("A header name is empty or contains characters outside the token set.")
        }

        var value = line[(colon + 1)...]
        while let byte = value.first, byte == space || byte == tab { value = value.dropFirst() }
        while let byte = value.last, byte == space || byte == tab { value = value.dropLast() }
        guard value.allSatisfy(HTTPSyntax.isFieldValueCharacter) else {
            throw .badRequest("The value of header '\(String(decoding: name, as: UTF8.self))' contains control characters.")
        }

        return (String(decoding: name, as: UTF8.self).lowercased(), String(decoding: value, as: UTF8.self))
    }

    /// Applies framing and connection headers, and returns the body length.
    private func applyHeaderSemantics(to parsed: inout HTTPParsedRequest) throws(HTTPParseError) -> Int {
        let headers = parsed.request.headers

        if headers.contains(where: { $0.name == "transfer-encoding" }) {
            throw HTTPParseError(status: 501, message: "Transfer-Encoding (chunked bodies) is not supported. Send the body with a Content-Length header.")
        }

        let hosts = headers.filter { $0.name == "host" }
        if !parsed.isHTTP10 && hosts.count != 1 {
            throw .badRequest("An HTTP/1.1 request needs exactly one Host header, but this one has \(hosts.count).")
        }

        let connectionTokens = headers.filter { $0.name == "connection" }
            .flatMap { $0.value.lowercased().split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if parsed.isHTTP10 {
            parsed.keepAlive = connectionTokens.contains("keep-alive")
        } else {
            parsed.keepAlive = !connectionTokens.contains("close")
        }

        parsed.expectsContinue = headers.contains { $0.name == "expect" && $0.value.lowercased() == "100-continue" }

        return try contentLength(of: headers)
    }

    private func contentLength(of headers: [(name: String, value: String)]) throws(HTTPParseError) -> Int {
        let values = headers.filter { $0.name == "content-length" }.map(\.value)
        guard let first = values.first else { return 0 }
        guard values.allSatisfy({ $0 == first }) else {
            throw .badRequest("The request has several different Content-Length headers.")
        }
        guard !first.isEmpty, first.utf8.allSatisfy(HTTPSyntax.isDigit) else {
            throw .badRequest("Content-Length '\(first.prefix(40))' is not a non-negative whole number.")
        }
        guard first.utf8.count <= 18, let length = Int(first), length <= limits.maxBodyBytes else {
            throw HTTPParseError(status: 413, message: "The request body of \(first.prefix(40)) bytes exceeds the limit of \(limits.maxBodyBytes) bytes. Send a smaller body.")
        }
        return length
    }

    // MARK: - Body

    private mutating func parseBody(_ parsed: HTTPParsedRequest, contentLength: Int, continueSent: Bool) -> Event {
        let available = buffer.count - readIndex
        guard available >= contentLength else {
            if parsed.expectsContinue && !continueSent && available == 0 {
                state = .body(parsed, contentLength: contentLength, continueSent: true)
                return .continueExpected
            }
            return .needMoreData
        }

        var complete = parsed
        complete.request.body = Array(buffer[readIndex..<(readIndex + contentLength)])
        readIndex += contentLength
        state = .head
        return .request(complete)
    }

    // MARK: - Helpers

    private mutating func fail(_ error: HTTPParseError) -> Event {
        state = .failed(error)
        return .invalid(error)
    }

    /// Drops consumed bytes once they are most of the buffer, so pipelined traffic on a
    /// long-lived connection keeps the buffer small without copying on every request.
    private mutating func compactIfWorthwhile() {
        guard readIndex > 0 else { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}

/// A request plus what the connection needs to know about it.
struct HTTPParsedRequest: Equatable {
    var request: HTTPRequest
    /// False when the client asked to close the connection after this request.
    var keepAlive: Bool
    var isHTTP10 = false
    var expectsContinue = false

    static func == (lhs: HTTPParsedRequest, rhs: HTTPParsedRequest) -> Bool {
        lhs.keepAlive == rhs.keepAlive && lhs.isHTTP10 == rhs.isHTTP10 && lhs.expectsContinue == rhs.expectsContinue
            && lhs.request.method == rhs.request.method && lhs.request.path == rhs.request.path
            && lhs.request.query.elementsEqual(rhs.request.query, by: ==)
            && lhs.request.headers.elementsEqual(rhs.request.headers, by: ==)
            && lhs.request.body == rhs.request.body
    }
}

private let carriageReturn = UInt8(ascii: "\r")
private let lineFeed = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")
