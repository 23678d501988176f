import CitrusAPI
import Foundation
import Testing

/// `allESIMPages` against list responses in each shape the contract allows.
@Suite("Paging")
struct PagingTests {
    private static func esimJSON(_ number: Int) -> String {
        let suffix = String(number)
        let iccid = "8910300000000" + String(repeating: "0", count: 6 - suffix.count) + suffix
        return #"{"iccid":"\#(iccid)","status":"active","wallet_balance_usd":1}"#
    }

    private static func query(_ target: String, _ name: String) -> Int? {
        guard let components = URLComponents(string: "http://x" + target) else { return nil }
        return components.queryItems?.first { $0.name == name }?.value.flatMap { Int($0) }
    }

    /// Serves `count` SIMs, sliced by the request's limit and offset unless `ignoreLimit` or `ignoreOffset` is set.
    private static func fleetServer(count: Int, shape: @escaping @Sendable (_ items: String, _ total: Int) -> String,
                                    ignoreOffset: Bool = false, ignoreLimit: Bool = false) throws -> ScriptedHTTPServer {
        try ScriptedHTTPServer { request in
            let limit = ignoreLimit ? count : (query(request.target, "limit") ?? 50)
            let offset = ignoreOffset ? 0 : (query(request.target, "offset") ?? 0)
            let slice = offset < count ? Array(offset..<min(count, offset + limit)) : []
            return .json(200, shape(slice.map(esimJSON).joined(separator: ","), count))
        }
    }

    private func collect(_ server: ScriptedHTTPServer, pageSize: Int) async throws -> [[String]] {
        let client = TransportFailureTests.client(server.baseURL)
        var pages: [[String]] = []
        for try await page in client.allESIMPages(pageSize: pageSize) {
            pages.append(page.esims.map(\.iccid))
        }
        return pages
    }

    @Test("envelope with total stops at the total without an extra request")
    func withTotal() async throws {
        let server = try Self.fleetServer(count: 10) { items, total in #"{"esims":[\#(items)],"total":\#(total)}"# }
        defer { server.stop() }
        let pages = try await collect(server, pageSize: 5)
        #expect(pages.map(\.count) == [5, 5])
        #expect(server.requests.count == 2)
    }

    @Test("envelope without total stops at the short page")
    func withoutTotal() async throws {
        let server = try Self.fleetServer(count: 7) { items, _ in #"{"esims":[\#(items)]}"# }
        defer { server.stop() }
        let pages = try await collect(server, pageSize: 3)
        #expect(pages.map(\.count) == [3, 3, 1])
        #expect(Set(pages.joined()).count == 7)
    }

    @Test("bare array pages until an empty page when the fleet divides evenly")
    func bareArray() async throws {
        let server = try Self.fleetServer(count: 6) { items, _ in "[\(items)]" }
        defer { server.stop() }
        let pages = try await collect(server, pageSize: 3)
        #expect(pages.map(\.count) == [3, 3])
        #expect(server.requests.count == 3)
    }

    @Test("server that ignores limit sends everything in one page")
    func ignoresLimit() async throws {
        let server = try Self.fleetServer(count: 12, shape: { items, _ in "[\(items)]" }, ignoreLimit: true)
        defer { server.stop() }
        let pages = try await collect(server, pageSize: 5)
        #expect(pages.map(\.count) == [12])
    }

    @Test("server that ignores offset ends with an error, not a loop")
    func ignoresOffset() async throws {
        let server = try Self.fleetServer(count: 12, shape: { items, _ in "[\(items)]" }, ignoreOffset: true)
        defer { server.stop() }
        let error = await #expect(throws: CitrusError.self) { _ = try await collect(server, pageSize: 5) }
        guard case .decoding(_, let field, _)? = error else {
            Issue.record("expected a decoding error on offset")
            return
        }
        #expect(field == "offset")
        #expect(server.requests.count == 2)
    }

    @Test("empty fleet yields one empty page with its total")
    func emptyFleet() async throws {
        let server = try Self.fleetServer(count: 0) { items, total in #"{"esims":[\#(items)],"total":\#(total)}"# }
        defer { server.stop() }
        let client = TransportFailureTests.client(server.baseURL)
        var pages: [ESIMPage] = []
        for try await page in client.allESIMPages() { pages.append(page) }
        #expect(pages.count == 1)
        #expect(pages.first?.total == 0)
    }

    @Test("list arguments are checked before sending")
    func listArguments() async throws {
        let client = TransportFailureTests.client(URL(string: "http://127.0.0.1:9/api")!)
        await #expect(throws: CitrusError.self) { try await client.listESIMs(limit: 0) }
        await #expect(throws: CitrusError.self) { try await client.listESIMs(limit: 201) }
        await #expect(throws: CitrusError.self) { try await client.listESIMs(offset: -1) }
        await #expect(throws: CitrusError.self) { try await client.listESIMs(status: .unknown("gone")) }
        await #expect(throws: CitrusError.self) { try await client.esim(iccid: "12345") }
        await #expect(throws: CitrusError.self) { try await client.fund(iccid: "8910300000000000012", amount: .zero) }
        await #expect(throws: CitrusError.self) { try await client.fund(iccid: "8910300000000000012", amount: Money(cents: 1_000_001)) }
        await #expect(throws: CitrusError.self) { try await client.throttle(iccid: "8910300000000000012", speed: .unknown("FAST")) }
        await #expect(throws: CitrusError.self) { try await client.webhook(id: "../account") }
        await #expect(throws: CitrusError.self) { try await client.createWebhook(url: URL(string: "https://x.example")!, events: []) }
    }
}
