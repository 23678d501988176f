import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The typed Citrus Reseller API v2 client. Every call throws `CitrusError`.
///
/// One client owns one `RequestBudget`: every HTTP request, retries included,
/// waits for a token in its lane first. Calls may come from many tasks at once.
/// Mutating calls are reported to the audit sink before each attempt and with
/// their outcome; `fund` is sent at most once (see `fund(iccid:amount:)`).
public final class CitrusClient: Sendable, CustomStringConvertible, CustomReflectable {
    public static let productName = "citrus-fleet"
    public static let version = "0.1.0"
    public static let defaultUserAgent = "\(productName)/\(version) (CitrusAPI; Swift)"

    public let configuration: CitrusClientConfiguration
    public let budget: RequestBudget
    private let transport: HTTPTransport
    private let auditSink: CitrusAuditSink?
    private let logSink: (any CitrusLogSink)?
    let redactor: SecretRedactor
    /// Set when the configuration is invalid: every call then throws it.
    private let configurationProblem: CitrusError?
    private let sendGate = SendGate()

    /// Creates a client. An invalid configuration does not stop the
    /// initializer, but every call then throws the problem; use
    /// `init(validating:audit:logger:budget:)` to fail early.
    ///
    /// - Parameters:
    ///   - audit: receives a record before each attempt of a mutating request and one with its outcome.
    ///   - logger: receives retries, 429 pauses and unknown fund outcomes.
    ///   - budget: a budget to use in place of one built from the configuration.
    public init(configuration: CitrusClientConfiguration, audit: CitrusAuditSink? = nil,
                logger: (any CitrusLogSink)? = nil, budget: RequestBudget? = nil) {
        self.configuration = configuration
        self.budget = budget ?? RequestBudget(
            requestsPerMinute: configuration.requestsPerMinute,
            burstSeconds: configuration.burstSeconds)
        self.transport = HTTPTransport(
            requestTimeout: configuration.requestTimeout, connectTimeout: configuration.connectTimeout,
            environment: configuration.proxyEnvironment ?? ProcessInfo.processInfo.environment)
        self.auditSink = audit
        self.logSink = logger
        self.redactor = SecretRedactor(secret: configuration.apiKey)
        do {
            try configuration.validate()
            self.configurationProblem = nil
        } catch {
            self.configurationProblem = error
        }
    }

    /// Creates a client, or throws `CitrusError.invalidRequest` naming the bad
    /// base URL, key or number.
    public convenience init(validating configuration: CitrusClientConfiguration, audit: CitrusAuditSink? = nil,
                            logger: (any CitrusLogSink)? = nil, budget: RequestBudget? = nil) throws {
        try configuration.validate()
        self.init(configuration: configuration, audit: audit, logger: logger, budget: budget)
    }

    /// Names the base URL; never the API key.
    public var description: String {
        "CitrusClient(\(configuration.baseURL.absoluteString))"
    }

    /// Shows only the configuration, whose own mirror hides the API key.
    public var customMirror: Mirror {
        Mirror(self, children: ["configuration": configuration])
    }

    /// Returns the request budget's state for display.
    public func budgetState() async -> BudgetState {
        await budget.state()
    }

    /// Stops handing requests to the network, for a program about to exit.
    /// A request already handed over goes on; every later attempt fails as
    /// not sent. After this call, the result of `wasHandedToNetwork` is final.
    public func stopSending() {
        sendGate.close()
    }

    /// Returns whether an attempt of the mutation whose audit records carry
    /// `requestID` was handed to the network, so Citrus may have applied it.
    public func wasHandedToNetwork(requestID: UUID) -> Bool {
        sendGate.wasAdmitted(requestID)
    }

    // MARK: Requests

    /// One API call before it is sent.
    struct APIRequest: Sendable {
        var method: String
        var path: String
        var query: [URLQueryItem] = []
        var body: Data?
        var lane: RequestLane
        /// False for fund, which is never repeated.
        var allowsRetry = true

        var endpoint: String { "\(method) \(path)" }
        var isMutating: Bool { method != "GET" }
    }

