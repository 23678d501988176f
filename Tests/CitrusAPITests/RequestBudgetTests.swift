@testable import CitrusAPI
import Foundation
import Testing

@Suite("RequestBudget")
struct RequestBudgetTests {
    /// Starts a task that acquires a token and records `label` when it gets one.
    @discardableResult
    private func start(_ budget: RequestBudget, _ lane: RequestLane, _ label: String, into granted: LockedList<String>) -> Task<Void, any Error> {
        Task {
            try await budget.acquire(lane)
            granted.append(label)
        }
    }

    private func drain(_ budget: RequestBudget, count: Int) async throws {
        for _ in 0..<count { try await budget.acquire(.interactive) }
    }

    @Test("capacity is a few seconds of budget")
    func capacity() async {
        let budget = RequestBudget(requestsPerMinute: 60, clock: ManualClock())
        #expect(budget.capacity == 5)
        #expect(await budget.state().tokens == 5)
        let small = RequestBudget(requestsPerMinute: 1, clock: ManualClock())
        #expect(small.capacity == 1)
    }

    @Test("interactive requests go before waiting background ones")
    func interactiveFirst() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(requestsPerMinute: 60, interactiveReserve: 1, clock: clock)
        try await drain(budget, count: 5)
        let granted = LockedList<String>()

        for index in 0..<3 { start(budget, .background, "b\(index)", into: granted) }
        #expect(await eventually { await budget.state().backgroundWaiting == 3 })
        start(budget, .interactive, "i0", into: granted)
        #expect(await eventually { await budget.state().interactiveWaiting == 1 })

        clock.advance(by: 1.01)
        #expect(await eventually { granted.count == 1 })
        #expect(granted.all == ["i0"])

        // One token is the interactive reserve, so background waits until the bucket contains two.
        clock.advance(by: 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(granted.count == 1)
        clock.advance(by: 1)
        #expect(await eventually { granted.count == 2 })
        #expect(granted.all == ["i0", "b0"])
        #expect(await budget.state().backgroundWaiting == 2)
    }

    @Test("background never takes the reserved last token")
    func backgroundReserve() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(requestsPerMinute: 60, interactiveReserve: 1, clock: clock)
        try await drain(budget, count: 4)
        let granted = LockedList<String>()

        start(budget, .background, "b0", into: granted)
        #expect(await eventually { await budget.state().backgroundWaiting == 1 })
        try await Task.sleep(for: .milliseconds(50))
        #expect(granted.count == 0)

        // An interactive arrival takes the reserved token at once.
        try await budget.acquire(.interactive)
        clock.advance(by: 2.01)
        #expect(await eventually { granted.count == 1 })
        #expect(await budget.state().tokens == 1)
    }

    @Test("a 429 pause holds every lane until Retry-After passes")
    func rateLimitedPause() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(requestsPerMinute: 60, clock: clock)
        let pause = await budget.rateLimited(retryAfter: 10)
        #expect(pause == 10)
        let state = await budget.state()
        #expect(state.isPaused)
        #expect(state.available == 0)

        let granted = LockedList<String>()
        start(budget, .interactive, "i0", into: granted)
        #expect(await eventually { await budget.state().interactiveWaiting == 1 })
        clock.advance(by: 9.9)
        try await Task.sleep(for: .milliseconds(50))
        #expect(granted.count == 0)

        clock.advance(by: 0.2)
        #expect(await eventually { granted.count == 1 })
        #expect(await budget.state().isPaused == false)
    }

    @Test("a 429 without Retry-After backs off 2, 4, 8 s and resets")
    func rateLimitedBackoff() async {
        let budget = RequestBudget(requestsPerMinute: 60, clock: ManualClock())
        #expect(await budget.rateLimited(retryAfter: nil) == 2)
        #expect(await budget.rateLimited(retryAfter: nil) == 4)
        #expect(await budget.rateLimited(retryAfter: nil) == 8)
        await budget.succeeded()
        #expect(await budget.rateLimited(retryAfter: nil) == 2)
    }

    @Test("backoff stops at 60 s")
    func rateLimitedBackoffCap() async {
        let budget = RequestBudget(requestsPerMinute: 60, clock: ManualClock())
        var last = 0.0
        for _ in 0..<10 { last = await budget.rateLimited(retryAfter: nil) }
        #expect(last == 60)
    }

    @Test("a cancelled waiter leaves the queue and spends nothing")
    func cancellation() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(requestsPerMinute: 60, clock: clock)
        try await drain(budget, count: 5)
        let waiter = Task { try await budget.acquire(.interactive) }
        #expect(await eventually { await budget.state().interactiveWaiting == 1 })
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await budget.state().interactiveWaiting == 0)

        clock.advance(by: 1)
        #expect(await budget.state().tokens == 1)
    }

    @Test("state counts queues and grants of the last minute")
    func stateReport() async throws {
        let clock = ManualClock()
        let budget = RequestBudget(requestsPerMinute: 60, clock: clock)
        try await drain(budget, count: 3)
        let state = await budget.state()
        #expect(state.requestsPerMinute == 60)
        #expect(state.tokens == 2)
        #expect(state.grantedLastMinute == 3)
        #expect(state.pausedUntil == nil)
        clock.advance(by: 61)
        #expect(await budget.state().grantedLastMinute == 0)
    }

    @Test("real clock: grants follow the bucket rate under load")
    func realClockRate() async throws {
        // 600 per minute is 10 per second with a 1 s burst of 10.
        let budget = RequestBudget(requestsPerMinute: 600, burstSeconds: 1, interactiveReserve: 0)
        #expect(budget.capacity == 10)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    for _ in 0..<5 {
                        try await budget.acquire(worker % 2 == 0 ? .interactive : .background)
                    }
                }
            }
            try await group.waitForAll()
        }

        // The grant times come from the budget's clock at the moment of each grant, so
        // a loaded machine that resumes the tasks late cannot bunch them.
        let grants = await budget.recentGrantTimes()
        #expect(grants.count == 30)
        #expect(bucketLimitViolations(grants, capacity: 10, perSecond: 10).isEmpty)
        // 30 grants: 10 at once, then 20 at 10 per second, so at least 2 s.
        let span = try #require(grants.last) - grants[0]
        #expect(span >= 2 - 1e-6)
    }
}
