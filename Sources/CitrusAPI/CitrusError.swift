import Foundation

/// A Citrus error code from the `{"error", "message"}` envelope.
public enum CitrusErrorCode: Hashable, Sendable, CustomStringConvertible {
    case invalidAPIKey
    case insufficientBalance
    case esimNotFound
    case esimAlreadyTerminated
    case validationError
    case noESIMsAvailable
    case esimInGroup
    case defundAlreadyPending
    case noBalanceToReturn
    case walletNotReady
    case rateLimited
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "INVALID_API_KEY": self = .invalidAPIKey
        case "INSUFFICIENT_BALANCE": self = .insufficientBalance
        case "ESIM_NOT_FOUND": self = .esimNotFound
        case "ESIM_ALREADY_TERMINATED": self = .esimAlreadyTerminated
        case "VALIDATION_ERROR": self = .validationError
        case "NO_ESIMS_AVAILABLE": self = .noESIMsAvailable
        case "ESIM_IN_GROUP": self = .esimInGroup
        case "DEFUND_ALREADY_PENDING": self = .defundAlreadyPending
        case "NO_BALANCE_TO_RETURN": self = .noBalanceToReturn
        case "WALLET_NOT_READY": self = .walletNotReady
        case "RATE_LIMITED": self = .rateLimited
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .invalidAPIKey: return "INVALID_API_KEY"
        case .insufficientBalance: return "INSUFFICIENT_BALANCE"
        case .esimNotFound: return "ESIM_NOT_FOUND"
        case .esimAlreadyTerminated: return "ESIM_ALREADY_TERMINATED"
        case .validationError: return "VALIDATION_ERROR"
        case .noESIMsAvailable: return "NO_ESIMS_AVAILABLE"
        case .esimInGroup: return "ESIM_IN_GROUP"
        case .defundAlreadyPending: return "DEFUND_ALREADY_PENDING"
        case .noBalanceToReturn: return "NO_BALANCE_TO_RETURN"
        case .walletNotReady: return "WALLET_NOT_READY"
        case .rateLimited: return "RATE_LIMITED"
        case .other(let value): return value
        }
    }

    /// The HTTP status Citrus uses for this code, for servers that emit it.
    public var httpStatus: Int {
        switch self {
        case .invalidAPIKey: return 401
        case .insufficientBalance: return 402
        case .esimNotFound: return 404
        case .esimAlreadyTerminated, .validationError, .esimInGroup,
             .noBalanceToReturn, .walletNotReady:
            return 400
        case .noESIMsAvailable: return 503
        case .defundAlreadyPending: return 409
        case .rateLimited: return 429
        case .other: return 400
        }
    }

    public var description: String { rawValue }
}

/// Whether a failed request may have reached the server. Decides whether a POST
/// can be retried: only `.notSent` is safe.
public enum DeliveryState: Hashable, Sendable {
    /// The request certainly never left: connection refused, DNS or TLS failure.
    case notSent
    /// The request may have been processed: it was sent, then timed out or reset.
    case maybeSent
}

/// Every failure the client reports. Messages never contain the API key.
public enum CitrusError: Error, Sendable, CustomStringConvertible {
    /// Citrus returned an error status, usually with the error envelope.
    case api(status: Int, code: CitrusErrorCode, message: String, retryAfter: TimeInterval?, endpoint: String)
    /// The request failed below HTTP.
    case transport(endpoint: String, delivery: DeliveryState, reason: String)
    /// The response arrived but did not have the expected shape.
    case decoding(endpoint: String, field: String, reason: String)
    /// The client rejected the request before sending it (invalid base URL or argument).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .api(let status, let code, let message, let retryAfter, let endpoint):
            // The cause comes first and the endpoint last and short, because the
            // dashboard's status line is cut at the terminal width.
            var text = "\(message) (\(code.rawValue), HTTP \(status))"
            if let retryAfter { text += "; retry after \(Int(retryAfter.rounded(.up))) s" }
            return text + " — " + Self.shortEndpoint(endpoint)
        case .transport(let endpoint, let delivery, let reason):
            switch delivery {
            case .notSent:
                return "\(endpoint) failed before the request was sent: \(reason)"
            case .maybeSent where Self.isReadOnly(endpoint):
                return "\(endpoint) failed after the request was sent: \(reason)"
            case .maybeSent:
                return "\(endpoint) failed after the request was sent, so it may have been applied: \(reason)"
            }
        case .decoding(let endpoint, let field, let reason):
            return "\(endpoint) returned an unexpected response at \(field): \(reason)"
        case .invalidRequest(let reason):
            return reason
        }
    }

    /// Returns whether `endpoint` (`METHOD /path`) is a GET or HEAD, which change nothing on the server.
    static func isReadOnly(_ endpoint: String) -> Bool {
        endpoint.hasPrefix("GET ") || endpoint.hasPrefix("HEAD ")
    }

    /// Returns `endpoint` with each ICCID in its path replaced by `…`, because
    /// callers name the eSIM themselves: `POST /esim/…/fund`.
    static func shortEndpoint(_ endpoint: String) -> String {
        let segments = endpoint.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            let isICCID = (19...20).contains(segment.count) && segment.hasPrefix("89")
                && segment.allSatisfy { $0.isASCII && $0.isNumber }
            return isICCID ? "…" : String(segment)
        }
        return segments.joined(separator: "/")
    }

    /// The Citrus error code, if the server sent one.
    public var code: CitrusErrorCode? {
        if case .api(_, let code, _, _, _) = self { return code }
        return nil
    }

    /// The HTTP status, if the server returned an error status.
    public var httpStatus: Int? {
        if case .api(let status, _, _, _, _) = self { return status }
        return nil
    }
}

extension CitrusError {
    /// The server's message, the transport failure or the decoding problem.
    public var message: String {
        switch self {
        case .api(_, _, let message, _, _): return message
        case .transport(_, _, let reason): return reason
        case .decoding(_, let field, let reason): return "\(field): \(reason)"
        case .invalidRequest(let reason): return reason
        }
    }

    /// The `Retry-After` header in seconds, when the server sent one.
    public var retryAfter: TimeInterval? {
        if case .api(_, _, _, let retryAfter, _) = self { return retryAfter }
        return nil
    }

    /// For transport failures, whether the request may have reached the server.
    public var delivery: DeliveryState? {
        if case .transport(_, let delivery, _) = self { return delivery }
        return nil
    }

    /// The method and path of the failed call, e.g. `GET /esim/list`. Nil for
    /// requests the client rejected before building them.
    public var endpoint: String? {
        switch self {
        case .api(_, _, _, _, let endpoint): return endpoint
        case .transport(let endpoint, _, _): return endpoint
        case .decoding(let endpoint, _, _): return endpoint
        case .invalidRequest: return nil
        }
    }

    /// Whether a mutating request that failed this way may still have been
    /// applied: it was sent and no usable response came back, or the response was
    /// a 5xx without a Citrus error code (a proxy may have lost the real response).
    public var mayHaveBeenApplied: Bool {
        switch self {
        case .transport(_, let delivery, _):
            return delivery == .maybeSent
        case .api(let status, let code, _, _, _):
            if case .other = code { return status >= 500 }
            return false
        case .decoding, .invalidRequest:
            return false
        }
    }
}
