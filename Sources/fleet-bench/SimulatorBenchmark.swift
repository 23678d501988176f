// `fleet-bench sim`: HTTP throughput of the simulator, measured in-process over loopback.
//
// It serves a 10,000-SIM IoT fleet with the rate limit out of the way. Then 4 keep-alive
// clients, each on its own thread and raw socket with one request in flight, send
// `GET /esim/list?limit=200` at rotating offsets, and next `GET /esim/{iccid}` over the
// fleet's ICCIDs. Client and server share the machine, so the figures are a lower bound
// of what the server alone can do.

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
    if let index = arguments.firstIndex(of: "--seconds") {
        guard index + 1 < arguments.count, let value = Double(arguments[index + 1]), value > 0, value <= 600 else {
            print("fleet-bench sim: --seconds needs a number of seconds per phase above 0 and at most 600, e.g. --seconds 3")
            return
        }
        seconds = value
    }

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

    let list = measureThroughput(port: server.port, seconds: seconds) { client, request in
        let offset = (client * 2_503 + request * 200) % benchmarkFleetSize
        return "\(prefix)/esim/list?limit=200&offset=\(offset)"
    }
    report("sim_list_rps", list)

    let get = measureThroughput(port: server.port, seconds: seconds) { client, request in
        "\(prefix)/esim/\(iccids[(client * 7_919 + request) % iccids.count])"
    }
    report("sim_get_rps", get)
}

private func report(_ name: String, _ result: ThroughputResult) {
    print("\(name): \(Int(result.requestsPerSecond.rounded())) req/s")
    if result.failures > 0 {
        FileHandle.standardError.write(Data("fleet-bench sim: \(name): \(result.failures) requests failed or were not 200; first: \(result.firstFailure ?? "-")\n".utf8))
    }
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
}

/// Runs `benchmarkClientCount` keep-alive clients for `seconds`, each sending the path
/// `path(client, requestNumber)` and waiting for its response before the next.
private func measureThroughput(port: UInt16, seconds: Double, path: @escaping @Sendable (Int, Int) -> String) -> ThroughputResult {
    let tally = BenchmarkTally()
    let threads = DispatchGroup()
    let started = Date()
    let deadline = started.addingTimeInterval(seconds)

    for clientIndex in 0..<benchmarkClientCount {
        threads.enter()
        Thread {
            defer { threads.leave() }
            guard let client = BenchmarkClient(port: port) else {
                tally.recordFailure("could not connect to 127.0.0.1:\(port)")
                return
            }
            var requestNumber = 0
            while Date() < deadline {
                let target = path(clientIndex, requestNumber)
                requestNumber += 1
                guard let response = client.get(target) else {
                    tally.recordFailure("no response to GET \(target)")
                    return
                }
                if response.status == 200 {
                    tally.recordSuccess()
                } else {
                    tally.recordFailure("GET \(target) returned \(response.status)")
                }
            }
        }.start()
    }
    threads.wait()

    let elapsed = Date().timeIntervalSince(started)
    let counts = tally.counts
    return ThroughputResult(requestsPerSecond: Double(counts.successes) / elapsed, failures: counts.failures, firstFailure: counts.firstFailure)
}

/// Request counts shared by the client threads.
private final class BenchmarkTally: @unchecked Sendable {
    // `lock` guards the three fields below it.
    private let lock = NSLock()
    private var successes = 0
    private var failures = 0
    private var firstFailure: String?

    func recordSuccess() {
        lock.withLock { successes += 1 }
    }

    func recordFailure(_ description: String) {
        lock.withLock {
            failures += 1
            if firstFailure == nil { firstFailure = description }
        }
    }

    var counts: (successes: Int, failures: Int, firstFailure: String?) {
        lock.withLock { (successes, failures, firstFailure) }
    }
}

/// A minimal blocking HTTP/1.1 client on one keep-alive loopback socket, so the client's
/// own overhead stays small next to the server's.
private final class BenchmarkClient {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)

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
        let request = Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(benchmarkAPIKey)\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { return nil }
        return readResponse()
    }

    private func readResponse() -> Response? {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = indexOfHeadEnd()
            if headEnd == nil && !receiveMore() { return nil }
        }
        guard let headEnd else { return nil }

        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var contentLength = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }

        let bodyStart = headEnd + 4
        while buffer.count < bodyStart + contentLength {
            guard receiveMore() else { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + contentLength)])
        buffer.removeFirst(bodyStart + contentLength)
        return Response(status: status, body: body)
    }

    private func indexOfHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func receiveMore() -> Bool {
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }
}
