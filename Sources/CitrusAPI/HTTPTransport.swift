import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request and maps every failure below HTTP to a
/// `CitrusError.transport` that states whether the request may have been sent.
///
/// Facts about FoundationNetworking on Linux (libcurl 7.88, Swift 6.3), checked
/// against sockets on 127.0.0.1 and covered by `TransportFailureTests`:
/// - `timeoutInterval` is applied in whole seconds, truncated, and a value
///   below one second fails at once. So the client enforces `requestTimeout`
///   with its own deadline and gives URLSession a rounded-up backstop.
/// - On a reused keep-alive connection that turns out dead, libcurl silently
///   resends the request on a new connection. For a POST that would be a
///   second fund, so every mutating request goes through a fresh session with
///   no pooled connection. GETs share one session.
/// - There is no separate connect timeout, so connecting counts against the
///   request deadline.
struct HTTPTransport: Sendable {
    private let sharedSession: URLSession
    private let redirectBlocker: RedirectBlocker
    let requestTimeout: TimeInterval

    init(requestTimeout: TimeInterval) {
        self.requestTimeout = requestTimeout
        self.redirectBlocker = RedirectBlocker()
        self.sharedSession = Self.makeSession(requestTimeout: requestTimeout, delegate: redirectBlocker)
    }

    private static func makeSession(requestTimeout: TimeInterval, delegate: RedirectBlocker) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = backstopTimeout(requestTimeout)
        configuration.timeoutIntervalForResource = backstopTimeout(requestTimeout)
        configuration.httpMaximumConnectionsPerHost = 4
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    /// URLSession's own timeout, in whole seconds and above our deadline, so it
    /// fires only if our deadline task could not run.
    static func backstopTimeout(_ requestTimeout: TimeInterval) -> TimeInterval {
        (max(requestTimeout, 0) + 1).rounded(.up)
    }

    /// Sends `request` and returns the body and response, whatever the status.
    /// `freshConnection` forces a new connection (used for every mutation).
    func send(_ request: URLRequest, endpoint: String, freshConnection: Bool) async throws -> (Data, HTTPURLResponse) {
        var request = request
        request.timeoutInterval = Self.backstopTimeout(requestTimeout)

        let session: URLSession
        if freshConnection {
            session = Self.makeSession(requestTimeout: requestTimeout, delegate: redirectBlocker)
        } else {
            session = sharedSession
        }
        defer {
            if freshConnection { session.finishTasksAndInvalidate() }
        }

        let outcome = await Self.race(session: session, request: request, timeout: requestTimeout)
        switch outcome {
        case .response(let data, let response):
            guard let http = response as? HTTPURLResponse else {
                throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "the response is not HTTP")
            }
            return (data, http)
        case .deadline:
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "no response within \(Self.format(requestTimeout)) s (timed out)")
        case .failure(let error as URLError):
            throw CitrusError.transport(endpoint: endpoint, delivery: Self.delivery(of: error), reason: Self.describe(error))
        case .failure(let error):
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "\(error)")
        }
    }

    private enum RaceOutcome: Sendable {
        case response(Data, URLResponse)
        case deadline
        case failure(any Error)
    }

    /// Runs the request against a deadline; the loser is cancelled.
    private static func race(session: URLSession, request: URLRequest, timeout: TimeInterval) async -> RaceOutcome {
        await withTaskGroup(of: RaceOutcome?.self) { group in
            group.addTask {
                do {
                    let (data, response) = try await session.data(for: request)
                    return .response(data, response)
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: .seconds(max(timeout, 0.001)))
                    return .deadline
                } catch {
                    // Cancelled because the request finished first.
                    return nil
                }
            }
            var result: RaceOutcome = .deadline
            if let first = await group.next(), let outcome = first {
                result = outcome
            }
            group.cancelAll()
            return result
        }
    }

    /// Returns whether a request that failed with `error` may have reached the server.
    /// Only failures that happen before any byte of the request is written are
    /// `.notSent`: no connection (refused, unreachable), no DNS answer, or a
    /// failed TLS handshake. Everything else, including unrecognised errors, is
    /// `.maybeSent`.
    static func delivery(of error: URLError) -> DeliveryState {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired, .unsupportedURL, .badURL, .appTransportSecurityRequiresSecureConnection:
            return .notSent
        case .unknown:
            return isTLSHandshakeFailure(error.localizedDescription) ? .notSent : .maybeSent
        default:
            return .maybeSent
        }
    }

    /// FoundationNetworking reports libcurl's TLS errors as `URLError.unknown`
    /// with libcurl's message. libcurl 7.88 words handshake failures as
    /// "SSL_connect: …" and verification failures as "SSL certificate problem: …";
    /// errors while reading or writing contain "SSL_read" or "SSL_write".
    /// NOTE: this matches libcurl's wording, so another libcurl may need new
    /// patterns; an unmatched message stays `.maybeSent`, the safe side.
    static func isTLSHandshakeFailure(_ message: String) -> Bool {
        message.contains("SSL_connect:") || message.hasPrefix("SSL certificate problem")
    }

    /// Describes `error` with libcurl's message when present, else with its code.
    static func describe(_ error: URLError) -> String {
        let text = error.localizedDescription
        if text.contains("The operation could not be completed") {
            return "\(error.code) (URLError \(error.code.rawValue))"
        }
        return "\(text) (URLError \(error.code.rawValue))"
    }

    static func format(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.2f", seconds)
    }
}

/// Refuses HTTP redirects: following one would send the API key to wherever
/// the `Location` header points. The 3xx response is returned as it is.
final class RedirectBlocker: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
