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
/// - There is no connect timeout. So before a request that probably opens a
///   new connection, the transport connects once itself within
///   `connectTimeout` (`ConnectProbe`) and sends nothing when that fails.
///   The request deadline starts after that probe.
///   That is every mutation, and a GET when the shared session has had no
///   response for `reuseWindow` seconds or its last request failed. A GET
///   that libcurl sends on a new connection anyway still counts its connect
///   time against the request deadline only.
struct HTTPTransport: Sendable {
    private let sharedSession: URLSession
    private let redirectBlocker: RedirectBlocker
    private let sharedConnection = SharedConnectionState()
    let requestTimeout: TimeInterval
    let connectTimeout: TimeInterval
    /// The proxy variables that decide where a connection goes (see `ConnectTarget`).
    private let environment: [String: String]

    /// Ends the reason of a request that could not connect within the connect timeout.
    static let connectTimeoutSuffix = "(connect timeout)"

    /// Seconds after a response on the shared session during which a GET is
    /// assumed to reuse its connection and is not probed.
    static let reuseWindow: TimeInterval = 5

    init(requestTimeout: TimeInterval, connectTimeout: TimeInterval,
         environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.environment = environment
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
    /// `admit` runs right before the request is handed to URLSession: when it
    /// returns false, nothing is sent and the request fails as not sent.
    func send(_ request: URLRequest, endpoint: String, freshConnection: Bool,
              admit: @escaping @Sendable () -> Bool = { true }) async throws -> (Data, HTTPURLResponse) {
        // The request's own deadline starts after the probe, so time spent
        // waiting to resume after it can never leave a request too little time.
        if freshConnection || !sharedConnection.isProbablyOpen(within: Self.reuseWindow) {
            try await probeConnection(for: request, endpoint: endpoint)
        }

        var request = request
        request.timeoutInterval = Self.backstopTimeout(requestTimeout)

        let sharedSession = self.sharedSession
        let requestTimeout = self.requestTimeout
        let redirectBlocker = self.redirectBlocker
        let makeSession: @Sendable () -> URLSession = {
            freshConnection ? Self.makeSession(requestTimeout: requestTimeout, delegate: redirectBlocker) : sharedSession
        }

        let outcome = await Self.race(
            makeSession: makeSession, invalidateAfterUse: freshConnection, redirectBlocker: redirectBlocker,
            request: request, timeout: requestTimeout, admit: admit)
        if !freshConnection {
            if case .response = outcome {
                sharedConnection.responded()
            } else {
                sharedConnection.failed()
            }
        }
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
        case .notAdmitted:
            throw CitrusError.transport(endpoint: endpoint, delivery: .notSent, reason: "not sent: the client has stopped sending (the program is exiting)")
        case .failure(let error as URLError):
            throw CitrusError.transport(endpoint: endpoint, delivery: Self.delivery(of: error), reason: Self.describe(error))
        case .failure(let error):
            throw CitrusError.transport(endpoint: endpoint, delivery: .maybeSent, reason: "\(error)")
        }
    }

    /// Connects once to where `request` would connect, within the connect
    /// timeout, and throws a `.notSent` transport error when that fails.
    private func probeConnection(for request: URLRequest, endpoint: String) async throws {
        guard let url = request.url, let target = ConnectTarget.resolve(url, environment: environment) else { return }
        let limit = min(connectTimeout, requestTimeout)
        switch await ConnectProbe.run(host: target.host, port: target.port, timeout: limit) {
        case .connected:
            return
        case .failed(let reason):
            let via = target.isProxy ? " through \(target.description)" : ""
            throw CitrusError.transport(endpoint: endpoint, delivery: .notSent, reason: "could not connect\(via): \(reason)")
        case .timedOut:
            throw CitrusError.transport(
                endpoint: endpoint, delivery: .notSent,
                reason: "no connection to \(target.description) within \(Self.format(limit)) s \(Self.connectTimeoutSuffix)")
        case .cancelled:
            throw CitrusError.transport(endpoint: endpoint, delivery: .notSent, reason: "the calling task was cancelled before the request was sent")
        }
    }

