import Foundation

/// When the client repeats a failed request by itself.
///
/// - GET: retried on 5xx, 429 (after the budget's pause), `NO_ESIMS_AVAILABLE`,
///   every transport failure and a body that is not well-formed JSON (a
///   truncated response), up to `maximumGETAttempts` attempts in all.
/// - POST, PUT and DELETE: retried only when the request certainly was not
///   sent (connection refused, DNS or TLS failure), up to `maximumMutationAttempts`.
/// - Fund: never retried, whatever the failure (see `CitrusClient.fund`).
/// - A request that could not connect within the connect timeout is not
///   retried: the kernel already resent its SYN during that time, and a
///   retry would make the operator wait that long again.
///
/// Delays grow exponentially from `baseDelay`, capped at `maximumDelay`, with
/// jitter that picks uniformly between half the delay and the whole delay.
public struct RetryPolicy: Sendable, Hashable {
    public var maximumGETAttempts: Int
    public var maximumMutationAttempts: Int
    /// The delay before the first retry, in seconds.
    public var baseDelay: Double
    /// The maximum delay between two attempts, in seconds.
    public var maximumDelay: Double

    public init(maximumGETAttempts: Int = 4, maximumMutationAttempts: Int = 3, baseDelay: Double = 0.5, maximumDelay: Double = 8) {
        self.maximumGETAttempts = max(1, maximumGETAttempts)
        self.maximumMutationAttempts = max(1, maximumMutationAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maximumDelay = max(0, maximumDelay)
    }

    public static let standard = RetryPolicy()
    /// Never retries; each call makes one attempt.
    public static let none = RetryPolicy(maximumGETAttempts: 1, maximumMutationAttempts: 1)

    /// The action after a failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Try again after this many seconds.
        case retry(after: Double)
        /// Give up and report the error.
        case surface
    }

    /// Decides whether attempt number `attempt` (1 for the first) of a request
    /// with HTTP `method` is repeated after `error`. `unitRandom` is a number in
    /// 0..<1 for the jitter.
    public func decision(method: String, error: CitrusError, attempt: Int, unitRandom: Double) -> Decision {
        let isGET = method == "GET"
        let limit = isGET ? maximumGETAttempts : maximumMutationAttempts
        guard attempt < limit, Self.isRetryable(error, isGET: isGET) else { return .surface }

        // The budget pause after a 429 is the wait; no extra delay is added.
        if error.code == .rateLimited { return .retry(after: 0) }

        let exponential = baseDelay * pow(2, Double(attempt - 1))
        let delay = min(maximumDelay, exponential)
        let jittered = delay / 2 + delay / 2 * min(max(unitRandom, 0), 1)
        return .retry(after: jittered)
    }

    static func isRetryable(_ error: CitrusError, isGET: Bool) -> Bool {
        switch error {
        case .transport(_, let delivery, let reason):
            if delivery == .notSent && reason.hasSuffix(HTTPTransport.connectTimeoutSuffix) { return false }
            return isGET || delivery == .notSent
        case .api(let status, let code, _, _, _):
            guard isGET else { return false }
            return status >= 500 || status == 429 || code == .noESIMsAvailable || code == .rateLimited
        case .decoding(_, let field, _):
            // Only a body that is not JSON at all; a wrong field stays wrong when read again.
            return isGET && field == "(body)"
        case .invalidRequest:
            return false
        }
    }
}
