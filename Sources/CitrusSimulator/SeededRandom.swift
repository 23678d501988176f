/// Deterministic randomness. Every random choice of the simulator derives from
/// the seed through these functions, so `--seed N` repeats the fleet and the usage.
enum SeededHash {
    /// Mixes 64 bits with the SplitMix64 finalizer, a fast, well-mixed hash step.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Hashes several values, order-sensitive.
    static func hash(_ values: UInt64...) -> UInt64 {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for value in values {
            state = mix(state ^ value)
        }
        return state
    }

    /// Maps a hash to a number in `0 ..< 1` with 53 random bits.
    static func unit(_ hash: UInt64) -> Double {
        Double(hash >> 11) / Double(1 << 53)
    }
}

/// A SplitMix64 generator for building fleets.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededHash.mix(state &- 0x9E37_79B9_7F4A_7C15)
    }
}
