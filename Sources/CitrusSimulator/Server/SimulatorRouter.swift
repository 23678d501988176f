import Foundation

/// Routes each request of a `SimulatorServer` and applies the injected faults.
struct SimulatorRouter: Sendable {
    static let faultsPath = "/_sim/faults"

    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    let injector: FaultInjector

    /// Routes on the decoded segments, never on the decoded path, so an encoded slash
    /// (`%2F`) cannot form a route.
    func reply(to request: HTTPRequest) -> HTTPReply {
        let segments = request.pathSegments
        if segments == ["_sim", "faults"] {
            return .respond(FaultsEndpoint(injector: injector).handle(request))
        }
        if segments.first == "_sim" {
            return .respond(handler(request))
        }
        if segments.starts(with: Simulator.apiPathSegments) {
            return replyWithFaults(to: request)
        }
        let message = "No route for \(request.method) \(request.path). The API is served under \(Simulator.apiPathPrefix)."
        return .respond(HTTPResponseSerializer.errorResponse(status: 404, code: "NOT_FOUND", message: message))
    }

    /// Draws a fault for an API request. Only the error fault skips the handler: the other
    /// faults apply the request and then lose its response, as a real network can.
    private func replyWithFaults(to request: HTTPRequest) -> HTTPReply {
        let decision = injector.nextDecision()
        switch decision.fault {
        case .none:
            return HTTPReply(.respond(handler(request)), delay: decision.delay)
        case .error:
            let message = "Injected fault: the simulator failed this request on purpose and did not apply it. Change the faults with \(Self.faultsPath)."
            let response = HTTPResponseSerializer.errorResponse(status: 500, code: "INTERNAL_ERROR", message: message)
            return HTTPReply(.respond(response), delay: decision.delay)
        case .timeout:
            _ = handler(request)
            return HTTPReply(.holdThenClose(decision.holdTime), delay: decision.delay)
        case .malformed:
            let response = handler(request)
            return HTTPReply(.respond(Self.garbled(response)), delay: decision.delay)
        case .reset:
            _ = handler(request)
            return HTTPReply(.reset, delay: decision.delay)
        }
    }

    /// Builds a 200 whose body is the first half of the real body followed by `#garbled`. No JSON
    /// text can end that way, so a client's JSON decoder always fails on it.
    static func garbled(_ response: HTTPResponse) -> HTTPResponse {
        let body = Array(response.body.prefix(response.body.count / 2)) + Array("#garbled".utf8)
        return HTTPResponse.json(200, body: body)
    }
}

/// `/_sim/faults`: GET returns the fault settings as JSON. POST or PUT replaces them with
/// the JSON body. A missing fault key takes its default, so `{}` heals every fault, but a
/// missing `seed` keeps the current seed, because `--seed` seeds the faults of the whole run.
struct FaultsEndpoint {
    let injector: FaultInjector

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch request.method {
        case "GET", "HEAD":
            return settingsResponse()
        case "POST", "PUT":
            return replaceSettings(from: request.body)
        default:
            let message = "\(request.method) is not allowed on \(SimulatorRouter.faultsPath). Use GET to read the faults, or POST or PUT to set them."
            var response = HTTPResponseSerializer.errorResponse(status: 405, code: "METHOD_NOT_ALLOWED", message: message)
            response.headers.append(("Allow", "GET, HEAD, POST, PUT"))
            return response
        }
    }

    private func settingsResponse() -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(injector.settings)) ?? Data()
        return HTTPResponse.json(200, body: Array(body))
    }

    private func replaceSettings(from body: [UInt8]) -> HTTPResponse {
        let settings: FaultSettings
        do {
            settings = try decodeSettings(body, currentSeed: injector.settings.seed)
            try settings.validate()
        } catch let error as FaultSettingsError {
            return validationError(error.description)
        } catch {
            return validationError("\(error)")
        }
        injector.replaceSettings(settings)
        return settingsResponse()
    }

    private func decodeSettings(_ body: [UInt8], currentSeed: UInt64) throws -> FaultSettings {
        let knownKeys = FaultSettings.CodingKeys.allCases.map(\.rawValue)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw FaultSettingsError("The body is not a JSON object. Send e.g. {\"error_rate\": 0.5} with the known keys \(knownKeys.joined(separator: ", ")).")
        }
        let unknownKeys = object.keys.filter { !knownKeys.contains($0) }.sorted()
        if !unknownKeys.isEmpty {
            throw FaultSettingsError("Unknown fault setting \(unknownKeys.joined(separator: ", ")). Known keys: \(knownKeys.joined(separator: ", ")).")
        }
        do {
            var settings = try JSONDecoder().decode(FaultSettings.self, from: Data(body))
            if object["seed"] == nil {
                settings.seed = currentSeed
            }
            return settings
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.last?.stringValue ?? "the body"
            throw FaultSettingsError("The fault setting \(key) has the wrong type or range. Rates are numbers from 0 to 1, and milliseconds and seed are whole non-negative numbers.")
        }
    }

    private func validationError(_ message: String) -> HTTPResponse {
        HTTPResponseSerializer.errorResponse(status: 400, code: "VALIDATION_ERROR", message: message)
    }
}
