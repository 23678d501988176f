import CitrusAPI
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    private let policy = RetryPolicy(maximumGETAttempts: 4, maximumMutationAttempts: 3, baseDelay: 0.5, maximumDelay: 8)

    private func api(_ status: Int, _ code: CitrusErrorCode) -> CitrusError {
        .api(status: status, code: code, message: "m", retryAfter: nil, endpoint: "e")
    }

    private let reset = CitrusError.transport(endpoint: "e", delivery: .maybeSent, reason: "reset")
    private let refused = CitrusError.transport(endpoint: "e", delivery: .notSent, reason: "refused")

    @Test("GET retries 5xx, 429, timeouts, resets and NO_ESIMS_AVAILABLE")
    func getRetries() {
        for error in [api(500, .other("HTTP_500")), api(502, .other("HTTP_502")), api(429, .rateLimited),
                      api(503, .noESIMsAvailable), reset, refused] {
            #expect(policy.decision(method: "GET", error: error, attempt: 1, unitRandom: 0.5) != .surface, "\(error)")
        }
    }

    @Test("GET retries a body that is not JSON")
    func getRetriesTruncatedBody() {
        let truncated = CitrusError.decoding(endpoint: "e", field: "(body)", reason: "not JSON")
        #expect(policy.decision(method: "GET", error: truncated, attempt: 1, unitRandom: 0.5) != .surface)
        #expect(policy.decision(method: "POST", error: truncated, attempt: 1, unitRandom: 0.5) == .surface)
    }

    @Test("GET surfaces 4xx and field decoding errors")
    func getSurfaces() {
        for error in [api(404, .esimNotFound), api(400, .validationError), api(401, .invalidAPIKey),
                      CitrusError.decoding(endpoint: "e", field: "esims[0].iccid", reason: "r")] {
            #expect(policy.decision(method: "GET", error: error, attempt: 1, unitRandom: 0.5) == .surface, "\(error)")
        }
    }

    @Test("POST retries only a request that certainly was not sent")
    func postRetries() {
        #expect(policy.decision(method: "POST", error: refused, attempt: 1, unitRandom: 0.5) != .surface)
        for error in [reset, api(500, .other("HTTP_500")), api(429, .rateLimited), api(503, .noESIMsAvailable)] {
            #expect(policy.decision(method: "POST", error: error, attempt: 1, unitRandom: 0.5) == .surface, "\(error)")
        }
    }

    @Test("connect timeouts are not retried")
    func connectTimeoutSurfaces() {
        let silent = CitrusError.transport(
            endpoint: "e", delivery: .notSent, reason: "no connection to 10.0.0.1:443 within 10 s (connect timeout)")
        #expect(policy.decision(method: "GET", error: silent, attempt: 1, unitRandom: 0.5) == .surface)
        #expect(policy.decision(method: "POST", error: silent, attempt: 1, unitRandom: 0.5) == .surface)
    }

    @Test("attempts are bounded")
    func bounded() {
        #expect(policy.decision(method: "GET", error: reset, attempt: 3, unitRandom: 0) != .surface)
        #expect(policy.decision(method: "GET", error: reset, attempt: 4, unitRandom: 0) == .surface)
        #expect(policy.decision(method: "POST", error: refused, attempt: 3, unitRandom: 0) == .surface)
        #expect(RetryPolicy.none.decision(method: "GET", error: reset, attempt: 1, unitRandom: 0) == .surface)
    }

    @Test("backoff doubles with jitter between half and all of the delay")
    func backoff() {
        #expect(policy.decision(method: "GET", error: reset, attempt: 1, unitRandom: 0) == .retry(after: 0.25))
        #expect(policy.decision(method: "GET", error: reset, attempt: 1, unitRandom: 1) == .retry(after: 0.5))
        #expect(policy.decision(method: "GET", error: reset, attempt: 2, unitRandom: 1) == .retry(after: 1))
        #expect(policy.decision(method: "GET", error: reset, attempt: 3, unitRandom: 1) == .retry(after: 2))
        let long = RetryPolicy(maximumGETAttempts: 20, baseDelay: 0.5, maximumDelay: 8)
        #expect(long.decision(method: "GET", error: reset, attempt: 10, unitRandom: 1) == .retry(after: 8))
    }

    @Test("a 429 retry adds no delay because the budget pause waits")
    func rateLimitedNoDelay() {
        #expect(policy.decision(method: "GET", error: api(429, .rateLimited), attempt: 1, unitRandom: 1) == .retry(after: 0))
    }
}
