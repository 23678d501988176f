import CitrusAPI
import Foundation

/// How long the refresh loop waits after consecutive failures: `initial`
/// seconds, doubling per failure up to `maximum`.
public struct RefreshBackoff: Sendable, Hashable {
    public var initial: Double
    public var maximum: Double

    public init(initial: Double = 1, maximum: Double = 60) {
        self.initial = max(0.001, initial)
        self.maximum = max(self.initial, maximum)
    }

    public static let standard = RefreshBackoff()

    /// Returns the wait before retry number `failures` (1 for the first failure), in seconds.
    public func delay(afterFailures failures: Int) -> Double {
        let exponent = Double(min(max(failures - 1, 0), 30))
        return min(maximum, initial * pow(2, exponent))
    }
}

/// Sweeps the fleet page by page through the client's background lane and
/// delivers change batches: one per page of `GET /esim/list?limit=200`, plus
/// the reseller balance once per sweep and a batch at each sweep's end.
///
/// Pacing comes from the client's request budget. The loop sends one
/// background request at a time, so a sweep of N SIMs at B requests per
/// minute takes about (N / 200 + 1) / B minutes. The budget grants an
/// operator's interactive request before the sweep's next page and keeps a
/// token in reserve for it, so it waits for at most one refill (or a 429 pause). A new sweep starts
/// `interval` after the previous one started, or at once when the sweep took
/// longer. A failed request is retried with exponential backoff, and the sweep
/// resumes at the page that failed. The loop reports
/// `RefreshHealth.unreachable` until a request succeeds again.
///
/// While a SIM is selected (`select(iccid:)`), its detail is read through
/// the interactive lane every `detailInterval`.
///
/// The loop owns a `FleetStore`; the UI mirrors it by applying the batches.
public actor RefreshLoop {
    public typealias Deliver = @Sendable (FleetChangeBatch) -> Void

    private let client: CitrusClient
    private let interval: Duration
    private let pageSize: Int
    private let deliver: Deliver
    private let clock: FleetClock
    private let backoff: RefreshBackoff
    private let detailInterval: Duration
    private let eventLog: EventLog?
    private let logger: (any CitrusLogSink)?
    private let staleAfterOverride: TimeInterval?

    private var store: FleetStore
    private var task: Task<Void, Never>?
    private var detailTask: Task<Void, Never>?
    private var selectedICCID: String?
    private var sweep: SweepState?
    private var isSweeping = false
    private var health: RefreshHealth = .healthy
    private var failures = 0
    /// Set when Citrus rejected the API key: the loop sends no more requests.
    private var keyRejected = false
    /// Fleet-clock seconds between the starts of the last two complete sweeps.
    private var lastSweepPeriod: Double?
    private var lastSweepStart: Date?
    private let clockOrigin: (clock: Date, real: ContinuousClock.Instant)
    private var lastAccountRead: ContinuousClock.Instant?
    /// Real time between reads of `GET /account`, which changes rarely.
    private static let accountInterval: Duration = .seconds(3600)

    private struct SweepState {
        var offset = 0
        var pagesRead = 0
        var simsRead = 0
        var firstTotal: Int?
        var lastTotal: Int?
        var balanceRead = false
        let startedAt: Date
        let realStart: ContinuousClock.Instant
    }

    /// Creates a loop; call `start()` to begin sweeping.
    ///
    /// - Parameters:
    ///   - interval: the shortest time between sweep starts (small fleets).
    ///   - pageSize: SIMs per list request, 1 to 200.
    ///   - clock: stamps readings, last-seen times and events (see `FleetClock`).
    ///   - metrics: the estimate and event rules of the loop's store.
    ///   - eventLog: receives every derived event.
    ///   - staleAfter: a fixed stale threshold in fleet-clock seconds, or nil
    ///     for two sweep periods.
    ///   - backoff: the waits after failures.
    ///   - detailInterval: how often the selected SIM's detail is read.
    ///   - logger: receives sweep timings, failures and recoveries.
    public init(
        client: CitrusClient,
        interval: Duration = .seconds(10),
        pageSize: Int = 200,
        clock: FleetClock = .system,
        metrics: MetricsConfiguration = MetricsConfiguration(),
        eventLog: EventLog? = nil,
        staleAfter: TimeInterval? = nil,
        backoff: RefreshBackoff = .standard,
        detailInterval: Duration = .seconds(10),
        logger: (any CitrusLogSink)? = nil,
        deliver: @escaping Deliver
    ) {
        self.client = client
        self.interval = interval
        self.pageSize = min(200, max(1, pageSize))
        self.deliver = deliver
        self.clock = clock
        self.backoff = backoff
        self.detailInterval = detailInterval
        self.eventLog = eventLog
        self.logger = logger
        self.staleAfterOverride = staleAfter
        let now = clock.now()
        self.store = FleetStore(configuration: metrics, epoch: now)
        self.clockOrigin = (now, ContinuousClock.now)
    }

    // MARK: Control

    /// Starts sweeping. Calling it again while running does nothing.
    public func start() {
        guard task == nil else { return }
        logger?.log(.info, "Refresh loop started: interval \(interval), budget \(client.configuration.requestsPerMinute) requests/minute")
        task = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let wait = await self.runOnce()
                if await self.keyRejected { return }
                try? await Task.sleep(for: wait)
            }
        }
    }

    /// Stops sweeping and detail reads. A request in flight is not
    /// cancelled (see `uncancelled(_:)`): it finishes in the background and
    /// its result is dropped.
    public func stop() {
        if task != nil { logger?.log(.info, "Refresh loop stopped") }
        task?.cancel()
        task = nil
        detailTask?.cancel()
        detailTask = nil
    }

    /// Runs one sweep to its end, or until a request fails. After a failure
    /// the next call resumes at the failed page. Returns whether the sweep
    /// completed; returns false at once if another sweep is running.
    @discardableResult
    public func sweepOnce() async -> Bool {
        guard !isSweeping, !keyRejected else { return false }
        isSweeping = true
        defer { isSweeping = false }
        do {
            try await continueSweep()
            recovered()
            return true
        } catch {
            if !Task.isCancelled { failed(error) }
            return false
        }
    }

    /// Selects the SIM whose detail view is open, or nil when it closes.
    /// Its detail is read at once and then every `detailInterval`. A read of
    /// the previous SIM still in flight finishes, and its result is dropped.
    public func select(iccid: String?) {
        guard iccid != selectedICCID else { return }
        selectedICCID = iccid
        detailTask?.cancel()
        detailTask = nil
        guard let iccid else { return }
        detailTask = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                await self.readDetail(iccid: iccid)
                try? await Task.sleep(for: self.detailInterval)
            }
        }
    }

    /// Records a SIM returned by an operation, so the store and the UI see
    /// the new state before the next sweep reaches it.
    public func record(_ esim: ESIM) {
        var batch = store.applyReading(esim, observedAt: clock.now())
        publish(&batch)
    }

    /// Returns a copy of the loop's store. The copy is O(1), but the loop's next
    /// write then copies the columns (O(fleet)), so call it rarely.
    public func storeSnapshot() -> FleetStore {
        store
    }

    /// The loop's health.
    public var currentHealth: RefreshHealth {
        health
    }

    /// The stale threshold in fleet-clock seconds: the configured one, or
    /// two sweep periods (at least two refresh intervals).
    public var staleAfterSeconds: Double {
        if let staleAfterOverride { return staleAfterOverride }
        let intervalSeconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let minimum = 2 * intervalSeconds * clockRate()
        return max(minimum, 2 * (lastSweepPeriod ?? 0))
    }

    // MARK: Sweeping

    /// Runs one turn of the loop (a sweep) and returns the wait before the next turn.
    private func runOnce() async -> Duration {
        let realStart = ContinuousClock.now
        if await sweepOnce() {
            let elapsed = ContinuousClock.now - realStart
            return elapsed < interval ? interval - elapsed : .zero
        }
        return .milliseconds(Int64(backoff.delay(afterFailures: failures) * 1000))
    }

    private func continueSweep() async throws {
        if sweep == nil { beginSweep() }
        try await readAccountIfDue()

        if sweep?.balanceRead == false {
            let client = client
            let balance = try await Self.uncancelled { try await client.walletBalance(lane: .background) }
            try Task.checkCancellation()
            let now = clock.now()
            var batch = FleetChangeBatch(resellerBalance: balance, observedAt: now)
            batch.events = store.recordResellerBalance(balance, at: now)
            sweep?.balanceRead = true
            succeeded(&batch)
            publish(&batch)
        }

        while let state = sweep {
            try Task.checkCancellation()
            let (client, pageSize) = (client, pageSize)
            let page = try await Self.uncancelled {
                try await client.listESIMs(limit: pageSize, offset: state.offset, lane: .background)
            }
            try Task.checkCancellation()
            let now = clock.now()
            if state.pagesRead == 0, let total = page.total { store.reserveCapacity(total) }
            var batch = store.applyPage(page.esims, observedAt: now)
            sweep?.offset += page.esims.count
            sweep?.pagesRead += 1
            sweep?.simsRead += page.esims.count
            if state.pagesRead == 0 { sweep?.firstTotal = page.total }
            sweep?.lastTotal = page.total
            batch.sweep = progress()
            succeeded(&batch)
            publish(&batch)

            let reachedTotal = page.total.map { state.offset + page.esims.count >= $0 } ?? false
            if page.esims.count < pageSize || reachedTotal || page.esims.isEmpty {
                completeSweep()
            }
        }
    }

    private func beginSweep() {
        let now = clock.now()
        if let lastSweepStart { lastSweepPeriod = now.timeIntervalSince(lastSweepStart) }
        lastSweepStart = now
        store.beginSweep()
        sweep = SweepState(startedAt: now, realStart: ContinuousClock.now)
    }

    /// Ends the sweep. SIMs not seen are marked gone only when the fleet
    /// size did not change during the sweep: provisioning or removal while
    /// paging by offset can shift SIMs between pages, so a missing SIM may
    /// just have been skipped.
    private func completeSweep() {
        guard let state = sweep else { return }
        let now = clock.now()
        let consistent = state.firstTotal == state.lastTotal && state.simsRead >= (state.lastTotal ?? 0)
        var batch: FleetChangeBatch
        if consistent {
            batch = store.completeSweep(at: now)
        } else {
            batch = FleetChangeBatch(sweepCompletedAt: now, observedAt: now)
            logger?.log(.info, "Sweep saw the fleet size change (\(state.firstTotal ?? -1) to \(state.lastTotal ?? -1)); no SIM is marked gone this time")
        }
        sweep = nil
        batch.sweep = progress(completed: state, at: now)
        publish(&batch)

        let elapsed = (ContinuousClock.now - state.realStart).components
        let realSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        logger?.log(.info, "Sweep completed: \(state.simsRead) SIMs in \(state.pagesRead) pages, "
            + "\(String(format: "%.2f", realSeconds)) s, \(batch.removed.count) gone")
    }

    private func progress(completed: SweepState? = nil, at time: Date? = nil) -> SweepProgress {
        let state = completed ?? sweep
        return SweepProgress(
            pagesRead: state?.pagesRead ?? 0,
            simsRead: state?.simsRead ?? 0,
            totalSIMs: state?.lastTotal,
            startedAt: state?.startedAt ?? clock.now(),
            lastSweepSeconds: lastSweepPeriod,
            staleAfterSeconds: staleAfterSeconds,
            budgetPerMinute: client.configuration.requestsPerMinute)
    }

    /// Reads the reseller account at the first sweep and then hourly. A
    /// failure is logged and skipped, because the sweep does not need the account.
    /// A transport failure (Citrus not reached) fails the sweep at once, so the
    /// next request does not wait out its own timeout, and the account is read
    /// again at the next sweep.
    private func readAccountIfDue() async throws {
        if let lastAccountRead, ContinuousClock.now - lastAccountRead < Self.accountInterval { return }
        lastAccountRead = .now
        do {
            let client = client
            let account = try await Self.uncancelled { try await client.account(lane: .background) }
            guard !Task.isCancelled else { return }
            var batch = FleetChangeBatch(observedAt: clock.now(), account: account)
            publish(&batch)
        } catch let error as CitrusError where error.delivery != nil {
            lastAccountRead = nil
            throw error
        } catch {
            logger?.log(.warning, "Reading the reseller account failed; retrying in an hour: \(error)")
        }
    }

    // MARK: Detail

    private func readDetail(iccid: String) async {
        guard !keyRejected else { return }
        do {
            let client = client
            let esim = try await Self.uncancelled { try await client.esim(iccid: iccid, lane: .interactive) }
            guard selectedICCID == iccid, !Task.isCancelled else { return }
            var batch = store.applyReading(esim, observedAt: clock.now())
            batch.detail = esim
            succeeded(&batch)
            publish(&batch)
        } catch {
            guard selectedICCID == iccid, !Task.isCancelled else { return }
            logger?.log(.warning, "Detail read failed for \(iccid): \(error)")
            var batch = FleetChangeBatch(refreshError: "Reading \(iccid) failed: \(error)")
            publish(&batch)
        }
    }

    /// Sends one request in a task of its own and returns its result.
    /// Cancelling the caller (`stop`, or `select` moving on) does not reach
    /// the request, so the caller checks for cancellation afterwards and drops
    /// the result. On Linux (FoundationNetworking in Swift 6.3), cancelling a
    /// URLSession task while its response completes can deadlock: the
    /// cancellation and the completion take the task's lock and the session's
    /// work queue in opposite orders.
    ///
    /// NOTE: a request still waiting in the request budget also runs to the
    /// end, so a detail closed at once can still spend one interactive request.
    private static func uncancelled<Result: Sendable>(
        _ request: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await Task { try await request() }.value
    }

    // MARK: Health

    /// Marks a successful request: after failures, the batch carries the recovery.
    private func succeeded(_ batch: inout FleetChangeBatch) {
        guard failures > 0 else { return }
        batch.health = .healthy
        recovered()
    }

    private func recovered() {
        guard failures > 0 else { return }
        logger?.log(.info, "API reachable again after \(failures) failed attempts")
        failures = 0
        health = .healthy
    }

    private func failed(_ error: any Error) {
        if let code = RefreshHealth.rejectedKeyCode(of: error) {
            keyRejected = true
            let host = client.configuration.baseURL.host ?? client.configuration.baseURL.absoluteString
            health = .keyRejected(host: host, code: code)
            logger?.log(.error, "Citrus rejected the API key (\(error)); sweeping stopped until citrus-fleet restarts.")
            var batch = FleetChangeBatch(refreshError: RefreshHealth.keyRejectedMessage(host: host, code: code), health: health)
            publish(&batch)
            return
        }
        failures += 1
        let since = health.unreachableSince ?? clock.now()
        let delay = backoff.delay(afterFailures: failures)
        let message = RefreshHealth.cause(of: error)
        health = .unreachable(since: since, failures: failures, lastError: message, nextRetryAt: Date().addingTimeInterval(delay))
        logger?.log(.warning, "Refresh failed (attempt \(failures)); retrying in \(delay) s: \(error)")
        var batch = FleetChangeBatch(refreshError: "Refresh failed: \(message)", health: health)
        publish(&batch)
    }

    private func publish(_ batch: inout FleetChangeBatch) {
        if let eventLog, !batch.events.isEmpty {
            eventLog.append(batch.events)
        }
        deliver(batch)
    }

    /// Fleet-clock seconds per real second: the clock's own rate when it
    /// has one, otherwise measured since the loop was made (1 during the
    /// first real second).
    private func clockRate() -> Double {
        if let rate = clock.rate { return max(0.001, rate) }
        let real = ContinuousClock.now - clockOrigin.real
        let realSeconds = Double(real.components.seconds) + Double(real.components.attoseconds) / 1e18
        guard realSeconds >= 1 else { return 1 }
        return max(0.001, clock.now().timeIntervalSince(clockOrigin.clock) / realSeconds)
    }
}
