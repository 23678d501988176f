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
///   NOTE: such a hidden resend of a GET is not counted by the request budget.
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

        let sharedSession = self.sharedSession
        let requestTimeout = self.requestTimeout
        let redirectBlocker = self.redirectBlocker
        let makeSession: @Sendable () -> URLSession = {
            freshConnection ? Self.makeSession(requestTimeout: requestTimeout, delegate: redirectBlocker) : sharedSession
        }

        let outcome = await Self.race(makeSession: makeSession, invalidateAfterUse: freshConnection, request: request, timeout: requestTimeout)
        switch outcome {
        case .response(let data, let response):
            guard let http = response as? HTTPURLResponse else {
                throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "the response is not HTTP")
            }
            return (data, http)
        case .deadline:
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "no response within \(Self.format(requestTimeout)) s (timed out)")
        case .cancelled:
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "the calling task was cancelled while the request was in flight")
        case .failure(let error as URLError):
            throw CitrusError.transport(endpoint: endpoint, delivery: Self.delivery(of: error), reason: Self.describe(error))
        case .failure(let error):
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "\(error)")
        }
    }

    enum RaceOutcome: Sendable {
        case response(Data, URLResponse)
        case deadline
        case cancelled
        case failure(any Error)
    }

    /// Runs the request against a deadline. Whichever comes first, the response,
    /// the deadline or the caller's cancellation, decides the outcome, and a task
    /// still running is then cancelled.
    private static func race(makeSession: @escaping @Sendable () -> URLSession, invalidateAfterUse: Bool,
                             request: URLRequest, timeout: TimeInterval) async -> RaceOutcome {
        // This queue creates, starts, cancels and invalidates the task. FoundationNetworking's
        // `resume()` and `cancel()` wait on the session's internal queue, so they must not
        // run on a thread of the Swift concurrency pool (one per core). A serial queue of
        // its own gets a thread even when the global concurrent queues are saturated.
        let controlQueue = DispatchQueue(label: "CitrusAPI.HTTPTransport.request")
        let race = RequestRace()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<RaceOutcome, Never>) in
                race.begin(continuation)
                controlQueue.async {
                    let session = makeSession()
                    let task = session.dataTask(with: request) { data, response, error in
                        if let error {
                            race.finish(.failure(error))
                        } else if let response {
                            race.finish(.response(data ?? Data(), response))
                        } else {
                            race.finish(.failure(URLError(.badServerResponse)))
                        }
                    }
                    race.attach(task)
                    task.resume()
                    if invalidateAfterUse { session.finishTasksAndInvalidate() }
                }
                controlQueue.asyncAfter(deadline: .now() + max(timeout, 0.001)) {
                    if race.finish(.deadline) { race.cancelTask() }
                }
            }
        } onCancel: {
            controlQueue.async {
                if race.finish(.cancelled) { race.cancelTask() }
            }
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

/// The shared state of one request's race: the first `finish` resumes the
/// caller, and the others are ignored.
private final class RequestRace: @unchecked Sendable {
    // `lock` guards every field below.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPTransport.RaceOutcome, Never>?
    private var task: URLSessionDataTask?
    /// The winning outcome when it came before `begin` (a task cancelled at once).
    private var earlyOutcome: HTTPTransport.RaceOutcome?
    private var finished = false

    func begin(_ continuation: CheckedContinuation<HTTPTransport.RaceOutcome, Never>) {
        let early: HTTPTransport.RaceOutcome? = lock.withLock {
            if let earlyOutcome { return earlyOutcome }
            self.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func attach(_ task: URLSessionDataTask) {
        let cancelNow: Bool = lock.withLock {
            self.task = task
            return finished
        }
        // The deadline or a cancellation came before the task existed.
        if cancelNow { task.cancel() }
    }

    /// Resumes the caller with `outcome` unless another outcome came first, and
    /// returns whether this one won.
    @discardableResult
    func finish(_ outcome: HTTPTransport.RaceOutcome) -> Bool {
        let (won, waiting): (Bool, CheckedContinuation<HTTPTransport.RaceOutcome, Never>?) = lock.withLock {
            guard !finished else { return (false, nil) }
            finished = true
            guard let continuation else {
                earlyOutcome = outcome
                return (true, nil)
            }
            self.continuation = nil
            return (true, continuation)
        }
        waiting?.resume(returning: outcome)
        return won
    }

    func cancelTask() {
        let running = lock.withLock { task }
        running?.cancel()
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
