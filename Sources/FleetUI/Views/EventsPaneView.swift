import FleetCore
import Foundation

/// The events pane under the table: a title row, then the newest fleet
/// events first, one per row: time of day (fleet clock), ICCID, label and
/// what happened. Labels come from the API and are sanitized when drawn.
public enum EventsPaneView {
    static let timeWidth = 8
    static let iccidWidth = 20
    static let labelWidth = 18

    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let layout = state.layout
        guard layout.eventsPaneHeight > 0 else { return }
        let top = layout.eventsPaneTop
        let count = DisplayFormat.count(state.events.count)
        buffer.fill(y: top, style: theme.eventsHeading)
        buffer.put(" Events, newest first (\(count) kept)   v hides", x: 0, y: top, style: theme.eventsHeading)

        let rows = layout.eventsPaneHeight - 1
        guard !state.events.isEmpty else {
            buffer.fill(y: top + 1, style: theme.tableRow)
            let message = "No events yet. They appear when a wallet runs low or empty, or a SIM is funded, activated, suspended, resumed, terminated or gone."
            buffer.put(message, x: 1, y: top + 1, style: theme.tableRow, maxWidth: layout.width - 2)
            return
        }
        for (offset, event) in state.events.suffix(rows).reversed().enumerated() {
            let y = top + 1 + offset
            buffer.fill(y: y, style: theme.tableRow)
            buffer.put(line(for: event, state: state, width: layout.width), x: 0, y: y, style: style(of: event, theme: theme))
        }
    }

    /// Returns one event's row: time, ICCID, label, then the summary in the
    /// rest of the width.
    static func line(for event: FleetEvent, state: AppState, width: Int) -> String {
        let time = DisplayFormat.clockTime(event.time, timeZone: state.timeZone)
        let iccid = TextLayout.padRight(event.iccid ?? "reseller", toWidth: iccidWidth)
        let label = TextLayout.padRight(event.label ?? "", toWidth: labelWidth)
        let used = 1 + timeWidth + 1 + iccidWidth + 1 + labelWidth + 1
        let summary = TextLayout.truncate(event.summary, toWidth: max(0, width - used - 1))
        return " \(time) \(iccid) \(label) \(summary)"
    }

    private static func style(of event: FleetEvent, theme: Theme) -> CellStyle {
        switch event.kind {
        case .balanceLow, .resellerBalanceLow: return theme.walletLow
        case .depleted, .gone: return theme.walletDepleted
        default: return theme.tableRow
        }
    }
}
