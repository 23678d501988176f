import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

/// The dashboard at 100,000 SIMs: the mirror is built page by page as the
/// refresh loop delivers it, and drawing a frame reads only the rows on screen.
@Suite(.serialized) struct FleetScaleTests {
    static let fleetSize = 100_000

    /// Generates one list page of trackers: every third suspended, wallets from $0 to $29.99.
    static func page(_ number: Int, size: Int = 200) -> [ESIM] {
        (0..<size).map { offset in
            let index = number * size + offset
            let digits = String(index)
            return ESIM(
                id: "esim_\(index)", iccid: "8944500" + String(repeating: "0", count: 12 - digits.count) + digits,
                status: index % 3 == 0 ? .suspended : .active, label: "Tracker \(index % 5_000)",
                endUserReference: "EMP-\(index % 700)", walletBalance: Money(cents: Int64(index * 37 % 3_000)),
                totalDataCharged: Money(cents: Int64(index % 900)))
        }
    }

    /// Builds a state mirroring `fleetSize` SIMs, delivered as pages of 200.
    static func largeState() -> AppState {
        var state = AppState(isDemo: false, isReadOnly: false, width: 120, height: 40, now: Fixtures.now)
        let events = (0..<fleetSize / 200).map { number in
            AppEvent.fleetChanged(FleetChangeBatch(added: page(number), observedAt: Fixtures.now))
        }
        _ = state.reduce(events)
        return state
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    @Test func mirrorHoldsEveryPage() {
        let state = Self.largeState()

        #expect(state.fleet.store.count == Self.fleetSize)
        #expect(state.fleet.count == Self.fleetSize)
        #expect(state.fleet.totals.simCount == Self.fleetSize)
    }

    @Test func frameWithFilterAndSortStaysFast() throws {
        var state = Self.largeState()
        let clock = ContinuousClock()
        state.fleet.setQuery(try FleetQuery.parse("status:active wallet<10 -ref:EMP-1*"))
        state.fleet.setSort(TableSort(.wallet, ascending: false))
        let reorder = clock.measure { state.fleet.refreshOrder(now: Fixtures.now) }
        _ = state.reduce(.key(.character("G")))

        let frames = 20
        var buffer = ScreenBuffer(width: 120, height: 40)
        let drawing = clock.measure {
            for _ in 0..<frames { DashboardView.draw(state, theme: .builtIn, into: &buffer) }
        }
        let frameMilliseconds = Self.milliseconds(drawing) / Double(frames)
        print("Fleet of \(Self.fleetSize) SIMs, \(state.fleet.count) shown: order \(Self.milliseconds(reorder)) ms, frame \(frameMilliseconds) ms")

        #expect(state.fleet.count > 10_000)
        let first = try #require(state.fleet.row(at: 0)?.walletBalance)
        let second = try #require(state.fleet.row(at: 1)?.walletBalance)
        #expect(first < .dollars(10))
        #expect(first >= second)
        // A frame draws 34 rows whatever the fleet size. The bound is loose
        // for debug builds on a loaded machine, and a frame that touched
        // every row would take seconds.
        #expect(frameMilliseconds < 100)
    }

    @Test func marksAtScaleStayFast() {
        var state = Self.largeState()
        let clock = ContinuousClock()
        let marking = clock.measure { _ = state.reduce(.key(.character("*"))) }
        let batch = AppEvent.fleetChanged(FleetChangeBatch(changed: Self.page(7), observedAt: Fixtures.now))
        let sweepPage = clock.measure { _ = state.reduce(batch) }
        let planning = clock.measure { _ = state.reduce(.key(.character("e"))) }
        print("Marks on \(Self.fleetSize) SIMs: mark all \(Self.milliseconds(marking)) ms, page after marks \(Self.milliseconds(sweepPage)) ms, plan \(Self.milliseconds(planning)) ms")

        #expect(state.markCounts == MarkCounts(total: Self.fleetSize))
        #expect(state.plannedConfirmationCount == Self.fleetSize / 3 + 1)
        // Loose bounds for debug builds on a loaded machine: the cost is one
        // pass over the fleet, never a pass per marked SIM.
        #expect(Self.milliseconds(marking) < 5_000)
        #expect(Self.milliseconds(sweepPage) < 5_000)
    }
}

private extension AppState {
    /// The number of SIMs in the open bulk confirmation, or 0.
    var plannedConfirmationCount: Int {
        if case .bulkConfirmation(let confirmation) = mode { return confirmation.plan.items.count }
        return 0
    }
}
