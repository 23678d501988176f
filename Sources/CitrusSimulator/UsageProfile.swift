/// The way a simulated SIM uses data. Each simulated hour gets its own rate from a
/// seeded hash, so usage is a pure function of the seed, the SIM and the hour.
enum UsageProfile: String, Sendable, CaseIterable {
    /// A phone abroad: a few dollars per simulated hour by day, little at night.
    case traveler
    /// Video on an "unlimited" plan: a throttle makes a large difference.
    case heavyStreamer = "heavy_streamer"
    /// A GPS tracker: small position reports, with an occasional burst that
    /// a 100 kbps throttle caps.
    case iotTracker = "iot_tracker"
    /// A device that is almost never online.
    case idle

    /// Computes the data rate for one simulated hour, in bytes per second, before
    /// the throttle cap. `hash` is the seeded hash of (seed, SIM, hour).
    ///
    /// NOTE: the night dip uses the UTC hour; the model has no time zones.
    func bytesPerSecond(hash: UInt64, hourOfDay: Int) -> Int64 {
        let choice = SeededHash.unit(hash)
        let level = SeededHash.unit(SeededHash.mix(hash))
        let night = hourOfDay < 7
        switch self {
        case .traveler:
            // About 0.7 GB in an average daytime hour: roughly $1.50–$2.50 at the sample prices.
            if choice < 0.2 { return 0 }
            let rate = 50_000 + Int64(level * 400_000)
            return night ? rate / 7 : rate
        case .heavyStreamer:
            if choice < 0.1 { return 0 }
            let rate = 400_000 + Int64(level * 1_600_000)
            return night ? rate / 4 : rate
        case .iotTracker:
            if choice < 0.1 { return 20_000 + Int64(level * 40_000) }
            return 500 + Int64(level * 2_500)
        case .idle:
            if choice < 0.95 { return 0 }
            return 100 + Int64(level * 900)
        }
    }
}
