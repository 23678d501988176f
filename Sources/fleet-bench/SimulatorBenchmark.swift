// `fleet-bench sim`: HTTP throughput of the simulator, measured in-process over loopback.
//
// It serves a 10,000-SIM IoT fleet with the rate limit out of the way and lists it once,
// so every QR code is made before the measurement. Then 4 keep-alive clients, each on its
// own thread and raw socket with one request in flight, send `GET /esim/list?limit=200` at
// rotating offsets, and next `GET /esim/{iccid}` over the fleet's ICCIDs. Client and server
// share the machine, so the figures are a lower bound of what the server alone can do.
//
//   sim_list_rps, sim_get_rps          responses per second over all 4 clients
//   sim_list_ms_p50, sim_list_ms_p99   time from sending a list request to its last byte
//
// `fleet-bench sim list` or `fleet-bench sim get` runs one phase; `--seconds S` sets the
// length of each phase (default 3).
//
// Measured with `swift run -c release fleet-bench sim --seconds 5` on a shared 2-core AMD
// EPYC virtual machine (Swift 6.3.1, Linux) with other builds running, three runs each:
// sim_list_rps 4,300–5,900, sim_list_ms_p50 0.65–0.85, sim_list_ms_p99 1.7–3.1,
// sim_get_rps 28,000–46,000. A list page of 200 SIMs is about 394 KB, most of it QR codes.
// Before each SIM's unchanging members were serialized once, the rate limiter was made
// O(1) and bodies were sent without a copy: list 2,250–2,450 req/s at p50 1.5–1.7 ms,
// get about 23,500 req/s.

import CitrusSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let benchmarkFleetSize = 10_000
private let benchmarkClientCount = 4
private let benchmarkAPIKey = "rsk_fleet_bench"

func runSimulatorBenchmark(arguments: [String]) async {
    var seconds = 3.0
    var phases: Set<String> = []
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
        switch argument {
        case "--seconds":
            guard let text = remaining.popFirst(), let value = Double(text), value > 0, value <= 600 else {
                print("fleet-bench sim: --seconds needs a number of seconds per phase above 0 and at most 600, e.g. --seconds 3")
                return
            }
            seconds = value
        case "list", "get":
            phases.insert(argument)
        default:
            print("fleet-bench sim: unknown argument \"\(argument)\". Use list, get and --seconds S.")
            return
        }
    }
    if phases.isEmpty { phases = ["list", "get"] }

    var options = SimulatorOptions()
    options.fleet = .mix(iot: benchmarkFleetSize, travel: 0, payg: 0)
    options.rateLimitPerMinute = 100_000_000

    let server: SimulatorServer
    do {
        server = try SimulatorServer.start(options: options)
    } catch {
        print("fleet-bench sim: could not start the simulator: \(error)")
        return
    }
    defer { server.stop() }

    let prefix = Simulator.apiPathPrefix
    let iccids = fetchICCIDs(port: server.port)
    guard !iccids.isEmpty else {
        print("fleet-bench sim: the simulator listed no SIMs, so GET /esim/{iccid} cannot be measured")
        return
    }

    if phases.contains("list") {
        let list = measureThroughput(port: server.port, seconds: seconds) { client, request in
            let offset = (client * 2_503 + request * 200) % benchmarkFleetSize
            return "\(prefix)/esim/list?limit=200&offset=\(offset)"
        }
        report("sim_list_rps", list)
        print("sim_list_ms_p50: \(milliseconds(list.latencyPercentile(0.50)))")
        print("sim_list_ms_p99: \(milliseconds(list.latencyPercentile(0.99)))")
    }

    if phases.contains("get") {
        let get = measureThroughput(port: server.port, seconds: seconds) { client, request in
            "\(prefix)/esim/\(iccids[(client * 7_919 + request) % iccids.count])"
        }
        report("sim_get_rps", get)
    }
}

private func report(_ name: String, _ result: ThroughputResult) {
    print("\(name): \(Int(result.requestsPerSecond.rounded())) req/s")
    if result.failures > 0 {
        FileHandle.standardError.write(Data("fleet-bench sim: \(name): \(result.failures) requests failed or were not 200; first: \(result.firstFailure ?? "-")\n".utf8))
    }
}

/// Formats a duration in milliseconds with two decimals.
private func milliseconds(_ duration: Duration) -> String {
    let components = duration.components
    let value = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    return String(format: "%.2f ms", value)
}

/// Lists every ICCID of the fleet, 200 per request.
private func fetchICCIDs(port: UInt16) -> [String] {
    guard let client = BenchmarkClient(port: port) else { return [] }
    var iccids: [String] = []
    var offset = 0
    while offset < benchmarkFleetSize {
        guard let response = client.get("\(Simulator.apiPathPrefix)/esim/list?limit=200&offset=\(offset)"), response.status == 200,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let esims = object["esims"] as? [[String: Any]], !esims.isEmpty else {
            break
        }
        iccids += esims.compactMap { $0["iccid"] as? String }
        offset += esims.count
    }
    return iccids
}

private struct ThroughputResult {
    var requestsPerSecond: Double
    var failures: Int
    var firstFailure: String?
    /// The time of every successful request, sorted.
    var latencies: [Duration]

