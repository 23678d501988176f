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

    public let options: SimulatorOptions

    public init(options: SimulatorOptions) {
        self.options = options
    }

    /// Handles one request whose path starts with `/api/v2/reseller` or `/_sim/`
    /// (except `/_sim/faults`, which the server handles). Never traps: any
    /// internal failure becomes a 500 envelope.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        // NOTE: placeholder until the account model lands; every route answers 501.
        HTTPResponse.json(501, #"{"error":"NOT_IMPLEMENTED","message":"The simulator model is not built yet."}"#)
    }
}
