@testable import CitrusAPI
import Foundation
import Testing

/// A JSON tree that keeps number texts exactly as written, so mutations can
/// produce numbers that a `Double` cannot hold.
indirect enum FuzzJSON {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([FuzzJSON])
    case object([(String, FuzzJSON)])

    /// Parses well-formed JSON (the fixtures); returns nil for anything else.
    static func parse(_ text: String) -> FuzzJSON? {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        let value = parser.value()
        parser.skipSpace()
        return parser.index == parser.scalars.count ? value : nil
    }

    var text: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let value): return FuzzJSON.quote(value)
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { FuzzJSON.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func skipSpace() {
            while index < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[index]) { index += 1 }
        }

        mutating func value() -> FuzzJSON? {
            skipSpace()
            guard index < scalars.count else { return nil }
            switch scalars[index] {
            case "{":
                index += 1
                var members: [(String, FuzzJSON)] = []
                skipSpace()
                if index < scalars.count, scalars[index] == "}" { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key)? = value() else { return nil }
                    skipSpace()
                    guard index < scalars.count, scalars[index] == ":" else { return nil }
                    index += 1
                    guard let member = value() else { return nil }
                    members.append((key, member))
                    skipSpace()
                    guard index < scalars.count else { return nil }
                    if scalars[index] == "," { index += 1; continue }
                    if scalars[index] == "}" { index += 1; return .object(members) }
                    return nil
                }
            case "[":
                index += 1
                var items: [FuzzJSON] = []
                skipSpace()
                if index < scalars.count, scalars[index] == "]" { index += 1; return .array(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard index < scalars.count else { return nil }
                    if scalars[index] == "," { index += 1; continue }
                    if scalars[index] == "]" { index += 1; return .array(items) }
                    return nil
                }
            case "\"":
                index += 1
                var out = String.UnicodeScalarView()
                while index < scalars.count, scalars[index] != "\"" {
                    if scalars[index] == "\\" {
                        index += 1
                        guard index < scalars.count else { return nil }
                        switch scalars[index] {
                        case "n": out.append("\n")
                        case "t": out.append("\t")
                        case "u":
                            let hex = String(String.UnicodeScalarView(scalars[(index + 1)..<min(index + 5, scalars.count)]))
                            guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else { return nil }
                            out.append(scalar)
                            index += 4
                        default: out.append(scalars[index])
                        }
                    } else {
                        out.append(scalars[index])
                    }
                    index += 1
                }
                index += 1
                return .string(String(out))
            case "t": index += 4; return .bool(true)
            case "f": index += 5; return .bool(false)
            case "n": index += 4; return .null
            default:
                let start = index
                while index < scalars.count, "+-0123456789.eE".unicodeScalars.contains(scalars[index]) { index += 1 }
                guard index > start else { return nil }
                return .number(String(String.UnicodeScalarView(scalars[start..<index])))
            }
        }
    }
}

/// SplitMix64: a small seeded generator, so a failing mutation can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random mutations of JSON bodies, structured and byte-level.
struct JSONMutator {
    var random: SeededGenerator

    static let keys = ["iccid", "id", "status", "euicc_state", "wallet_balance_usd", "total_data_charged_usd", "throttle_speed",
                       "activated_at", "created_at", "esims", "data", "total", "limit", "offset", "funded_usd", "balance_remaining",
                       "balance_usd", "currency", "countries", "networks", "per_gb_usd", "operator", "name", "webhooks",
                       "webhook", "signing_secret", "events", "enabled", "error", "message", "code", "detail", "cost"]

    static let weirdValues = ["null", "true", "false", "0", "-0", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
                              "-99999999999999999999.99", "0.0000000000000000000001", "\"\"", "\"x\"", "\"12.5\"", "\"NaN\"",
                              "\"\\u0000\\u001b[31m\"", "\"\u{202E}evil\"", "\"2026-13-45T99:99:99Z\"", "[]", "{}", "[null]",
                              "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":[1,2,{}]}}}", "9223372036854775807", "-9223372036854775809",
                              "\"" + String(repeating: "A", count: 5000) + "\""]

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func mutate(_ body: String) -> Data {
        var text = body
        for _ in 0..<int(1..<4) {
            if int(0..<3) < 2, let tree = FuzzJSON.parse(text) {
                text = mutateTree(tree).text
            } else {
                return mutateBytes(Data(text.utf8))
            }
        }
        return Data(text.utf8)
    }

    private mutating func randomValue() -> FuzzJSON {
        let text = Self.weirdValues[int(0..<Self.weirdValues.count)]
        return FuzzJSON.parse(text) ?? .number(text)
    }

    private mutating func mutateTree(_ node: FuzzJSON) -> FuzzJSON {
        // Descend into a child most of the time, mutate this node otherwise.
        switch node {
        case .object(var members) where !members.isEmpty && int(0..<4) > 0:
            let index = int(0..<members.count)
            switch int(0..<5) {
            case 0: members.remove(at: index)
            case 1: members.append((Self.keys[int(0..<Self.keys.count)], randomValue()))
            case 2: members[index].1 = randomValue()
            default: members[index].1 = mutateTree(members[index].1)
            }
            return .object(members)
        case .array(var items) where !items.isEmpty && int(0..<4) > 0:
            let index = int(0..<items.count)
            switch int(0..<4) {
            case 0: items.remove(at: index)
            case 1: items.append(items[index])
            default: items[index] = mutateTree(items[index])
            }
            return .array(items)
        default:
            return randomValue()
        }
    }

    private mutating func mutateBytes(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        guard !bytes.isEmpty else { return Data([0x7B]) }
        let position = int(0..<bytes.count)
        switch int(0..<4) {
        case 0: bytes = Array(bytes[0..<position])
        case 1: bytes.remove(at: position)
        case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        default: bytes[position] ^= UInt8.random(in: 1...255, using: &random)
        }
        return Data(bytes)
    }
}

