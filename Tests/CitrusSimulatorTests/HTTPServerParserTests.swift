@testable import CitrusSimulator
import Testing

/// Feeds `text` to a fresh parser in one piece and returns every event until it waits.
private func events(for text: String, limits: HTTPRequestLimits = HTTPRequestLimits()) -> [HTTPRequestParser.Event] {
    var parser = HTTPRequestParser(limits: limits)
    parser.append(Array(text.utf8))
    var events: [HTTPRequestParser.Event] = []
    while events.count < 100 {
        let event = parser.nextEvent()
        events.append(event)
        if case .needMoreData = event { break }
        if case .invalid = event { break }
    }
    return events
}

private func singleRequest(_ text: String) -> HTTPRequest? {
    guard case .request(let parsed) = events(for: text).first else { return nil }
    return parsed.request
}

private func rejection(_ text: String, limits: HTTPRequestLimits = HTTPRequestLimits()) -> Int? {
    for event in events(for: text, limits: limits) {
        if case .invalid(let error) = event { return error.status }
    }
    return nil
}

@Suite struct HTTPServerParserTests {
    @Test func parsesMethodPathQueryAndHeaders() throws {
        let request = try #require(singleRequest("GET /api/v2/reseller/esim/list?limit=200&offset=40&status=active HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rsk_1\r\n\r\n"))

        #expect(request.method == "GET")
        #expect(request.path == "/api/v2/reseller/esim/list")
        #expect(request.queryValue("limit") == "200")
        #expect(request.queryValue("offset") == "40")
        #expect(request.queryValue("status") == "active")
        #expect(request.header("Authorization") == "Bearer rsk_1")
        #expect(request.headers.map(\.name) == ["host", "authorization"])
    }

    @Test func percentDecodesPathAndQuery() throws {
        let request = try #require(singleRequest("GET /a%20b/%E2%9C%93?label=Tour+group%26co&x HTTP/1.1\r\nHost: x\r\n\r\n"))

        #expect(request.path == "/a b/✓")
        #expect(request.queryValue("label") == "Tour group&co")
        #expect(request.queryValue("x") == "")
    }

    @Test func readsContentLengthBody() throws {
        let request = try #require(singleRequest("POST /fund HTTP/1.1\r\nHost: x\r\nContent-Length: 15\r\n\r\n{\"amount\":9.5}\n"))

        #expect(request.body == Array("{\"amount\":9.5}\n".utf8))
    }

    @Test func acceptsBareLineFeedsAndLeadingEmptyLines() throws {
        let request = try #require(singleRequest("\r\n\nGET /x HTTP/1.1\nHost: x\n\n"))

        #expect(request.path == "/x")
    }

    @Test func encodedSlashStaysInSegment() throws {
        let request = try #require(singleRequest("POST /api/v2/reseller/esim/8944501798984000871%2Ffund//x%20y/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"))

        #expect(request.pathSegments == ["api", "v2", "reseller", "esim", "8944501798984000871/fund", "x y"])
        #expect(request.path == "/api/v2/reseller/esim/8944501798984000871%2Ffund//x y/")
    }

    @Test func acceptsAbsoluteFormTarget() throws {
        let request = try #require(singleRequest("GET http://127.0.0.1:8080/esim/1?limit=5 HTTP/1.1\r\nHost: x\r\n\r\n"))

        #expect(request.path == "/esim/1")
        #expect(request.queryValue("limit") == "5")
    }

    @Test func splitsPipelinedRequestsInOrder() {
        let text = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhiGET /3 HTTP/1.1\r\nHost: x\r\n\r\n"

        let paths = events(for: text).compactMap { event -> String? in
            if case .request(let parsed) = event { return parsed.request.path }
            return nil
        }

        #expect(paths == ["/1", "/2", "/3"])
    }

    @Test func waitsForBytesSplitAtEveryOffset() throws {
        let text = Array("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc".utf8)
        for split in 0...text.count {
            var parser = HTTPRequestParser(limits: HTTPRequestLimits())
            parser.append(text[0..<split])
            if split < text.count {
                #expect(parser.nextEvent() == .needMoreData, "split at \(split)")
            }
            parser.append(text[split...])
            guard case .request(let parsed) = parser.nextEvent() else {
                Issue.record("no request after split at \(split)")
                continue
            }
            #expect(parsed.request.body == Array("abc".utf8))
        }
    }

