import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens one TCP connection to the host a request would connect to, within
/// the connect timeout, and closes it without sending a byte.
///
/// FoundationNetworking on Linux has no connect timeout of its own, so the
/// transport runs this probe before a request that is likely to open a new
/// connection. When the probe fails or runs out of time, the request is not
/// handed to URLSession at all, so it certainly was not sent.
///
/// The timeout covers the name lookup and the TCP handshake. A TLS handshake
/// that follows counts against the request timeout. Addresses are tried in
/// the order the resolver returns them, within one shared deadline.
enum ConnectProbe {
    enum Result: Sendable, Equatable {
        case connected
        /// Every address refused or was unreachable, or the name did not resolve.
        case failed(String)
        /// The timeout ran out before a connection was made.
        case timedOut
        case cancelled
    }

    /// Connects to `host`:`port` within `timeout` seconds. The blocking work
    /// runs on a thread of its own, never on the Swift concurrency pool. When
    /// the timeout wins, a name lookup still running finishes there later.
    static func run(host: String, port: Int, timeout: TimeInterval) async -> Result {
        let once = ProbeOnce()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
                once.begin(continuation)
                let deadline = DispatchTime.now() + max(timeout, 0.001)
                Thread.detachNewThread {
                    once.finish(open(host: host, port: port, deadline: deadline))
                }
                // A queue of its own: the global queues can be saturated by blocked work.
                DispatchQueue(label: "CitrusAPI.ConnectProbe.deadline").asyncAfter(deadline: deadline) {
                    once.finish(.timedOut)
                }
            }
        } onCancel: {
            once.finish(.cancelled)
        }
    }

    /// Resolves `host` and tries each address until one accepts or `deadline` passes.
    static func open(host: String, port: Int, deadline: DispatchTime) -> Result {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            return .failed("could not resolve host \(host): \(reason)")
        }
        defer { freeaddrinfo(first) }

        var lastFailure = "no address for \(host)"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            switch attempt(address.pointee, deadline: deadline) {
            case .connected:
                return .connected
            case .timedOut:
                return .timedOut
            case .failed(let reason):
                lastFailure = reason
            case .cancelled:
                return .cancelled
            }
        }
        return .failed("\(lastFailure) (\(host):\(port))")
    }

    /// Connects to one address without blocking, waiting in poll() until `deadline`.
    private static func attempt(_ address: addrinfo, deadline: DispatchTime) -> Result {
        #if canImport(Glibc)
        let type = address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = address.ai_socktype
        #endif
        let descriptor = socket(address.ai_family, type, address.ai_protocol)
        guard descriptor >= 0 else { return .failed(errorText(errno)) }
        defer { close(descriptor) }
        #if !canImport(Glibc)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        #endif

        if connect(descriptor, address.ai_addr, address.ai_addrlen) == 0 { return .connected }
        guard errno == EINPROGRESS else { return .failed(errorText(errno)) }

        while true {
            let now = DispatchTime.now()
            guard now < deadline else { return .timedOut }
            let milliseconds = Int32(min((deadline.uptimeNanoseconds - now.uptimeNanoseconds + 999_999) / 1_000_000, 60_000))
            var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed(errorText(errno))
            }
            if ready == 0 { continue }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else {
                return .failed(errorText(errno))
            }
            return socketError == 0 ? .connected : .failed(errorText(socketError))
        }
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}

/// Resumes the probe's caller once, with whichever result comes first.
private final class ProbeOnce: @unchecked Sendable {
    // `lock` guards the two fields below.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<ConnectProbe.Result, Never>?
    private var result: ConnectProbe.Result?

    func begin(_ continuation: CheckedContinuation<ConnectProbe.Result, Never>) {
        let early: ConnectProbe.Result? = lock.withLock {
            if let result { return result }
            self.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func finish(_ outcome: ConnectProbe.Result) {
        let waiting: CheckedContinuation<ConnectProbe.Result, Never>? = lock.withLock {
            guard result == nil else { return nil }
            result = outcome
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: outcome)
    }
}
