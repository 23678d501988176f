import CitrusAPI
import Foundation

/// Sweeps the fleet page by page through the client's background lane and
/// delivers change batches. A sweep starts every `interval`; a failed sweep is
/// reported in a batch and retried at the next interval.
public actor RefreshLoop {
    public typealias Deliver = @Sendable (FleetChangeBatch) -> Void

    private let client: CitrusClient
    private let interval: Duration
    private let pageSize: Int
    private let deliver: Deliver
    private var lastSeen: [String: ESIM] = [:]
    private var task: Task<Void, Never>?

    public init(client: CitrusClient, interval: Duration = .seconds(10), pageSize: Int = 200, deliver: @escaping Deliver) {
        self.client = client
        self.interval = interval
        self.pageSize = pageSize
        self.deliver = deliver
    }

    /// Starts sweeping. Calling it again while running does nothing.
    public func start() {
        guard task == nil else { return }
        task = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                await self.sweepOnce()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Stops sweeping after the request in flight.
    public func stop() {
        task?.cancel()
        task = nil
    }

    /// Runs one complete sweep: the reseller balance, then every page of the fleet.
    public func sweepOnce() async {
        do {
            let balance = try await client.walletBalance(lane: .background)
            deliver(FleetChangeBatch(resellerBalance: balance))

            var seen = Set<String>()
            var offset = 0
            while !Task.isCancelled {
                let page = try await client.listESIMs(limit: pageSize, offset: offset, lane: .background)
                deliver(apply(page.esims, seen: &seen))
                offset += page.esims.count
                let reachedTotal = page.total.map { offset >= $0 } ?? false
                if page.esims.count < pageSize || reachedTotal || page.esims.isEmpty { break }
            }
            guard !Task.isCancelled else { return }

            let gone = lastSeen.keys.filter { !seen.contains($0) }.sorted()
            for iccid in gone { lastSeen[iccid] = nil }
            deliver(FleetChangeBatch(removed: gone, sweepCompletedAt: Date()))
        } catch {
            deliver(FleetChangeBatch(refreshError: "Refresh failed: \(error)"))
        }
    }

    private func apply(_ esims: [ESIM], seen: inout Set<String>) -> FleetChangeBatch {
        var batch = FleetChangeBatch()
        for esim in esims {
            seen.insert(esim.iccid)
            if let previous = lastSeen[esim.iccid] {
                if previous != esim { batch.changed.append(esim) }
            } else {
                batch.added.append(esim)
            }
            lastSeen[esim.iccid] = esim
        }
        return batch
    }
}
