#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error that kept the server from listening.
public struct HTTPServerError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The host is not an address this machine can resolve: a mistake in the input.
        case invalidHost
        /// The address is valid but binding or listening failed, e.g. the port is in use.
        case cannotListen
        /// The process ran out of a system resource such as file descriptors.
        case systemResource
    }

    public var kind: Kind
    public var description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// A listening socket and the address it is bound to.
struct ListeningSocket {
    var descriptor: Int32
    /// Numeric bound address, e.g. `127.0.0.1` or `::1`.
    var address: String
    var port: UInt16
}

/// Thin wrappers over the POSIX socket calls the server uses. Every descriptor they
/// return is non-blocking: waits go through `poll`, together with the server's wake-up
/// pipe, so that stopping the server interrupts every wait at once.
enum POSIXSocket {
    enum WaitResult {
        case ready
        case timedOut
        /// The wake-up pipe became readable: the server is stopping.
        case stopping
        case failed
    }

    /// Binds `host:port` (port 0 lets the OS choose), with `SO_REUSEADDR`, and listens.
    static func listen(host: String, port: UInt16, backlog: Int32) throws(HTTPServerError) -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketStreamType
        // Only numeric addresses (and localhost, from the hosts file): a bind never waits on DNS.
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | (host.lowercased() == "localhost" ? 0 : AI_NUMERICHOST)
        var candidates: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &candidates)
        guard status == 0, let first = candidates else {
            let reason = String(cString: gai_strerror(status))
            throw HTTPServerError(.invalidHost, "Invalid host '\(host)': \(reason). Use an IPv4 or IPv6 address such as 127.0.0.1 or ::1, or localhost.")
        }
        defer { freeaddrinfo(candidates) }

        var lastError = "no address to bind"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastError = errorText()
                continue
            }
            var reuse: Int32 = 1
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
            guard bind(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0,
                  Glibc.listen(descriptor, backlog) == 0,
                  setNonBlocking(descriptor),
                  let bound = boundAddress(of: descriptor) else {
                lastError = errorText()
                close(descriptor)
                continue
            }
            return ListeningSocket(descriptor: descriptor, address: bound.address, port: bound.port)
        }
        throw HTTPServerError(.cannotListen, "Could not listen on \(host):\(port): \(lastError). Pick another port, or port 0 for a free one.")
    }

    static func boundAddress(of descriptor: Int32) -> (address: String, port: UInt16)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let found = withUnsafeMutablePointer(to: &storage) { storagePointer in
            storagePointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                getsockname(descriptor, address, &length) == 0
                    && getnameinfo(address, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV) == 0
            }
        }
        guard found, let port = UInt16(String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) else {
            return nil
        }
        return (String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), port)
    }

    /// Makes an accepted socket non-blocking and turns off Nagle's algorithm, so small
    /// responses leave at once. Returns false if the socket cannot be configured.
    static func prepareAccepted(_ descriptor: Int32) -> Bool {
        guard setNonBlocking(descriptor) else { return false }
        var noDelay: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        return true
    }

    static func setNonBlocking(_ descriptor: Int32) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        return flags >= 0 && fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0
    }

    /// Waits until `descriptor` is ready for `events` (`POLLIN` or `POLLOUT`), the deadline
    /// passes (nil waits without end), or `wakeDescriptor` becomes readable.
    static func wait(for events: Int16, on descriptor: Int32, wakeDescriptor: Int32, deadline: ContinuousClock.Instant?) -> WaitResult {
        while true {
            var timeoutMilliseconds: Int32 = -1
            if let deadline {
                let remaining = deadline - .now
                if remaining <= .zero { return .timedOut }
                timeoutMilliseconds = Int32(clamping: remaining.roundedUpMilliseconds)
            }
            var descriptors = [
                pollfd(fd: descriptor, events: events, revents: 0),
                pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let count = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
            if count < 0 {
                if errno == EINTR { continue }
                return .failed
            }
            if descriptors[1].revents != 0 { return .stopping }
            if descriptors[0].revents != 0 { return .ready }
            if count == 0, deadline == nil { continue }
        }
    }

    /// Sleeps until the deadline, and returns false if the server started stopping first.
    static func pause(until deadline: ContinuousClock.Instant, wakeDescriptor: Int32) -> Bool {
        while true {
            let remaining = deadline - .now
            if remaining <= .zero { return true }
            var descriptors = [pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            let count = poll(&descriptors, 1, Int32(clamping: remaining.roundedUpMilliseconds))
            if count > 0 { return false }
            if count < 0 && errno != EINTR { return false }
        }
    }

    enum ReceiveResult {
        case bytes(Int)
        case wouldBlock
        case closed
    }

    static func receive(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReceiveResult {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .closed
            }
        }
    }

    /// Sends every byte, waiting for buffer space until the deadline. `MSG_NOSIGNAL` keeps a
    /// closed peer from raising SIGPIPE. Returns false if the bytes could not all be sent.
    static func sendAll(_ bytes: [UInt8], on descriptor: Int32, deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + offset, raw.count - offset, sendFlags)
            }
            if count > 0 {
                offset += count
                continue
            }
            if count < 0 && errno == EINTR { continue }
            guard count < 0, errno == EAGAIN || errno == EWOULDBLOCK else { return false }
            // A stopping server still finishes the response it is writing, so the
            // wake-up pipe is not watched here; the write deadline bounds the wait.
            guard case .ready = wait(for: Int16(POLLOUT), on: descriptor, wakeDescriptor: -1, deadline: deadline) else {
                return false
            }
        }
        return true
    }

    /// Sends `head` and then `body` like `sendAll(_:on:deadline:)`, gathering both into
    /// each `sendmsg` call, so a large body is not copied behind its head first.
    static func sendAll(_ head: [UInt8], _ body: [UInt8], on descriptor: Int32, deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        let total = head.count + body.count
        while offset < total {
            let count = head.withUnsafeBytes { headBytes in
                body.withUnsafeBytes { bodyBytes in
                    sendGathered(descriptor, head: headBytes, body: bodyBytes, from: offset)
                }
            }
            if count > 0 {
                offset += count
                continue
            }
            if count < 0 && errno == EINTR { continue }
            guard count < 0, errno == EAGAIN || errno == EWOULDBLOCK else { return false }
            guard case .ready = wait(for: Int16(POLLOUT), on: descriptor, wakeDescriptor: -1, deadline: deadline) else {
                return false
            }
        }
        return true
    }

    /// Calls `sendmsg` once with the bytes of `head` followed by `body` from `offset` on.
    private static func sendGathered(_ descriptor: Int32, head: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer, from offset: Int) -> Int {
        var vectors: [iovec] = []
        if offset < head.count {
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress! + offset), iov_len: head.count - offset))
        }
        let bodyOffset = max(0, offset - head.count)
        if bodyOffset < body.count {
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress! + bodyOffset), iov_len: body.count - bodyOffset))
        }
        return vectors.withUnsafeMutableBufferPointer { buffer in
            var message = msghdr()
            message.msg_iov = buffer.baseAddress
            message.msg_iovlen = numericCast(buffer.count)
            return sendmsg(descriptor, &message, sendFlags)
        }
    }

    /// Closes the socket so that the peer gets a TCP reset (RST) instead of an orderly close.
    static func resetAndClose(_ descriptor: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close(descriptor)
    }

    /// Creates a pipe whose read end becomes readable, and stays readable, once a byte is written.
    static func makeWakePipe() throws(HTTPServerError) -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw HTTPServerError(.systemResource, "Could not create the server's wake-up pipe: \(errorText()).")
        }
        _ = setNonBlocking(descriptors[1])
        return (descriptors[0], descriptors[1])
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }

    #if canImport(Glibc)
    private static let socketStreamType = Int32(SOCK_STREAM.rawValue)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let socketStreamType = SOCK_STREAM
    private static let sendFlags: Int32 = 0
    #endif
}

private extension Duration {
    /// The duration in whole milliseconds, rounded up so that a poll never wakes early.
    var roundedUpMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return seconds.multipliedReportingOverflow(by: 1000).partialValue + fraction
    }
}
