@testable import CitrusAPI
import Foundation
import Testing

@Suite("ErrorEnvelope")
struct ErrorEnvelopeTests {
    private func error(_ status: Int, _ body: String, retryAfter: String? = nil) -> CitrusError {
        ErrorEnvelope.error(status: status, body: Data(body.utf8), retryAfterHeader: retryAfter, endpoint: "POST /esim/8910300000000000012/fund")
    }

    @Test("standard envelope gives code, message and status")
    func standard() {
        let failure = error(402, #"{"error":"INSUFFICIENT_BALANCE","message":"Reseller balance $3.20 is below $10.00"}"#)
        #expect(failure.code == .insufficientBalance)
        #expect(failure.httpStatus == 402)
        #expect(failure.message == "Reseller balance $3.20 is below $10.00")
        #expect(failure.endpoint == "POST /esim/8910300000000000012/fund")
        #expect(failure.description == "Reseller balance $3.20 is below $10.00 (INSUFFICIENT_BALANCE, HTTP 402) — POST /esim/…/fund")
    }

    @Test("API error description puts the cause first")
    func apiDescriptionOrder() {
        let terminated = error(400, #"{"error":"ESIM_ALREADY_TERMINATED","message":"Cannot fund eSIM 8910300000000000012: it is terminated"}"#)
        #expect(terminated.description.hasPrefix("Cannot fund eSIM 8910300000000000012: it is terminated (ESIM_ALREADY_TERMINATED, HTTP 400)"))
        #expect(terminated.description.hasSuffix(" — POST /esim/…/fund"))

        let limited = error(429, #"{"error":"RATE_LIMITED","message":"Too many requests"}"#, retryAfter: "2")
        #expect(limited.description == "Too many requests (RATE_LIMITED, HTTP 429); retry after 2 s — POST /esim/…/fund")

        // Only ICCID segments are shortened; the full endpoint stays in `endpoint`.
        let list = CitrusError.api(status: 500, code: .other("HTTP_500"), message: "HTTP 500 with an empty body",
                                   retryAfter: nil, endpoint: "GET /esim/list")
        #expect(list.description == "HTTP 500 with an empty body (HTTP_500, HTTP 500) — GET /esim/list")
        #expect(CitrusError.shortEndpoint("PUT /esim/89103000000000000123/throttle") == "PUT /esim/…/throttle")
        #expect(CitrusError.shortEndpoint("DELETE /webhooks/wh_8910300000000000012") == "DELETE /webhooks/wh_8910300000000000012")
        #expect(terminated.endpoint == "POST /esim/8910300000000000012/fund")
    }

    @Test("code and detail are accepted in place of error and message")
    func alternativeKeys() {
        let failure = error(404, #"{"code":"ESIM_NOT_FOUND","detail":"No such eSIM"}"#)
        #expect(failure.code == .esimNotFound)
        #expect(failure.message == "No such eSIM")
    }

    @Test("nested error object is accepted")
    func nested() {
        let failure = error(409, #"{"error":{"code":"DEFUND_ALREADY_PENDING","message":"Defund settling"}}"#)
        #expect(failure.code == .defundAlreadyPending)
        #expect(failure.message == "Defund settling")
    }

    @Test("unknown codes are kept as other")
    func unknownCode() {
        let failure = error(400, #"{"error":"GROUP_FULL","message":"Too many"}"#)
        #expect(failure.code == .other("GROUP_FULL"))
    }

    @Test("every documented code maps to its case", arguments: [
        ("INVALID_API_KEY", CitrusErrorCode.invalidAPIKey), ("INSUFFICIENT_BALANCE", .insufficientBalance),
        ("ESIM_NOT_FOUND", .esimNotFound), ("ESIM_ALREADY_TERMINATED", .esimAlreadyTerminated),
        ("VALIDATION_ERROR", .validationError), ("NO_ESIMS_AVAILABLE", .noESIMsAvailable),
        ("ESIM_IN_GROUP", .esimInGroup), ("DEFUND_ALREADY_PENDING", .defundAlreadyPending),
        ("NO_BALANCE_TO_RETURN", .noBalanceToReturn), ("WALLET_NOT_READY", .walletNotReady),
        ("RATE_LIMITED", .rateLimited),
    ])
    func documentedCodes(raw: String, code: CitrusErrorCode) {
        #expect(CitrusErrorCode(rawValue: raw) == code)
        #expect(code.rawValue == raw)
    }

    @Test("non-JSON body becomes the truncated message")
    func nonJSON() {
        let html = "<html>" + String(repeating: "x", count: 500) + "</html>"
        let failure = error(502, html)
        #expect(failure.code == .other("HTTP_502"))
        #expect(failure.message.hasPrefix("<html>"))
        #expect(failure.message.count <= ErrorEnvelope.maximumMessageLength + 1)
    }

    @Test("empty body gets its own message")
    func emptyBody() {
        #expect(error(500, "").message == "HTTP 500 with an empty body")
    }

    @Test("status fallbacks when the code is missing", arguments: [
        (401, CitrusErrorCode.invalidAPIKey), (403, .invalidAPIKey), (402, .insufficientBalance),
        (429, .rateLimited), (404, .other("HTTP_404")), (500, .other("HTTP_500")),
    ])
    func fallbacks(status: Int, code: CitrusErrorCode) {
        #expect(error(status, "{}").code == code)
    }

    @Test("Retry-After in seconds")
    func retryAfterSeconds() {
        #expect(error(429, #"{"error":"RATE_LIMITED","message":"slow down"}"#, retryAfter: "17").retryAfter == 17)
        #expect(error(429, "{}", retryAfter: " 2.5 ").retryAfter == 2.5)
        #expect(error(429, "{}", retryAfter: "soon").retryAfter == nil)
        #expect(error(429, "{}").retryAfter == nil)
    }

    @Test("Retry-After as an HTTP date")
    func retryAfterDate() throws {
        let now = Date(timeIntervalSince1970: 1_784_000_000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let header = formatter.string(from: now.addingTimeInterval(30))
        let seconds = try #require(ErrorEnvelope.parseRetryAfter(header, now: now))
        #expect(abs(seconds - 30) < 1)
    }

    @Test("5xx without a Citrus code may have been applied, documented codes not")
    func mayHaveBeenApplied() {
        #expect(error(500, "{}").mayHaveBeenApplied)
        #expect(error(504, "gateway timeout").mayHaveBeenApplied)
        #expect(error(503, #"{"error":"NO_ESIMS_AVAILABLE","message":"empty"}"#).mayHaveBeenApplied == false)
        #expect(error(402, #"{"error":"INSUFFICIENT_BALANCE"}"#).mayHaveBeenApplied == false)
        #expect(CitrusError.transport(endpoint: "x", delivery: .maybeSent, reason: "reset").mayHaveBeenApplied)
        #expect(CitrusError.transport(endpoint: "x", delivery: .notSent, reason: "refused").mayHaveBeenApplied == false)
    }

    @Test("transport errors say whether the request may have been sent")
    func transportDescriptions() {
        let notSent = CitrusError.transport(endpoint: "POST /esim/provision", delivery: .notSent, reason: "connection refused")
        #expect(notSent.description == "POST /esim/provision failed before the request was sent: connection refused")
        let maybeSent = CitrusError.transport(endpoint: "POST /esim/provision", delivery: .maybeSent, reason: "timed out")
        #expect(maybeSent.description == "POST /esim/provision failed after the request was sent, so it may have been applied: timed out")
    }

    @Test("maybe-sent GET omits the applied warning")
    func transportDescriptionForGET() {
        let get = CitrusError.transport(endpoint: "GET /esim/list", delivery: .maybeSent, reason: "timed out")
        #expect(get.description == "GET /esim/list failed after the request was sent: timed out")
        #expect(get.description.contains("applied") == false)
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            let mutation = CitrusError.transport(endpoint: "\(method) /x", delivery: .maybeSent, reason: "reset")
            #expect(mutation.description.contains("may have been applied"), "\(method)")
        }
    }
}