    /// Returns the latency below which `fraction` of the requests finished (nearest rank).
    func latencyPercentile(_ fraction: Double) -> Duration {
        guard !latencies.isEmpty else { return .zero }
        let rank = Int((fraction * Double(latencies.count)).rounded(.up))
        return latencies[min(latencies.count - 1, max(0, rank - 1))]
    }
}

/// Runs `benchmarkClientCount` keep-alive clients for `seconds`, each sending the path
/// `path(client, requestNumber)` and waiting for its response before the next.
private func measureThroughput(port: UInt16, seconds: Double, path: @escaping @Sendable (Int, Int) -> String) -> ThroughputResult {
    let tally = BenchmarkTally()
    let threads = DispatchGroup()
    let started = ContinuousClock.now
    let deadline = started + .milliseconds(Int(seconds * 1000))

    for clientIndex in 0..<benchmarkClientCount {
        threads.enter()
        Thread {
            defer { threads.leave() }
            guard let client = BenchmarkClient(port: port) else {
                tally.recordFailure("could not connect to 127.0.0.1:\(port)")
                return
            }
            var latencies: [Duration] = []
            defer { tally.recordLatencies(latencies) }
            var requestNumber = 0
            while ContinuousClock.now < deadline {
                let target = path(clientIndex, requestNumber)
                requestNumber += 1
                let sent = ContinuousClock.now
                guard let status = client.getDiscardingBody(target) else {
                    tally.recordFailure("no response to GET \(target)")
                    return
                }
                if status == 200 {
                    latencies.append(.now - sent)
                } else {
                    tally.recordFailure("GET \(target) returned \(status)")
                }
            }
        }.start()
    }
    threads.wait()

    let elapsed = ContinuousClock.now - started
    let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let counts = tally.counts
    return ThroughputResult(
        requestsPerSecond: Double(counts.latencies.count) / elapsedSeconds,
        failures: counts.failures, firstFailure: counts.firstFailure, latencies: counts.latencies.sorted())
}

/// Request counts and latencies shared by the client threads.
private final class BenchmarkTally: @unchecked Sendable {
    // `lock` guards the three fields below it.
    private let lock = NSLock()
    private var latencies: [Duration] = []
    private var failures = 0
    private var firstFailure: String?

    func recordLatencies(_ values: [Duration]) {
        lock.withLock { latencies += values }
    }

    func recordFailure(_ description: String) {
        lock.withLock {
            failures += 1
            if firstFailure == nil { firstFailure = description }
        }
    }

    var counts: (latencies: [Duration], failures: Int, firstFailure: String?) {
        lock.withLock { (latencies, failures, firstFailure) }
    }
}

/// A minimal blocking HTTP/1.1 client on one keep-alive loopback socket, so the client's
/// own overhead stays small next to the server's: it reads into one fixed buffer and
/// copies a body only when the caller wants it.
private final class BenchmarkClient {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    private let descriptor: Int32
    /// Received bytes not consumed yet are `buffer[start..<end]`.
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    private var start = 0
    private var end = 0

    init?(port: UInt16) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        var noDelay: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        guard connected else {
            close(descriptor)
            return nil
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends one GET and reads its response, or returns nil if the connection failed.
    func get(_ target: String) -> Response? {
        guard sendRequest(target), let (status, length) = readHead() else { return nil }
        var body: [UInt8] = []
        body.reserveCapacity(length)
        guard consumeBody(length: length, into: { body.append(contentsOf: $0) }) else { return nil }
        return Response(status: status, body: body)
    }

    /// Sends one GET and reads its response without keeping the body; returns the status,
    /// or nil if the connection failed.
    func getDiscardingBody(_ target: String) -> Int? {
        guard sendRequest(target), let (status, length) = readHead() else { return nil }
        guard consumeBody(length: length, into: { _ in }) else { return nil }
        return status
    }

    private func sendRequest(_ target: String) -> Bool {
        let request = Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(benchmarkAPIKey)\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return sent == request.count
    }

    /// Reads the status line and headers; returns the status and `Content-Length`.
    private func readHead() -> (status: Int, contentLength: Int)? {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = indexOfHeadEnd()
            if headEnd == nil && !receiveMore() { return nil }
        }
        guard let headEnd else { return nil }

        let head = String(decoding: buffer[start..<headEnd], as: UTF8.self)
        start = headEnd + 4
        let lines = head.split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var contentLength = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return (status, contentLength)
    }

    /// Passes the next `length` bytes to `sink`, piece by piece, as they arrive.
    private func consumeBody(length: Int, into sink: (ArraySlice<UInt8>) -> Void) -> Bool {
        var remaining = length
        while remaining > 0 {
            if start == end && !receiveMore() { return false }
            let take = min(remaining, end - start)
            sink(buffer[start..<(start + take)])
            start += take
            remaining -= take
        }
        return true
    }

    private func indexOfHeadEnd() -> Int? {
        guard end - start >= 4 else { return nil }
        for index in start...(end - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// Receives into the free end of the buffer, first moving unread bytes to its front.
    private func receiveMore() -> Bool {
        if start == end {
            start = 0
            end = 0
        } else if end == buffer.count {
            guard start > 0 else { return false }
            buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
            end -= start
            start = 0
        }
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + end, $0.count - end, 0) }
        guard count > 0 else { return false }
        end += count
        return true
    }
}