    @Test func keepAliveFollowsVersionAndConnectionHeader() throws {
        func keepAlive(_ text: String) -> Bool? {
            guard case .request(let parsed) = events(for: text).first else { return nil }
            return parsed.keepAlive
        }

        #expect(keepAlive("GET / HTTP/1.1\r\nHost: x\r\n\r\n") == true)
        #expect(keepAlive("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") == true)
    }

    @Test func signalsExpectContinueBeforeTheBody() {
        var parser = HTTPRequestParser(limits: HTTPRequestLimits())
        parser.append(Array("POST /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))

        #expect(parser.nextEvent() == .continueExpected)
        #expect(parser.nextEvent() == .needMoreData)
        parser.append(Array("ok".utf8))
        guard case .request(let parsed) = parser.nextEvent() else {
            Issue.record("no request after the body")
            return
        }
        #expect(parsed.request.body == Array("ok".utf8))
    }

    @Test func rejectsMalformedRequestsWith400() {
        let malformed = [
            "GARBAGE\r\n\r\n",
            "GET /\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET nopath HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /%ff HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nA: b\u{1}c\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
            "GET / HTTP/x.y\r\nHost: x\r\n\r\n",
        ]
        for text in malformed {
            #expect(rejection(text) == 400, "\(text.debugDescription)")
        }
    }

    @Test func rejectsUnsupportedFramingAndVersions() {
        #expect(rejection("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n") == 501)
        #expect(rejection("GET / HTTP/2.0\r\nHost: x\r\n\r\n") == 505)
    }

    @Test func enforcesSizeLimits() {
        var limits = HTTPRequestLimits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 128
        limits.maxHeaderCount = 3
        limits.maxBodyBytes = 10

        #expect(rejection("GET /\(String(repeating: "a", count: 100)) HTTP/1.1\r\nHost: x\r\n\r\n", limits: limits) == 414)
        #expect(rejection("GET /\(String(repeating: "a", count: 100))", limits: limits) == 414)
        #expect(rejection("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "v", count: 200))\r\n\r\n", limits: limits) == 431)
        #expect(rejection("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "v", count: 200))", limits: limits) == 431)
        #expect(rejection("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits) == 431)
        #expect(rejection("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits: limits) == 413)
        #expect(rejection("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", limits: limits) == 413)
        #expect(rejection("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n", limits: limits) == nil)
    }

    @Test func reportsPartialRequestOnlyMidRequest() {
        var parser = HTTPRequestParser(limits: HTTPRequestLimits())
        #expect(!parser.hasPartialRequest)

        parser.append(Array("GET / HT".utf8))
        _ = parser.nextEvent()
        #expect(parser.hasPartialRequest)

        parser.append(Array("TP/1.1\r\nHost: x\r\n\r\n".utf8))
        _ = parser.nextEvent()
        #expect(!parser.hasPartialRequest)
    }

    /// Random bytes, random pieces of valid requests, and random chunking must always end in
    /// a request, a rejection or a wait for more bytes. A trap would crash the test process.
    @Test func survivesRandomGarbage() {
        var generator = ServerTestRandom(seed: 42)
        let fragments = ["GET ", "POST ", "/", "?a=%", "%4", "1", " HTTP/1.1", "\r\n", "\n", "\r", "Host: x",
                         "Content-Length: ", "5", "999999999999999999999", ":", " ", "\t", "Transfer-Encoding: chunked",
                         "Expect: 100-continue", "\u{0}", "\u{7F}", "é", "\r\n\r\n"]
        var outcomes = [0, 0, 0]

        for round in 0..<3000 {
            var bytes: [UInt8] = round % 5 == 0 ? Array("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".utf8) : []
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                if Bool.random(using: &generator) {
                    bytes += Array(fragments.randomElement(using: &generator)!.utf8)
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &generator))
                }
            }

            var parser = HTTPRequestParser(limits: HTTPRequestLimits())
            var offset = 0
            var finished = false
            while offset < bytes.count && !finished {
                let length = Int.random(in: 1...max(1, bytes.count - offset), using: &generator)
                parser.append(bytes[offset..<(offset + length)])
                offset += length
                for _ in 0..<50 {
                    let event = parser.nextEvent()
                    if case .request = event { outcomes[0] += 1; continue }
                    if case .continueExpected = event { continue }
                    if case .invalid = event { outcomes[1] += 1; finished = true }
                    if case .needMoreData = event { outcomes[2] += 1 }
                    break
                }
            }
        }

        #expect(outcomes[0] >= 600, "every fifth input starts with a whole request")
        #expect(outcomes[1] > 0, "some random inputs should be rejected")
    }
}

/// A small deterministic generator (SplitMix64), so the fuzz test gets the same inputs every run.
struct ServerTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
