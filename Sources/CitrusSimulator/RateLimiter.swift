/// Counts requests per API key over a rolling minute of real time, as Citrus
/// limits each key to 100 requests per minute.
///
/// Each request costs amortized O(1): one dictionary lookup, and every admission
/// time is stored once and dropped once.
struct RateLimiter {
    static let windowNanos: UInt64 = 60_000_000_000
    /// Keys tracked before idle ones are forgotten, so random keys cannot grow memory without bound.
    static let keyCapacity = 10_000

    let limit: Int
    private var windows: [String: AdmissionWindow] = [:]

    init(limit: Int) {
        self.limit = limit
    }

    /// Admits a request at `nowNanos`, or returns the whole seconds to wait
    /// until the oldest admission leaves the window. Rejected requests are not counted.
    mutating func admit(key: String, nowNanos: UInt64) -> Int? {
        guard limit > 0 else { return nil }
        let windowStart = nowNanos >= Self.windowNanos ? nowNanos - Self.windowNanos : 0
        if windows.count >= Self.keyCapacity && windows[key] == nil {
            forgetIdleKeys(windowStart: windowStart)
        }
        guard let oldest = windows[key, default: AdmissionWindow()].admit(at: nowNanos, windowStart: windowStart, limit: limit) else {
            return nil
        }
        let waitNanos = oldest + Self.windowNanos - nowNanos
        return max(1, Int((waitNanos + 999_999_999) / 1_000_000_000))
    }

    private mutating func forgetIdleKeys(windowStart: UInt64) {
        windows = windows.filter { ($0.value.newest ?? 0) > windowStart }
    }
}

/// The admission times of one key within the rolling minute, oldest first, in a ring
/// buffer that grows as needed up to the limit, so a key holds at most `limit` times.
struct AdmissionWindow {
    /// Monotonic nanoseconds; the live entries start at `head` and wrap around.
    private var times: [UInt64] = []
    private var head = 0
    private var count = 0

    /// The latest admission, or nil when none is stored.
    var newest: UInt64? {
        count > 0 ? times[(head + count - 1) % times.count] : nil
    }

    /// Drops admissions at or before `windowStart`, then admits `now` and returns nil,
    /// or returns the oldest admission in the window when `limit` are already in it.
    mutating func admit(at now: UInt64, windowStart: UInt64, limit: Int) -> UInt64? {
        while count > 0 && times[head] <= windowStart {
            head = head + 1 == times.count ? 0 : head + 1
            count -= 1
        }
        if count >= limit {
            return times[head]
        }
        if count == times.count {
            grow(upTo: limit)
        }
        times[(head + count) % times.count] = now
        count += 1
        return nil
    }

    /// Doubles the capacity (at least 16, at most `limit`) and moves the oldest entry to index 0.
    private mutating func grow(upTo limit: Int) {
        let capacity = min(limit, max(16, times.count * 2))
        var grown: [UInt64] = []
        grown.reserveCapacity(capacity)
        for offset in 0..<count {
            grown.append(times[(head + offset) % times.count])
        }
        grown.append(contentsOf: repeatElement(0, count: capacity - count))
        times = grown
        head = 0
    }
}
