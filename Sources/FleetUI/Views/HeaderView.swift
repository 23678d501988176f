import CitrusAPI
import FleetCore
import Foundation

/// The three header rows:
/// - the title row: product name, DEMO badge, reseller balance and its ETA,
///   then sweep progress and freshness, or the API's outage in the error style;
/// - the totals row: SIM counts per status, low and depleted wallets, the
///   total of the wallets and the spend per hour;
/// - the view row: how many SIMs are shown, the filter and the sort.
public enum HeaderView {
    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        drawTitle(state, theme: theme, into: &buffer)
        drawTotals(state, theme: theme, into: &buffer)
        drawView(state, theme: theme, into: &buffer)
    }

    // MARK: Title row

    /// Fleets at least this large show the progress of each sweep.
    static let sweepProgressMinimumSIMs = 1_000

    static func drawTitle(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let row = state.layout.headerRow
        buffer.fill(y: row, style: theme.header)

        var column = buffer.put(" citrus-fleet ", x: 0, y: row, style: theme.header)
        if state.isDemo {
            column = buffer.put(" DEMO ", x: column + 1, y: row, style: theme.demoBadge)
        }
        // A rejected key leaves nothing to show but the cause, which needs the room.
        if case .keyRejected(let host, let code) = state.health {
            let text = TextLayout.truncate(" \(RefreshHealth.keyRejectedMessage(host: host, code: code)) ", toWidth: buffer.width - column - 1)
            buffer.put(text, x: column + 1, y: row, style: theme.headerError)
            return
        }
        column = buffer.put("  " + resellerText(state), x: column, y: row, style: theme.header)

        let remaining = buffer.width - column - 3
        guard remaining > 0 else { return }
        if let problem = problem(in: state) {
            let text = TextLayout.truncate(" \(problem) ", toWidth: remaining)
            buffer.put(text, x: buffer.width - DisplayWidth.of(text), y: row, style: theme.headerError)
            return
        }
        let text = TextLayout.truncate(freshness(state) + " ", toWidth: remaining)
        buffer.put(text, x: buffer.width - DisplayWidth.of(text), y: row, style: theme.header)
    }

    /// "Reseller $5,000.00 (ETA $0 3d4h)": the reseller balance and when it
    /// reaches $0 at its recent drain, with "…" before the first read.
    static func resellerText(_ state: AppState) -> String {
        guard let balance = state.resellerBalance else { return "Reseller …" }
        let eta = state.fleet.totals.resellerETA.formatted(from: state.now)
        return "Reseller \(balance) (ETA $0 \(eta))"
    }

    /// "sweeping 1,200/100,000, about 8 min left, updated 12s ago".
    static func freshness(_ state: AppState) -> String {
        var text = state.lastSweepReceivedAt.map { "updated \(DisplayFormat.age(of: $0, now: state.wallNow))" }
            ?? "loading the fleet…"
        if let sweep = state.sweepInProgress, let total = sweep.totalSIMs,
           total >= sweepProgressMinimumSIMs, sweep.simsRead < total {
            // One page of 200 SIMs per request, at the budget's pace.
            let pagesLeft = (total - sweep.simsRead + 199) / 200
            let secondsLeft = pagesLeft * 60 / max(1, sweep.budgetPerMinute)
            text = "sweeping \(DisplayFormat.count(sweep.simsRead))/\(DisplayFormat.count(total)), "
                + "about \(DisplayFormat.duration(seconds: secondsLeft)) left, " + text
        }
        return text
    }

    /// Returns the refresh problem to show: the outage with its next retry
    /// while the API is unreachable, otherwise the last refresh error.
    static func problem(in state: AppState) -> String? {
        if case .unreachable(let since, let failures, let lastError, let nextRetryAt) = state.health {
            let time = DisplayFormat.clockTime(since, timeZone: state.timeZone)
            let retry = max(0, Int(nextRetryAt.timeIntervalSince(state.wallNow).rounded(.up)))
            let attempts = failures == 1 ? "1 failure" : "\(failures) failures"
            return "\(lastError) — API unreachable since \(time), retrying in \(retry) s (\(attempts))"
        }
        if case .keyRejected(let host, let code) = state.health {
            return RefreshHealth.keyRejectedMessage(host: host, code: code)
        }
        return state.refreshError
    }

    // MARK: Totals row

    /// One part of the totals row. Parts with a lower `priority` number are
    /// kept first when the row is too narrow for all of them.
    struct Segment {
        var text: String
        var style: CellStyle
        var priority: Int
    }

    static func drawTotals(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let row = state.layout.totalsRow
        buffer.fill(y: row, style: theme.headerTotals)
        let segments = fitted(totalSegments(state, theme: theme), width: buffer.width - 2)
        var x = 1
        for (index, segment) in segments.enumerated() {
            if index > 0 { x = buffer.put("  ", x: x, y: row, style: theme.headerTotals) }
            x = buffer.put(segment.text, x: x, y: row, style: segment.style)
        }
    }

    static func totalSegments(_ state: AppState, theme: Theme) -> [Segment] {
        let totals = state.fleet.totals
        let plain = theme.headerTotals
        var segments = [Segment(text: "\(DisplayFormat.count(totals.simCount)) SIMs", style: plain, priority: 0)]

        let statusPriority: [(ESIMStatus, Int)] = [(.active, 4), (.suspended, 4), (.pending, 5), (.terminated, 6)]
        for (status, priority) in statusPriority {
            if let count = totals.countsByStatus[status], count > 0 {
                segments.append(Segment(text: "\(status.rawValue) \(DisplayFormat.count(count))", style: plain, priority: priority))
            }
        }
        let unknownStatuses = totals.countsByStatus.filter { if case .unknown = $0.key { return true } else { return false } }
        for (status, count) in unknownStatuses.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            segments.append(Segment(text: "\(TerminalSanitizer.sanitize(status.rawValue)) \(count)", style: plain, priority: 6))
        }

        if totals.lowCount > 0 {
            segments.append(Segment(text: "low \(DisplayFormat.count(totals.lowCount))", style: theme.walletLow, priority: 1))
        }
        if totals.depletedCount > 0 {
            segments.append(Segment(text: "depleted \(DisplayFormat.count(totals.depletedCount))", style: theme.walletDepleted, priority: 1))
        }
        segments.append(Segment(text: "wallets \(totals.totalWallet)", style: plain, priority: 3))
        let unknown = totals.unknownBurnCount > 0 ? " (\(DisplayFormat.count(totals.unknownBurnCount)) unknown)" : ""
        // SIMs that drain too slowly to measure add at most their bound.
        var slow = ""
        if totals.boundedBurnCount > 0 {
            let bound = Money(cents: Int64(totals.boundedSpendCentsPerHour.rounded(.up)))
            slow = " + < \(bound)/h (\(DisplayFormat.count(totals.boundedBurnCount)) slow)"
        }
        segments.append(Segment(text: "spend \(totals.spendPerHour)/h\(slow)\(unknown)", style: plain, priority: 2))
        if totals.staleCount > 0 {
            segments.append(Segment(text: "stale \(DisplayFormat.count(totals.staleCount))", style: theme.tableStale, priority: 5))
        }
        if totals.goneCount > 0 {
            segments.append(Segment(text: "gone \(DisplayFormat.count(totals.goneCount))", style: theme.esimGone, priority: 6))
        }
        return segments
    }

    /// Keeps the segments that fit in `width` columns, most important first,
    /// in their original order.
    static func fitted(_ segments: [Segment], width: Int) -> [Segment] {
        var kept = Set<Int>()
        var used = 0
        for (index, segment) in segments.enumerated().sorted(by: { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }) {
            let cost = DisplayWidth.of(segment.text) + (kept.isEmpty ? 0 : 2)
            guard used + cost <= width else { continue }
            kept.insert(index)
            used += cost
        }
        return segments.indices.filter(kept.contains).map { segments[$0] }
    }

    // MARK: View row

    static func drawView(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let row = state.layout.viewRow
        buffer.fill(y: row, style: theme.headerTotals)
        let fleet = state.fleet
        let total = DisplayFormat.count(fleet.totals.simCount)
        let shown = fleet.query.terms.isEmpty
            ? "Showing all \(total) SIMs"
            : "Showing \(DisplayFormat.count(fleet.count)) of \(total) SIMs"

        var x = buffer.put(" \(shown)", x: 0, y: row, style: theme.headerTotals)
        if !fleet.query.terms.isEmpty {
            x = buffer.put("  filter ", x: x, y: row, style: theme.headerTotals)
            x = buffer.put(fleet.query.text, x: x, y: row, style: theme.headerFilter, maxWidth: max(0, buffer.width - x - 24))
        }
        x = buffer.put("  sort \(sortText(fleet.sort))", x: x, y: row, style: theme.headerTotals)
        if !state.marked.isEmpty {
            buffer.put("  \(state.markCounts.text)", x: x, y: row, style: theme.headerFilter, maxWidth: max(0, buffer.width - x))
        }
    }

    /// "wallet ▲", or "first seen" for the API's list order.
    static func sortText(_ sort: TableSort) -> String {
        let arrow = sort.ascending ? "▲" : "▼"
        guard let key = sort.key else { return "first seen" + (sort.ascending ? "" : " ▼") }
        return "\(key.rawValue) \(arrow)"
    }
}
