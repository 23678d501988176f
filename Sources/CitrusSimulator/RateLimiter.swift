/// Counts requests per API key over a rolling minute of real time, as Citrus
/// limits each key to 100 requests per minute.
struct RateLimiter {
    static let windowNanos: UInt64 = 60_000_000_000

    let limit: Int
    /// Admission times per key, oldest first, in monotonic nanoseconds.
    private var admissions: [String: [UInt64]] = [:]

    init(limit: Int) {
        self.limit = limit
    }

    /// Admits a request at `nowNanos`, or returns the whole seconds to wait
    /// until the oldest admission leaves the window. Rejected requests are not counted.
    mutating func admit(key: String, nowNanos: UInt64) -> Int? {
        guard limit > 0 else { return nil }
        if admissions.count > Self.keyCapacity { forgetIdleKeys(nowNanos: nowNanos) }
        var times = admissions[key, default: []]
        let windowStart = nowNanos >= Self.windowNanos ? nowNanos - Self.windowNanos : 0
        if let firstKept = times.firstIndex(where: { $0 > windowStart }) {
            if firstKept > 0 { times.removeFirst(firstKept) }
        } else {
            times.removeAll()
        }
        guard times.count >= limit else {
            times.append(nowNanos)
            admissions[key] = times
            return nil
        }
        admissions[key] = times
        let oldest = times[times.count - limit]
        let waitNanos = oldest + Self.windowNanos - nowNanos
        return max(1, Int((waitNanos + 999_999_999) / 1_000_000_000))
    }

    /// Keys tracked before idle ones are forgotten, so random keys cannot grow memory without bound.
    static let keyCapacity = 10_000

    private mutating func forgetIdleKeys(nowNanos: UInt64) {
        let windowStart = nowNanos >= Self.windowNanos ? nowNanos - Self.windowNanos : 0
        admissions = admissions.filter { ($0.value.last ?? 0) > windowStart }
    }
}
