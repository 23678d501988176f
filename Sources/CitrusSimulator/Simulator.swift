import CitrusAPI
import Foundation

/// A simulated Citrus reseller account: the model behind `citrus-sim`.
///
/// One instance owns the whole account (reseller balance, fleet, webhooks,
/// simulated clock). Every public method is thread-safe: a lock guards the
/// state, and webhook deliveries run outside it.
public final class Simulator: Sendable {
    /// The path prefix of the reseller API, the same as in production.
    public static let apiPathPrefix = "/api/v2/reseller"
    /// `apiPathPrefix` as path segments.
    static let apiPathSegments = ["api", "v2", "reseller"]
    /// The path prefix of the simulator's control endpoints (clock, ledger, events).
    public static let controlPathPrefix = "/_sim/"

    public let options: SimulatorOptions
    let state: Locked<SimulatorState>
    let deliverer: WebhookDeliverer
    /// Real time for the rate limit, in monotonic nanoseconds.
    private let wallNanos: @Sendable () -> UInt64
    private let ticker: Locked<DispatchSourceTimer?> = Locked(nil)

    public convenience init(options: SimulatorOptions) {
        self.init(options: options, wallNanos: SimulatedClock.monotonicNanos)
    }

    /// Creates a simulator whose rate limit and clock read real time from `wallNanos` (tests inject it).
    init(options: SimulatorOptions, wallNanos: @escaping @Sendable () -> UInt64) {
        self.options = options
        self.wallNanos = wallNanos
        let clock = SimulatedClock(start: options.startDate, speed: options.speed, realNanos: wallNanos)
        let account = ResellerAccount(options: options, now: clock.now())
        self.state = Locked(SimulatorState(clock: clock, account: account, rateLimiter: RateLimiter(limit: options.rateLimitPerMinute)))
        self.deliverer = WebhookDeliverer(retryBaseSeconds: options.webhookRetryBaseSeconds, maxAttempts: options.webhookMaxAttempts)
        deliverer.resultHandler = { [weak self] result in
            self?.recordDelivery(result) ?? false
        }
        deliverer.retryFilter = { [weak self] job in
            self?.state.withLock { $0.account.webhooks.acceptsRetry(of: job) } ?? false
        }
        startBackgroundTick()
    }

    deinit {
        ticker.withLock { $0?.cancel() }
    }