    enum RaceOutcome: Sendable {
        case response(Data, URLResponse)
        case deadline
        case cancelled
        /// `admit` refused the request, so it was never handed to URLSession.
        case notAdmitted
        case failure(any Error)
    }

    /// Runs the request against a deadline. Whichever comes first, the response,
    /// the deadline or the caller's cancellation, decides the outcome, and a task
    /// still running is then cancelled.
    private static func race(makeSession: @escaping @Sendable () -> URLSession, invalidateAfterUse: Bool,
                             redirectBlocker: RedirectBlocker, request: URLRequest, timeout: TimeInterval,
                             admit: @escaping @Sendable () -> Bool) async -> RaceOutcome {
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
                    guard admit() else {
                        race.finish(.notAdmitted)
                        return
                    }
                    let session = makeSession()
                    let task = session.dataTask(with: request) { data, response, error in
                        redirectBlocker.forget(race)
                        if let error {
                            race.finish(.failure(error))
                        } else if let response {
                            race.finish(.response(data ?? Data(), response))
                        } else {
                            race.finish(.failure(URLError(.badServerResponse)))
                        }
                    }
                    race.attach(task)
                    redirectBlocker.track(task, race)
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
///
/// A task that has reached the redirect callback is never cancelled, and a
/// task cancelled first never calls the callback's completion handler.
/// FoundationNetworking traps ("Received callback for HTTP redirection, but
/// we're not waiting for it") when that handler runs after a cancel has moved
/// the task on. Such a task finishes on its own with the 3xx response, and
/// that result is dropped.
final class RequestRace: @unchecked Sendable {
    // `lock` guards every field below.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPTransport.RaceOutcome, Never>?
    private var runningTask: URLSessionDataTask?
    private var isRedirecting = false
    private var cancelRequested = false
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

    var task: URLSessionDataTask? {
        lock.withLock { runningTask }
    }

    func attach(_ task: URLSessionDataTask) {
        let cancelNow: Bool = lock.withLock {
            runningTask = task
            if finished { cancelRequested = true }
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

    /// Cancels the task unless its redirect callback has begun. The lock is
    /// held during `cancel()` so that the callback cannot begin meanwhile;
    /// `cancel()` waits only on the session's own queue, never on this lock.
    func cancelTask() {
        lock.lock()
        defer { lock.unlock() }
        guard !isRedirecting else { return }
        cancelRequested = true
        runningTask?.cancel()
    }

    /// Returns whether the redirect callback may call its completion handler:
    /// false once the task was cancelled.
    func beginRedirect() -> Bool {
        lock.withLock {
            if cancelRequested { return false }
            isRedirecting = true
            return true
        }
    }
}

/// When the shared session last had a response, to tell whether a GET will
/// probably reuse an open connection.
private final class SharedConnectionState: @unchecked Sendable {
    // `lock` guards `lastResponse`.
    private let lock = NSLock()
    private var lastResponse: DispatchTime?

    func responded() {
        lock.withLock { lastResponse = .now() }
    }

    func failed() {
        lock.withLock { lastResponse = nil }
    }

    func isProbablyOpen(within window: TimeInterval) -> Bool {
        lock.withLock {
            guard let lastResponse else { return false }
            return DispatchTime.now() < lastResponse + window
        }
    }
}

/// Refuses HTTP redirects: following one would send the API key to wherever
/// the `Location` header points. The 3xx response is returned as it is.
final class RedirectBlocker: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    // `lock` guards `races`.
    private let lock = NSLock()
    /// The race of each task in flight, to tell whether it was cancelled.
    private var races: [ObjectIdentifier: RequestRace] = [:]

    func track(_ task: URLSessionTask, _ race: RequestRace) {
        lock.withLock { races[ObjectIdentifier(task)] = race }
    }

    func forget(_ race: RequestRace) {
        guard let task = race.task else { return }
        lock.withLock { _ = races.removeValue(forKey: ObjectIdentifier(task)) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        let race = lock.withLock { races[ObjectIdentifier(task)] }
        guard race?.beginRedirect() ?? true else { return }
        completionHandler(nil)
    }
}
