import CitrusAPI
import Foundation
import Testing
@testable import CitrusSimulator

/// Real time for the rate limit, moved by the test.
final class ManualWallClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64 = 1_000_000_000_000

    var nanos: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func advance(seconds: Double) {
        lock.lock()
        value += UInt64(seconds * 1_000_000_000)
        lock.unlock()
    }
}

/// A simulator driven through `Simulator.handle`, with a stopped clock that
/// only the test moves.
struct ModelHarness {
    let simulator: Simulator
    static let key = "rsk_model_tests"

    init(fleet: FleetPreset = .empty, seed: UInt64 = 7, wallClock: ManualWallClock? = nil, configure: (inout SimulatorOptions) -> Void = { _ in }) {
        var options = SimulatorOptions()
        options.fleet = fleet
        options.seed = seed
        options.speed = 0
        options.walletReadySeconds = 0
        options.startDate = Date(timeIntervalSince1970: 1_780_000_000)
        options.backgroundTickSeconds = 0
        options.rateLimitPerMinute = 100_000
        configure(&options)
        if let wallClock {
            simulator = Simulator(options: options, wallNanos: { wallClock.nanos })
        } else {
            simulator = Simulator(options: options)
        }
    }

    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
        var text: String { String(decoding: body, as: UTF8.self) }
        var errorCode: String? { json["error"] as? String }

        /// Returns the raw JSON text of the first member named `key`, such as `19.99`
        /// or `"active"`. Money checks compare this text, never a `Double`.
        func raw(_ key: String) -> String? {
            ModelHarness.rawValue(of: key, in: text)
        }

        func header(_ name: String) -> String? {
            headers.first(where: { $0.name.lowercased() == name.lowercased() })?.value
        }
    }

    @discardableResult
    func send(_ method: String, _ path: String, query: [(String, String)] = [], body: String? = nil, key: String? = ModelHarness.key) -> Reply {
        var headers: [(name: String, value: String)] = []
        if let key { headers.append(("authorization", "Bearer \(key)")) }
        let fullPath = path.hasPrefix("/_sim/") ? path : Simulator.apiPathPrefix + path
        let request = HTTPRequest(method: method, path: fullPath, query: query.map { (name: $0.0, value: $0.1) }, headers: headers, body: Array((body ?? "").utf8))
        let response = simulator.handle(request)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    @discardableResult
    func get(_ path: String, query: [(String, String)] = []) -> Reply { send("GET", path, query: query) }
    @discardableResult
    func post(_ path: String, _ body: String? = nil) -> Reply { send("POST", path, body: body) }

    func advance(seconds: Double) {
        let reply = send("POST", "/_sim/clock", body: "{\"advance_seconds\": \(seconds)}")
        precondition(reply.status == 200, "clock advance failed: \(reply.text)")
    }

    /// Provisions a SIM, activates it now and funds it with `amount`; returns the ICCID.
    func activeFundedSIM(amount: String = "20", label: String = "test") -> String {
        let iccid = post("/esim/provision", "{\"label\": \"\(label)\"}").json["iccid"] as? String ?? ""
        send("POST", "/_sim/esims/\(iccid)/activate")
        post("/esim/\(iccid)/fund", "{\"amount\": \(amount)}")
        return iccid
    }

    /// Reads the ledger entry of one SIM from `/_sim/state`.
    func ledger(_ iccid: String) -> [String: Any] {
        let state = send("GET", "/_sim/state", query: [("iccid", iccid)]).json
        return (state["esims"] as? [[String: Any]])?.first(where: { $0["iccid"] as? String == iccid }) ?? [:]
    }

    func state() -> [String: Any] {
        send("GET", "/_sim/state").json
    }

    func walletMicros(_ iccid: String) -> Int64 {
        (ledger(iccid)["wallet_micros"] as? NSNumber)?.int64Value ?? -1
    }

    func events(_ type: String? = nil) -> [[String: Any]] {
        let all = send("GET", "/_sim/events").json["events"] as? [[String: Any]] ?? []
        guard let type else { return all }
        return all.filter { $0["event"] as? String == type }
    }
}

extension ModelHarness {
    /// Finds the raw text of the first `"key":` value in `json` (a number, literal or quoted string).
    static func rawValue(of key: String, in json: String) -> String? {
        guard let range = json.range(of: "\"\(key)\":") else { return nil }
        var value = ""
        var inString = false
        var escaped = false
        for character in json[range.upperBound...] {
            if inString {
                value.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            if character == "," || character == "}" || character == "]" { break }
            if character == "\"" { inString = true }
            value.append(character)
        }
        return value
    }
}

@Suite("Model harness")
struct ModelHarnessTests {
    @Test func emptyFleetListsNothing() {
        let harness = ModelHarness()
        let reply = harness.get("/esim/list")
        #expect(reply.status == 200)
        #expect(reply.json["total"] as? Int == 0)
        #expect((reply.json["esims"] as? [Any])?.isEmpty == true)
    }
}
