/// Faults the simulator injects into `/api/v2/reseller` requests, never into `/_sim/` ones.
///
/// The four rates are probabilities per request, drawn from one generator seeded with
/// `seed`, so the same seed and the same request order give the same faults. They are
/// exclusive bands of one draw, so each rate is exactly its fault's probability and their
/// sum must be at most 1.
///
/// JSON (on `/_sim/faults`) uses snake-case keys: `latency_min_ms`, `latency_max_ms`,
/// `error_rate`, `timeout_rate`, `malformed_rate`, `reset_rate`, `timeout_hold_ms`,
/// `seed`. A missing key takes its default when decoding; `POST /_sim/faults` then puts
/// back the current seed when the body has no `seed`.
public struct FaultSettings: Sendable, Codable, Equatable {
    /// Lower bound of the uniform delay before each response, in milliseconds.
    public var latencyMinMilliseconds: Int = 0
    /// Upper bound of the uniform delay before each response, in milliseconds.
    public var latencyMaxMilliseconds: Int = 0
    /// Probability of a 500 `INTERNAL_ERROR` response. The request is not applied.
    public var errorRate: Double = 0
    /// Probability that the request is applied and then no response comes: the connection
    /// stays open until the client gives up or `timeoutHoldMilliseconds` pass.
    public var timeoutRate: Double = 0
    /// Probability that the request is applied and gets a 200 response with a truncated JSON body.
    public var malformedRate: Double = 0
    /// Probability that the request is applied and the connection is then reset (TCP RST).
    public var resetRate: Double = 0
    /// How long a timeout fault keeps the connection open before closing it, in milliseconds.
    public var timeoutHoldMilliseconds: Int = 30_000
    /// Seed of the generator that draws faults and latencies.
    public var seed: UInt64 = 1

    public init(
        latencyMinMilliseconds: Int = 0,
        latencyMaxMilliseconds: Int = 0,
        errorRate: Double = 0,
        timeoutRate: Double = 0,
        malformedRate: Double = 0,
        resetRate: Double = 0,
        timeoutHoldMilliseconds: Int = 30_000,
        seed: UInt64 = 1
    ) {
        self.latencyMinMilliseconds = latencyMinMilliseconds
        self.latencyMaxMilliseconds = latencyMaxMilliseconds
        self.errorRate = errorRate
        self.timeoutRate = timeoutRate
        self.malformedRate = malformedRate
        self.resetRate = resetRate
        self.timeoutHoldMilliseconds = timeoutHoldMilliseconds
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case latencyMinMilliseconds = "latency_min_ms"
        case latencyMaxMilliseconds = "latency_max_ms"
        case errorRate = "error_rate"
        case timeoutRate = "timeout_rate"
        case malformedRate = "malformed_rate"
        case resetRate = "reset_rate"
        case timeoutHoldMilliseconds = "timeout_hold_ms"
        case seed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FaultSettings()
        latencyMinMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMinMilliseconds) ?? defaults.latencyMinMilliseconds
        latencyMaxMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMaxMilliseconds) ?? defaults.latencyMaxMilliseconds
        errorRate = try container.decodeIfPresent(Double.self, forKey: .errorRate) ?? defaults.errorRate
        timeoutRate = try container.decodeIfPresent(Double.self, forKey: .timeoutRate) ?? defaults.timeoutRate
        malformedRate = try container.decodeIfPresent(Double.self, forKey: .malformedRate) ?? defaults.malformedRate
        resetRate = try container.decodeIfPresent(Double.self, forKey: .resetRate) ?? defaults.resetRate
        timeoutHoldMilliseconds = try container.decodeIfPresent(Int.self, forKey: .timeoutHoldMilliseconds) ?? defaults.timeoutHoldMilliseconds
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
    }

    /// Checks every field, and throws a message that names the bad value and the valid range.
    public func validate() throws(FaultSettingsError) {
        let rates = [
            ("error rate", errorRate), ("timeout rate", timeoutRate),
            ("malformed rate", malformedRate), ("reset rate", resetRate),
        ]
        for (name, rate) in rates where !(rate >= 0 && rate <= 1) {
            throw FaultSettingsError("The \(name) \(rate) is not a probability. Use a number from 0 to 1, e.g. 0.05.")
        }
        let sum = errorRate + timeoutRate + malformedRate + resetRate
        if sum > 1 + 1e-9 {
            throw FaultSettingsError("The error, timeout, malformed and reset rates add up to \(sum), but at most one fault applies per request. Lower them so that they add up to 1 or less.")
        }
        if latencyMinMilliseconds < 0 || latencyMaxMilliseconds < latencyMinMilliseconds {
            throw FaultSettingsError("The latency range \(latencyMinMilliseconds)..\(latencyMaxMilliseconds) ms is invalid. Use a minimum of 0 or more and a maximum no smaller than the minimum.")
        }
        if latencyMaxMilliseconds > Self.maxMilliseconds {
            throw FaultSettingsError("The latency \(latencyMaxMilliseconds) ms exceeds the limit of \(Self.maxMilliseconds) ms. Use a shorter latency.")
        }
        if timeoutHoldMilliseconds < 0 || timeoutHoldMilliseconds > Self.maxMilliseconds {
            throw FaultSettingsError("The timeout hold time \(timeoutHoldMilliseconds) ms is outside 0...\(Self.maxMilliseconds) ms. Use a value in that range.")
        }
    }

    /// One hour: longer delays would only keep threads and sockets busy.
    static let maxMilliseconds = 3_600_000
}

/// Invalid fault settings, with a message that names the value and the fix.
public struct FaultSettingsError: Error, CustomStringConvertible, Equatable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