    /// Handles one request whose path starts with `/api/v2/reseller` or `/_sim/`
    /// (except `/_sim/faults`, which the server handles). Bad input of any kind
    /// gets the `{"error", "message"}` envelope with a 4xx status. The handlers
    /// check ranges instead of trapping, so no request can stop the process.
    /// Routes on `request.pathSegments`, so an encoded slash (`%2F`) stays inside its segment.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let segments = request.pathSegments
        let response: HTTPResponse
        if segments.first == "_sim" {
            response = handleControl(request, segments: Array(segments.dropFirst()))
        } else if segments.starts(with: Self.apiPathSegments) {
            response = handleAPI(request, segments: Array(segments.dropFirst(Self.apiPathSegments.count)))
        } else {
            response = APIError(status: 404, code: "NOT_FOUND", message: "No endpoint at \(request.path). The API is under \(Self.apiPathPrefix) and the simulator controls under /_sim/.").response
        }
        flushWebhooks()
        return response
    }

    // MARK: Clock

    /// The simulated time now (the same as `GET /_sim/clock`).
    public var simulatedNow: Date {
        let millis = state.withLock { $0.clock.now() }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// Moves the simulated clock forward (the same as `POST /_sim/clock`).
    /// Negative and non-finite values are ignored, because the clock never runs backwards.
    public func advanceClock(seconds: Double) {
        state.withLock { state in
            state.clock.advance(millis: durationMillis(seconds: seconds))
            state.account.settleDefunds(now: state.clock.now())
        }
        flushWebhooks()
    }

    // MARK: Reseller API

    private func handleAPI(_ request: HTTPRequest, segments: [String]) -> HTTPResponse {
        let key: String
        do {
            key = try authenticate(request)
        } catch {
            return error.response
        }
        let nowNanos = wallNanos()
        var readAhead: [(index: Int, lpa: String)] = []
        let response = state.withLock { state in
            if let retryAfter = state.rateLimiter.admit(key: key, nowNanos: nowNanos) {
                return APIError(status: 429, code: "RATE_LIMITED", message: "Rate limit of \(options.rateLimitPerMinute) requests per minute exceeded for this API key. Retry after \(retryAfter) seconds.", headers: [("Retry-After", String(retryAfter))]).response
            }
            let now = state.clock.now()
            state.account.settleDefunds(now: now)
            defer { readAhead = state.account.takeQRReadAhead() }
            do throws(APIError) {
                return try APIRoutes.route(request, segments: segments, account: &state.account, now: now)
            } catch {
                return error.response
            }
        }
        if !readAhead.isEmpty {
            makeQRCodesInBackground(readAhead)
        }
        return response
    }

    /// Makes QR codes outside the lock (they depend only on the LPA string) and
    /// stores them, so the next list page finds them ready.
    /// Works in chunks and skips codes that a request made meanwhile, so a client
    /// that lists back to back does not pay for the same code twice.
    private func makeQRCodesInBackground(_ requests: [(index: Int, lpa: String)]) {
        DispatchQueue.global(qos: .utility).async { [weak self] in
            var start = 0
            while start < requests.count {
                let chunk = requests[start..<min(requests.count, start + 16)]
                start += chunk.count
                guard let self else { return }
                let missing = self.state.withLock { state in
                    chunk.filter { state.account.esims.indices.contains($0.index) && state.account.esims[$0.index].staticMembersJSON == nil }
                }
                let codes = missing.map { (index: $0.index, dataURL: QRCodeImage.dataURL(for: $0.lpa)) }
                self.state.withLock { state in
                    state.account.storeQRCodes(codes)
                    state.account.releaseQRRequests(chunk.map(\.index))
                }
            }
        }
    }

    /// Returns the bearer key, or throws 401 `INVALID_API_KEY`.
    private func authenticate(_ request: HTTPRequest) throws(APIError) -> String {
        guard let header = request.header("authorization") else {
            throw APIError(status: 401, code: "INVALID_API_KEY", message: "The Authorization header is missing. Send Authorization: Bearer rsk_… with your reseller API key.")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(status: 401, code: "INVALID_API_KEY", message: "The Authorization header is not a bearer token. Send Authorization: Bearer rsk_… with your reseller API key.")
        }
        let key = String(parts[1]).trimmingCharacters(in: .whitespaces)
        if let pinned = options.apiKey {
            guard key == pinned else {
                throw APIError(status: 401, code: "INVALID_API_KEY", message: "The API key is not valid for this account. Use the key this simulator was started with (--api-key).")
            }
        } else {
            guard key.hasPrefix("rsk_"), key.count > 4 else {
                throw APIError(status: 401, code: "INVALID_API_KEY", message: "The API key is not valid: reseller keys start with rsk_.")
            }
        }
        return key
    }

    // MARK: Controls

    private func handleControl(_ request: HTTPRequest, segments: [String]) -> HTTPResponse {
        state.withLock { state in
            do throws(APIError) {
                return try ControlRoutes.route(request, segments: segments, state: &state)
            } catch {
                return error.response
            }
        }
    }

    // MARK: Background evaluation

    private func startBackgroundTick() {
        let interval = options.backgroundTickSeconds
        guard interval.isFinite, interval > 0 else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [weak self] in
            self?.tick()
        }
        ticker.withLock { $0 = timer }
        timer.resume()
    }

    /// Evaluates the fleet so threshold events and webhooks fire without reads.
    /// Skipped while no webhook is registered: events then fire when SIMs are read,
    /// at the same simulated times, so a large fleet costs nothing in the background.
    private func tick() {
        state.withLock { state in
            guard state.account.webhooks.hasEnabledWebhook else { return }
            let now = state.clock.now()
            state.account.evaluateAll(now: now)
        }
        flushWebhooks()
    }

    /// Publishes the events visible now and hands their deliveries to the deliverer.
    private func flushWebhooks() {
        let jobs = state.withLock { state in
            let now = state.clock.now()
            let published = state.account.events.publish(upTo: now)
            return state.account.webhooks.deliveries(for: published)
        }
        for job in jobs {
            deliverer.enqueue(job)
        }
    }

    /// Records one delivery attempt; returns whether a failed delivery should be retried.
    private func recordDelivery(_ result: WebhookDeliveryResult) -> Bool {
        state.withLock { state in
            state.account.webhooks.record(result, maxAttempts: options.webhookMaxAttempts)
        }
    }
}

/// Everything the simulator's lock guards.
struct SimulatorState {
    var clock: SimulatedClock
    var account: ResellerAccount
    var rateLimiter: RateLimiter
}
