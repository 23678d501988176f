/// A Citrus error response: an HTTP status and the `{"error", "message"}` envelope.
struct APIError: Error {
    var status: Int
    var code: String
    var message: String
    var headers: [(name: String, value: String)] = []

    var response: HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.string(code)
        writer.key("message")
        // Messages echo request values, which may contain control characters.
        writer.string(VisibleText.escapingControls(message))
        writer.endObject()
        return HTTPResponse.json(status, body: writer.bytes, headers: headers)
    }

    static func validation(_ message: String) -> APIError {
        APIError(status: 400, code: "VALIDATION_ERROR", message: message)
    }

    static func notFound(iccid: String) -> APIError {
        APIError(status: 404, code: "ESIM_NOT_FOUND", message: "No eSIM with ICCID \(iccid) exists in this account. List the fleet with GET /esim/list to find valid ICCIDs.")
    }

    static func terminated(iccid: String, action: String) -> APIError {
        APIError(status: 400, code: "ESIM_ALREADY_TERMINATED", message: "Cannot \(action) eSIM \(iccid): it is terminated, and termination is irreversible.")
    }

    static func inGroup(iccid: String, groupID: String, action: String) -> APIError {
        APIError(status: 400, code: "ESIM_IN_GROUP", message: "Cannot \(action) eSIM \(iccid): it belongs to group \(groupID) and uses the group's shared balance, not a wallet of its own.")
    }

    static func defundPending(iccid: String, action: String, settlesAt: Int64) -> APIError {
        APIError(status: 409, code: "DEFUND_ALREADY_PENDING", message: "Cannot \(action) eSIM \(iccid): a defund is settling until \(ISO8601Text.format(millis: settlesAt)). Retry after it settles.")
    }

    static func insufficientBalance(balanceMicros: Int64, neededCents: Int64, action: String) -> APIError {
        APIError(status: 402, code: "INSUFFICIENT_BALANCE", message: "Cannot \(action): the reseller balance \(MicroDollars.display(balanceMicros)) is below \(MicroDollars.display(MicroDollars.fromCents(neededCents))). Top up the reseller account.")
    }
}
