import CitrusAPI
import Foundation
@testable import FleetCore

/// A fixed start for test clocks, so failures print stable times.
let testEpoch = Date(timeIntervalSince1970: 1_800_000_000)

/// A 19-digit ICCID for test SIM `number`.
func testICCID(_ number: Int) -> String {
    let digits = String(number)
    return "8910300" + String(repeating: "0", count: 12 - digits.count) + digits
}

/// A SIM as a list page would return it.
func testESIM(
    _ number: Int,
    status: ESIMStatus = .active,
    walletCents: Int64? = 2000,
    label: String? = nil,
    reference: String? = nil,
    group: String? = nil,
    throttle: ThrottleSpeed = .noLimit,
    activatedAt: Date? = testEpoch
) -> ESIM {
    ESIM(
        id: "esim_\(number)", iccid: testICCID(number), status: status,
        label: label ?? "sim-\(number)", endUserReference: reference, groupID: group,
        walletBalance: walletCents.map { Money(cents: $0) }, throttleSpeed: throttle,
        activatedAt: activatedAt, createdAt: testEpoch)
}

/// Seconds after `testEpoch`.
func at(_ seconds: Double) -> Date {
    testEpoch.addingTimeInterval(seconds)
}

/// Readings from (seconds, cents) pairs.
func readings(_ pairs: [(Int32, Int32)]) -> [WalletReading] {
    pairs.map { WalletReading(seconds: $0.0, cents: $0.1) }
}

/// `count` readings every `every` seconds from `start`, dropping `perStep`
/// cents each time from `fromCents`.
func drain(start: Int32 = 0, every: Int32 = 120, count: Int, fromCents: Int32, perStep: Int32) -> [WalletReading] {
    var result: [WalletReading] = []
    for step in 0..<Int32(count) {
        result.append(WalletReading(seconds: start + step * every, cents: fromCents - step * perStep))
    }
    return result
}
