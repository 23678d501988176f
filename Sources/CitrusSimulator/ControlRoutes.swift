import CitrusAPI

/// The simulator's own endpoints under `/_sim/` (not part of Citrus): the
/// clock, the exact ledger, the event log and test controls. They need no key
/// and are not rate limited.
enum ControlRoutes {
    /// `segments` follow `/_sim`, each percent-decoded.
    static func route(_ request: HTTPRequest, segments: [String], state: inout SimulatorState) throws(APIError) -> HTTPResponse {
        switch (request.method, segments) {
        case ("GET", ["clock"]):
            return clockResponse(state.clock)
        case ("POST", ["clock"]):
            return try changeClock(request, state: &state)
        case ("GET", ["state"]):
            let now = state.clock.now()
            state.account.evaluateAll(now: now)
            return LedgerJSON.response(account: &state.account, now: now, onlyICCID: request.queryValue("iccid"))
        case ("GET", ["events"]):
            let now = state.clock.now()
            state.account.evaluateAll(now: now)
            _ = state.account.events.publish(upTo: now)
            return eventsResponse(state.account.events)
        case ("POST", ["balance"]):
            return try setResellerBalance(request, state: &state)
        case ("POST", let parts) where parts.count == 3 && parts[0] == "esims" && parts[2] == "activate":
            let now = state.clock.now()
            let index = try state.account.activateNow(iccid: parts[1], now: now)
            return APIRoutes.esimResponse(index, account: &state.account, now: now)
        case ("GET", ["webhooks", "deliveries"]):
            return WebhookRoutes.deliveryLogResponse(state.account.webhooks)
        default:
            throw APIError(status: 404, code: "NOT_FOUND", message: "No simulator control \(request.method) \(request.path). Use GET/POST /_sim/clock, GET /_sim/state, GET /_sim/events, POST /_sim/balance, POST /_sim/esims/{iccid}/activate or GET /_sim/webhooks/deliveries.")
        }
    }

    private static func clockResponse(_ clock: SimulatedClock) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("now")
        writer.string(ISO8601Text.format(millis: clock.now()))
        writer.key("now_ms")
        writer.integer(clock.now())
        writer.key("speed")
        writer.raw(numberText(clock.speed))
        writer.key("started_at")
        writer.string(ISO8601Text.format(millis: clock.startMillis))
        writer.key("advanced_seconds")
        writer.raw(numberText(Double(clock.manualAdvanceMillis) / 1000))
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    /// `POST /_sim/clock` with `{"advance_seconds": N}` (N ≥ 0) and/or `{"speed": S}` (S ≥ 0).
    private static func changeClock(_ request: HTTPRequest, state: inout SimulatorState) throws(APIError) -> HTTPResponse {
        let body = try RequestBody.object(request)
        if let value = body["advance_seconds"] {
            let seconds = try nonNegativeNumber(value, field: "advance_seconds", maximum: 10 * 365 * 86_400)
            state.clock.advance(millis: Int64((seconds * 1000).rounded()))
        }
        if let value = body["speed"] {
            let speed = try nonNegativeNumber(value, field: "speed", maximum: 1_000_000)
            state.clock.setSpeed(speed)
        }
        if body["advance_seconds"] == nil && body["speed"] == nil {
            throw .validation("Send {\"advance_seconds\": N} to move the simulated clock forward, or {\"speed\": S} to change its speed.")
        }
        state.account.settleDefunds(now: state.clock.now())
        return clockResponse(state.clock)
    }

    private static func nonNegativeNumber(_ value: JSONValue, field: String, maximum: Double) throws(APIError) -> Double {
        guard case .number(let text) = value, let number = Double(text), number.isFinite else {
            throw .validation("Field \(field) is \(value.typeName). Send a number.")
        }
        guard number >= 0, number <= maximum else {
            throw .validation("Field \(field) \(text) is out of range. Send a number from 0 to \(Int(maximum)); the clock never moves backwards.")
        }
        return number
    }

    /// `POST /_sim/balance` with `{"balance_usd": N}` sets the reseller balance
    /// (a top-up when it grows), for tests of 402 and the balance events.
    private static func setResellerBalance(_ request: HTTPRequest, state: inout SimulatorState) throws(APIError) -> HTTPResponse {
        let body = try RequestBody.object(request)
        guard let value = body["balance_usd"], case .number(let text) = value, let cents = RequestBody.exactCents(text), cents >= 0, cents <= 100_000_000_000 else {
            throw .validation("Send {\"balance_usd\": N} with N from 0 to 1000000000 in whole cents.")
        }
        let now = state.clock.now()
        let target = MicroDollars.fromCents(cents)
        let difference = target - state.account.balanceMicros
        if difference > 0 {
            state.account.lifetimeTopUpMicros += difference
            state.account.events.record(type: "balance.topped_up", at: now) { writer in
                writer.key("amount_usd")
                writer.microDollarsRoundedDown(difference)
                writer.key("balance_usd")
                writer.microDollarsRoundedDown(target)
            }
        }
        state.account.balanceMicros = target
        state.account.checkResellerThresholds(now: now)
        return LedgerJSON.response(account: &state.account, now: now)
    }

    private static func eventsResponse(_ log: EventLog) -> HTTPResponse {
        var writer = JSONWriter(reservingCapacity: 256 * max(1, log.published.count))
        writer.beginObject()
        writer.key("events")
        writer.beginArray()
        for event in log.published {
            writer.raw(event.envelopeJSON)
        }
        writer.endArray()
        writer.key("pending")
        writer.integer(log.pending.count)
        writer.endObject()
        return HTTPResponse.json(200, body: writer.bytes)
    }

    /// Formats a Double as JSON, writing whole numbers without a fraction.
    static func numberText(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
