import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends webhook deliveries as HTTP POSTs and retries failures with
/// exponential backoff in real time (base, 2 × base, 4 × base, … capped at 5 minutes).
final class WebhookDeliverer: Sendable {
    private let session: URLSession
    private let retryBaseSeconds: Double
    private let maxAttempts: Int
    private let handler: Locked<(@Sendable (WebhookDeliveryResult) -> Bool)?> = Locked(nil)
    private let retryCheck: Locked<(@Sendable (WebhookDeliveryJob) -> Bool)?> = Locked(nil)
    /// Seconds one attempt may take before it counts as failed.
    static let attemptTimeoutSeconds: Double = 10

    init(retryBaseSeconds: Double, maxAttempts: Int) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Self.attemptTimeoutSeconds
        configuration.timeoutIntervalForResource = Self.attemptTimeoutSeconds
        self.session = URLSession(configuration: configuration)
        self.retryBaseSeconds = retryBaseSeconds.isFinite ? min(max(0, retryBaseSeconds), 300) : 1
        self.maxAttempts = max(1, maxAttempts)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Receives each attempt's result and returns whether to retry a failure.
    var resultHandler: (@Sendable (WebhookDeliveryResult) -> Bool)? {
        get { handler.withLock { $0 } }
        set { handler.withLock { $0 = newValue } }
    }

    /// Asked again when a retry is due, and returns whether to send it: the webhook may have
    /// been deleted or disabled while the retry waited. Without it, every retry is sent.
    var retryFilter: (@Sendable (WebhookDeliveryJob) -> Bool)? {
        get { retryCheck.withLock { $0 } }
        set { retryCheck.withLock { $0 = newValue } }
    }

    func enqueue(_ job: WebhookDeliveryJob) {
        send(job, attempt: 1)
    }

    private func send(_ job: WebhookDeliveryJob, attempt: Int) {
        guard let url = URL(string: job.url) else {
            finish(WebhookDeliveryResult(job: job, attempt: attempt, statusCode: nil, failure: "invalid URL \(job.url)"))
            return
        }
        var request = URLRequest(url: url, timeoutInterval: Self.attemptTimeoutSeconds)
        request.httpMethod = "POST"
        request.httpBody = Data(job.body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(job.signature, forHTTPHeaderField: "X-Citrus-Signature")
        request.setValue(job.eventType, forHTTPHeaderField: "X-Citrus-Event")
        request.setValue(job.eventID, forHTTPHeaderField: "X-Citrus-Delivery")
        request.setValue("citrus-sim", forHTTPHeaderField: "User-Agent")

        let task = session.dataTask(with: request) { [weak self] _, response, error in
            let status = (response as? HTTPURLResponse)?.statusCode
            var failure: String?
            if let error {
                failure = error.localizedDescription
            } else if let status, !(200..<300).contains(status) {
                failure = "HTTP \(status)"
            } else if status == nil {
                failure = "no HTTP response"
            }
            let result = WebhookDeliveryResult(job: job, attempt: attempt, statusCode: status, failure: failure)
            self?.finish(result)
        }
        task.resume()
    }

    private func finish(_ result: WebhookDeliveryResult) {
        let retry = resultHandler?(result) ?? false
        guard retry, !result.succeeded, result.attempt < maxAttempts else { return }
        let delay = min(300, retryBaseSeconds * pow(2, Double(result.attempt - 1)))
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + delay) { [weak self] in
            guard let self, self.retryFilter?(result.job) ?? true else { return }
            self.send(result.job, attempt: result.attempt + 1)
        }
    }
}