    /// Sends `request` through the budget, retrying as the policy allows, and
    /// returns the body of the 2xx response. `onAttempt` runs right before each
    /// attempt is handed to the network, with the attempt number.
    func execute(_ request: APIRequest, requestID: UUID? = nil, onAttempt: (Int) -> Void = { _ in }) async throws -> Data {
        if let configurationProblem { throw configurationProblem }
        let urlRequest = try makeURLRequest(request)
        let policy = configuration.retryPolicy
        let maximumAttempts = request.isMutating ? policy.maximumMutationAttempts : policy.maximumGETAttempts

        var attempt = 1
        while true {
            do {
                try await budget.acquire(request.lane)
            } catch {
                throw CitrusError.transport(endpoint: request.endpoint, delivery: .notSent, reason: "cancelled while waiting for the request budget")
            }

            onAttempt(attempt)
            let failure: CitrusError
            do {
                let sendGate = sendGate
                let (data, response) = try await transport.send(
                    urlRequest, endpoint: request.endpoint, freshConnection: request.isMutating,
                    admit: { sendGate.admit(requestID) })
                if (200..<300).contains(response.statusCode) {
                    await budget.succeeded()
                    // A GET whose body was cut off is read again; a mutation's body is
                    // never a reason to resend it.
                    if request.isMutating || Self.isWellFormedJSON(data) {
                        return data
                    }
                    failure = .decoding(endpoint: request.endpoint, field: "(body)", reason: "the response is not well-formed JSON (truncated?)")
                } else {
                    failure = await apiError(response: response, body: data, endpoint: request.endpoint)
                }
            } catch let error as CitrusError {
                failure = redactor.redact(error)
            }

            let decision: RetryPolicy.Decision = request.allowsRetry
                ? policy.decision(method: request.method, error: failure, attempt: attempt, unitRandom: Double.random(in: 0..<1))
                : .surface
            guard case .retry(let delay) = decision else { throw failure }

            log(.info, "Retrying \(request.endpoint) (attempt \(attempt + 1) of \(maximumAttempts)) in \(HTTPTransport.format(delay)) s after: \(failure)")
            if delay > 0 {
                do {
                    try await Task.sleep(for: .seconds(delay))
                } catch {
                    throw failure
                }
            }
            attempt += 1
        }
    }

    /// Builds the error for a non-2xx response; a 429 pauses the whole budget.
    private func apiError(response: HTTPURLResponse, body: Data, endpoint: String) async -> CitrusError {
        let error = redactor.redact(ErrorEnvelope.error(
            status: response.statusCode, body: body,
            retryAfterHeader: response.value(forHTTPHeaderField: "Retry-After"), endpoint: endpoint))
        if response.statusCode == 429 {
            let pause = await budget.rateLimited(retryAfter: error.retryAfter)
            log(.warning, "\(endpoint) was rate limited (HTTP 429); every request waits \(HTTPTransport.format(pause)) s")
        }
        return error
    }

