/// Removes the API key from text that may echo it, such as a server's error
/// message or a transport error description.
struct SecretRedactor: Sendable, CustomReflectable {
    static let placeholder = "[redacted API key]"

    private let secret: String

    init(secret: String) {
        self.secret = secret
    }

    /// Hides the secret from `dump` and debuggers' reflection.
    var customMirror: Mirror {
        Mirror(self, children: ["secret": Self.placeholder])
    }

    func redact(_ text: String) -> String {
        // Keys shorter than 8 characters are invalid anyway, and replacing them
        // would mangle ordinary words.
        guard secret.count >= 8, text.contains(secret) else { return text }
        return text.replacingOccurrences(of: secret, with: Self.placeholder)
    }

    func redact(_ error: CitrusError) -> CitrusError {
        switch error {
        case .api(let status, let code, let message, let retryAfter, let endpoint):
            return .api(status: status, code: code, message: redact(message), retryAfter: retryAfter, endpoint: endpoint)
        case .transport(let endpoint, let delivery, let reason):
            return .transport(endpoint: endpoint, delivery: delivery, reason: redact(reason))
        case .decoding(let endpoint, let field, let reason):
            return .decoding(endpoint: endpoint, field: field, reason: redact(reason))
        case .invalidRequest(let reason):
            return .invalidRequest(redact(reason))
        }
    }
}
