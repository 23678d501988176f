import CitrusAPI
import FleetCore
import FleetUI
import Foundation

/// Three SIMs with known readings, used by the view and reducer tests.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static let traveler = ESIM(
        id: "esim_1", iccid: "8910300000000000012", status: .active, label: "Ana (Lisbon trip)",
        walletBalance: Money(cents: 1_250), totalDataCharged: Money(cents: 750))
    static let tracker = ESIM(
        id: "esim_2", iccid: "8910300000000000020", status: .suspended, label: "GPS tracker 0017",
        walletBalance: Money(cents: 320), totalDataCharged: Money(cents: 123_456), throttleSpeed: .kbps500)
    static let kiosk = ESIM(
        id: "esim_3", iccid: "89103000000000000038", status: .active, label: "Kiosk 東京 station",
        walletBalance: .zero, totalDataCharged: Money(cents: 2_000), throttleSpeed: .kbps5000)

    static let threeSIMs = [traveler, tracker, kiosk]

    /// Returns a state showing the three SIMs after one complete sweep that
    /// arrived 12 s ago, on the built-in simulator.
    static func state(
        width: Int = 120, height: Int = 12, readOnly: Bool = false, esims: [ESIM] = threeSIMs,
        metrics: MetricsConfiguration = MetricsConfiguration()
    ) -> AppState {
        let received = now.addingTimeInterval(-12)
        var state = AppState(isDemo: true, isReadOnly: readOnly, width: width, height: height, now: received, metrics: metrics)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(
            added: esims,
            resellerBalance: ResellerBalance(balance: Money(cents: 500_000)),
            sweepCompletedAt: received,
            observedAt: received)))
        _ = state.reduce(.tick(now))
        return state
    }

    /// `count` active SIMs with distinct ICCIDs, for scrolling tests.
    static func manySIMs(_ count: Int) -> [ESIM] {
        (0..<count).map { index in
            ESIM(id: "esim_\(index)", iccid: "89103" + String(format: "%014d", index), status: .active,
                 label: "SIM \(index)", walletBalance: .dollars(10), totalDataCharged: .zero)
        }
    }
}
