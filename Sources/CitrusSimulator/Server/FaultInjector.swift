import Foundation

/// Draws the fault and latency of each API request from the current `FaultSettings`.
/// Thread-safe: a lock guards the settings and the generator, so concurrent connections
/// share one deterministic sequence of draws.
final class FaultInjector: @unchecked Sendable {
    enum Fault: Equatable {
        case none
        case error
        case timeout
        case malformed
        case reset
    }

    struct Decision: Equatable {
        var fault: Fault
        /// Latency to add before the reply.
        var delay: Duration
        /// How long a timeout fault keeps the connection open without a response.
        var holdTime: Duration
    }

    // `lock` guards `currentSettings` and `generator`.
    private let lock = NSLock()
    private var currentSettings: FaultSettings
    private var generator: SplitMix64

    init(settings: FaultSettings) {
        currentSettings = settings
        generator = SplitMix64(seed: settings.seed)
    }

    var settings: FaultSettings {
        lock.withLock { currentSettings }
    }

    /// Replaces the settings and restarts the generator from their seed, so the faults that
    /// follow are the same for the same settings and the same requests.
    func replaceSettings(_ settings: FaultSettings) {
        lock.withLock {
            currentSettings = settings
            generator = SplitMix64(seed: settings.seed)
        }
    }

    /// Draws the fault and delay for the next API request. Each call draws exactly two numbers.
    func nextDecision() -> Decision {
        lock.withLock {
            let settings = currentSettings
            let draw = generator.nextUnitInterval()
            let latencyMin = max(0, settings.latencyMinMilliseconds)
            let latencySpan = UInt64(max(0, settings.latencyMaxMilliseconds - latencyMin))
            let latencyOffset = generator.next() % (latencySpan + 1)

            var fault = Fault.none
            var upperBound = 0.0
            for (candidate, rate) in [(Fault.error, settings.errorRate), (.timeout, settings.timeoutRate), (.malformed, settings.malformedRate), (.reset, settings.resetRate)] {
                // Settings from setFaults are not validated, so a rate outside 0...1 acts as the nearer end.
                upperBound += rate.isNaN ? 0 : min(1, max(0, rate))
                if draw < upperBound {
                    fault = candidate
                    break
                }
            }
            return Decision(
                fault: fault,
                delay: .milliseconds(latencyMin + Int(latencyOffset)),
                holdTime: .milliseconds(max(0, settings.timeoutHoldMilliseconds))
            )
        }
    }

    /// SplitMix64: a small, fast generator fully determined by its seed.
    private struct SplitMix64 {
        private var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }

        /// Returns a uniform number in [0, 1) from the top 53 bits.
        mutating func nextUnitInterval() -> Double {
            Double(next() >> 11) * 0x1.0p-53
        }
    }
}