@Suite("Mutated JSON")
struct MutationFuzzTests {
    /// Every decoder the client uses on a response body. Each must return or
    /// throw a `CitrusError.decoding`; anything else (or a crash) fails.
    static let decoders: [(String, @Sendable (Data) throws -> Void)] = [
        ("eSIM", { _ = try CitrusClient.decode(ESIM.self, from: $0, endpoint: "GET /esim/x") }),
        ("list", { _ = try ListDecoding.decodePage($0, limit: 200, offset: 0) }),
        ("fund", { _ = try CitrusClient.decodeFundResult($0, iccid: "8910300000000000012", amount: .dollars(5), endpoint: "POST /fund") }),
        ("balance", { _ = try CitrusClient.decode(ResellerBalance.self, from: $0, endpoint: "GET /wallet/balance") }),
        ("account", { _ = try CitrusClient.decode(CitrusAccount.self, from: $0, endpoint: "GET /account") }),
        ("defund", { _ = try CitrusClient.decode(DefundResult.self, from: $0, endpoint: "POST /defund") }),
        ("rates", { _ = try CitrusClient.decode(RateTable.self, from: $0, endpoint: "GET /rates") }),
        ("webhook", { _ = try CitrusClient.decode(Webhook.self, from: $0, endpoint: "GET /webhooks/x") }),
        ("webhooks", { _ = try CitrusClient.decode(WebhookList.self, from: $0, endpoint: "GET /webhooks") }),
        ("created webhook", { _ = try CitrusClient.decode(CreatedWebhook.self, from: $0, endpoint: "POST /webhooks") }),
        ("webhook test", { _ = try CitrusClient.decode(WebhookTestResult.self, from: $0, endpoint: "POST /webhooks/x/test") }),
        ("error envelope", { _ = ErrorEnvelope.error(status: 400, body: $0, retryAfterHeader: "1", endpoint: "GET /x") }),
    ]

    /// Decodes `bodies` with every decoder and returns how many decodes
    /// succeeded and failed. Records an issue for any error that is not a decoding error.
    /// Yields every 50 bodies: a long loop would hold one of the few threads
    /// that every other test's `await` resumes on.
    static func decodeAll(_ bodies: [Data]) async -> (succeeded: Int, failed: Int) {
        var succeeded = 0
        var failed = 0
        for (index, body) in bodies.enumerated() {
            if index % 50 == 49 { await Task.yield() }
            for (name, decode) in decoders {
                do {
                    try decode(body)
                    succeeded += 1
                } catch CitrusError.decoding {
                    failed += 1
                } catch {
                    Issue.record("\(name) threw \(error) for body \(String(decoding: body.prefix(300), as: UTF8.self))")
                }
            }
        }
        return (succeeded, failed)
    }

    @Test("fixtures parse in the mutator's own JSON model")
    func fixturesParse() {
        for (name, body) in Fixtures.all {
            #expect(FuzzJSON.parse(body) != nil, "fixture \(name)")
        }
    }

    @Test("6,000 mutated responses never crash a decoder")
    func mutations() async {
        var mutator = JSONMutator(random: SeededGenerator(state: 20_261_204))
        var bodies: [Data] = []
        for (_, body) in Fixtures.all {
            for _ in 0..<430 { bodies.append(mutator.mutate(body)) }
        }
        #expect(bodies.count >= 6_000)
        let (succeeded, failed) = await Self.decodeAll(bodies)
        // Both outcomes must occur, or the mutations are too weak or too strong.
        #expect(succeeded > 1_000)
        #expect(failed > 1_000)
    }

    @Test("deeply nested input is rejected, not a stack overflow")
    func deepNesting() async {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let wrapped = "{\"esims\":" + deep + "}"
        _ = await Self.decodeAll([Data(deep.utf8), Data(wrapped.utf8)])
    }
}
