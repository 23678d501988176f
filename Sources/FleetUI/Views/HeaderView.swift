/// The top row: product name, DEMO badge, reseller balance, fleet size and
/// the age of the last complete sweep, or the last refresh failure.
public enum HeaderView {
    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let row = state.layout.headerRow
        buffer.fill(y: row, style: theme.header)

        var column = buffer.put(" citrus-fleet ", x: 0, y: row, style: theme.header)
        if state.isDemo {
            column = buffer.put(" DEMO ", x: column + 1, y: row, style: theme.demoBadge)
        }
        let balance = state.resellerBalance.map { "\($0)" } ?? "…"
        column = buffer.put("  Reseller balance \(balance)", x: column, y: row, style: theme.header)
        column = buffer.put("   \(state.fleet.count) SIMs", x: column, y: row, style: theme.header)

        let remaining = buffer.width - column - 3
        guard remaining > 0 else { return }
        if let error = problem(in: state) {
            let text = TextLayout.truncate(" \(error) ", toWidth: remaining)
            buffer.put(text, x: buffer.width - DisplayWidth.of(text), y: row, style: theme.headerError)
            return
        }
        var freshness = state.lastSweepReceivedAt.map { "updated \(DisplayFormat.age(of: $0, now: state.wallNow))" }
            ?? "loading the fleet…"
        if let sweep = state.sweepInProgress, let total = sweep.totalSIMs, sweep.simsRead < total {
            freshness = "sweeping \(DisplayFormat.count(sweep.simsRead))/\(DisplayFormat.count(total)), " + freshness
        }
        let text = TextLayout.truncate(freshness + " ", toWidth: remaining)
        buffer.put(text, x: buffer.width - DisplayWidth.of(text), y: row, style: theme.header)
    }

    /// Returns the refresh problem to show: the outage with its next retry while the
    /// API is unreachable, otherwise the last refresh error.
    static func problem(in state: AppState) -> String? {
        if case .unreachable = state.health {
            return state.health.formatted(now: state.wallNow)
        }
        return state.refreshError
    }
}