    private func makeURLRequest(_ request: APIRequest) throws -> URLRequest {
        var components = URLComponents(url: configuration.baseURL.appendingPathComponent(request.path), resolvingAgainstBaseURL: false)
        if !request.query.isEmpty { components?.queryItems = request.query }
        guard let url = components?.url else {
            throw CitrusError.invalidRequest("Could not build a URL for \(request.endpoint) from base URL \(configuration.baseURL.absoluteString).")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.setValue("Bearer \(configuration.apiKey)", forHTTPHeaderField: "Authorization")
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        urlRequest.setValue(configuration.userAgent, forHTTPHeaderField: "User-Agent")
        let body = request.body ?? (request.method == "POST" || request.method == "PUT" ? Data("{}".utf8) : nil)
        if let body {
            urlRequest.httpBody = body
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return urlRequest
    }

    // MARK: Mutations and audit

    /// The fields a mutating call writes into its audit records.
    struct AuditContext: Sendable {
        var action: AuditRecord.Action
        var iccid: String?
        var amount: Money?
        var detail: String?
    }

    /// Executes a mutating request and writes its audit records, all with
    /// `requestID`: one `sending` per attempt, then `applied` for a 2xx or the
    /// failure's outcome.
    func executeMutation(_ request: APIRequest, audit context: AuditContext, requestID: UUID = UUID()) async throws -> Data {
        var attempts = 0
        do {
            let data = try await execute(request, requestID: requestID) { attempt in
                attempts = attempt
                record(context, requestID: requestID, phase: .sending(attempt: attempt))
            }
            record(context, requestID: requestID, phase: .applied)
            return data
        } catch let error as CitrusError {
            if attempts > 0 {
                record(context, requestID: requestID, phase: Self.auditPhase(of: error))
            }
            throw error
        }
    }

    static func auditPhase(of error: CitrusError) -> AuditRecord.Phase {
        if error.mayHaveBeenApplied {
            return .unknown(reason: error.message)
        }
        let code: String
        if let citrusCode = error.code {
            code = citrusCode.rawValue
        } else if error.delivery == .notSent {
            code = "NOT_SENT"
        } else {
            code = "CLIENT_ERROR"
        }
        return .failed(code: code, httpStatus: error.httpStatus)
    }

    func record(_ context: AuditContext, requestID: UUID, phase: AuditRecord.Phase) {
        guard let auditSink else { return }
        var redactedPhase = phase
        if case .unknown(let reason) = phase {
            redactedPhase = .unknown(reason: redactor.redact(reason))
        }
        auditSink(AuditRecord(requestID: requestID, action: context.action, iccid: context.iccid,
                              amount: context.amount, detail: context.detail.map(redactor.redact), phase: redactedPhase))
    }

    func log(_ level: CitrusLogLevel, _ message: String) {
        logSink?.log(level, redactor.redact(message))
    }

    // MARK: Decoding and checks

    static func isWellFormedJSON(_ data: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
    }

    static func decode<Response: Decodable>(_ type: Response.Type, from data: Data, endpoint: String) throws -> Response {
        do {
            return try JSONDecoder().decode(Response.self, from: data)
        } catch let error as DecodingError {
            throw ListDecoding.describe(error, endpoint: endpoint)
        } catch {
            throw CitrusError.decoding(endpoint: endpoint, field: "(body)", reason: "\(error)")
        }
    }

    static func encode<Body: Encodable>(_ body: Body, endpoint: String) throws -> Data {
        do {
            return try JSONEncoder().encode(body)
        } catch {
            throw CitrusError.invalidRequest("Could not encode the body of \(endpoint): \(error)")
        }
    }

    /// Checks that an ICCID is 19 or 20 digits starting with 89 (ITU-T E.118).
    /// NOTE: the Luhn check digit is not verified, so a mistyped ICCID reaches Citrus and returns ESIM_NOT_FOUND.
    static func checkedICCID(_ iccid: String) throws -> String {
        guard (19...20).contains(iccid.count), iccid.hasPrefix("89"), iccid.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CitrusError.invalidRequest("ICCID \"\(iccid.prefix(40))\" is invalid. An ICCID has 19 or 20 digits and starts with 89.")
        }
        return iccid
    }

    /// Checks that a webhook id can go into a path: 1–100 letters, digits, `_` or `-`.
    static func checkedWebhookID(_ id: String) throws -> String {
        let allowed = id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
        guard (1...100).contains(id.count), allowed else {
            throw CitrusError.invalidRequest("Webhook id \"\(id.prefix(40))\" is invalid. Use the id Citrus returned, such as wh_123.")
        }
        return id
    }
}

/// Lets requests through to the network until closed, and remembers which
/// mutations were let through.
final class SendGate: @unchecked Sendable {
    // `lock` guards the two fields below.
    private let lock = NSLock()
    private var isClosed = false
    private var admitted = Set<UUID>()

    /// Returns whether a request may be handed to the network now, and
    /// records `requestID` when it may.
    func admit(_ requestID: UUID?) -> Bool {
        lock.withLock {
            guard !isClosed else { return false }
            if let requestID { admitted.insert(requestID) }
            return true
        }
    }

    func close() {
        lock.withLock { isClosed = true }
    }

    func wasAdmitted(_ requestID: UUID) -> Bool {
        lock.withLock { admitted.contains(requestID) }
    }
}
