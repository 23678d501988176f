import Foundation

/// The queue of the request budget that a call waits in. Interactive requests
/// (an operator's action, the open detail view) go before background ones
/// (fleet sweeps, the reseller balance).
public enum RequestLane: Sendable, Hashable {
    case interactive
    case background
}

/// The production base URL of the Citrus Reseller API v2.
public let citrusProductionBaseURL = URL(string: "https://citrusmobile.com/api/v2/reseller")!

/// Settings of one `CitrusClient`. `description` and `dump` hide the API key.
public struct CitrusClientConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// For example `https://citrusmobile.com/api/v2/reseller` or the simulator's
    /// `http://127.0.0.1:PORT/api/v2/reseller`. Plain `http://` only to loopback hosts.
    public var baseURL: URL
    public var apiKey: String
    /// Time for a request from the moment it is handed to URLSession
    /// (connecting when no connection is open, sending, the response), in seconds.
    public var requestTimeout: TimeInterval
    /// Time to resolve the host and open a TCP connection to it (or to the
    /// proxy), in seconds, capped by `requestTimeout`. A request that cannot
    /// connect in time is not sent, so even a fund fails safely and fast.
    /// At worst a request takes the two timeouts added together.
    /// FoundationNetworking has no such setting, so the client connects once
    /// itself before a request that probably needs a new connection: see
    /// `HTTPTransport`. The TLS handshake counts against `requestTimeout`.
    public var connectTimeout: TimeInterval
    /// The request budget, in requests per minute. Citrus allows 100 per key,
    /// shared with the reseller's other software.
    public var requestsPerMinute: Int
    /// The largest burst, in seconds of budget (5 s of 60/min is 5 requests).
    public var burstSeconds: Double
    public var retryPolicy: RetryPolicy
    /// Sent as `User-Agent` on every request.
    public var userAgent: String

    /// The proxy variables (`https_proxy`, `no_proxy`…) that decide where a
    /// connection goes, or nil for the process environment. Set by tests.
    var proxyEnvironment: [String: String]?

    public init(baseURL: URL, apiKey: String, requestTimeout: TimeInterval = 30, connectTimeout: TimeInterval = 10,
                requestsPerMinute: Int = 60, burstSeconds: Double = 5, retryPolicy: RetryPolicy = .standard,
                userAgent: String = CitrusClient.defaultUserAgent) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.requestsPerMinute = requestsPerMinute
        self.burstSeconds = burstSeconds
        self.retryPolicy = retryPolicy
        self.userAgent = userAgent
    }

    /// Checks the base URL, the key and the numbers, with a message that names
    /// the bad value (never the key itself) and the fix.
    public func validate() throws(CitrusError) {
        do {
            try CitrusCredentials.checkBaseURL(baseURL)
        } catch {
            throw .invalidRequest(error.message)
        }
        if let problem = CitrusCredentials.keyProblem(apiKey) {
            throw .invalidRequest("The API key \(problem)")
        }
        guard requestTimeout.isFinite, requestTimeout > 0 else {
            throw .invalidRequest("Request timeout \(requestTimeout) s is invalid. Use a positive number of seconds, such as 30.")
        }
        guard connectTimeout.isFinite, connectTimeout > 0 else {
            throw .invalidRequest("Connect timeout \(connectTimeout) s is invalid. Use a positive number of seconds, such as 10.")
        }
        guard requestsPerMinute >= 1 else {
            throw .invalidRequest("Request budget \(requestsPerMinute) per minute is invalid. Use 1 or more (Citrus allows 100 per key).")
        }
        guard burstSeconds.isFinite, burstSeconds >= 0 else {
            throw .invalidRequest("Burst \(burstSeconds) s is invalid. Use 0 or more seconds, such as 5.")
        }
    }

    public var description: String {
        "CitrusClientConfiguration(baseURL: \(baseURL.absoluteString), apiKey: \(SecretRedactor.placeholder), requestTimeout: \(requestTimeout) s, connectTimeout: \(connectTimeout) s, requestsPerMinute: \(requestsPerMinute))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "baseURL": baseURL,
            "apiKey": SecretRedactor.placeholder,
            "requestTimeout": requestTimeout,
            "connectTimeout": connectTimeout,
            "requestsPerMinute": requestsPerMinute,
            "burstSeconds": burstSeconds,
            "retryPolicy": retryPolicy,
            "userAgent": userAgent,
        ])
    }
}
