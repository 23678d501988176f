import CitrusAPI
import FleetCore
import Foundation

/// The detail of one SIM in place of the table: every field of the eSIM
/// object, the estimates, the last wallet readings, and the LPA string and
/// install link once the interactive read of the SIM has arrived. API text
/// is sanitized when drawn.
public enum DetailView {
    /// Wallet readings listed, newest first.
    static let readingsShown = 8
    static let labelWidth = 20

    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let layout = state.layout
        guard let iccid = state.detailICCID else { return }
        let top = layout.tableHeadingRow
        let rows = layout.tableBodyHeight + 1

        buffer.fill(y: top, style: theme.tableHeading)
        buffer.put(" SIM \(iccid)   Esc closes", x: 0, y: top, style: theme.tableHeading)

        let content = wrapped(lines(state, theme: theme), width: layout.width)
        let first = max(0, min(state.detailScroll, content.count - (rows - 1)))
        for offset in 0..<(rows - 1) {
            let y = top + 1 + offset
            buffer.fill(y: y, style: theme.tableRow)
            guard first + offset < content.count else { continue }
            let (label, value, style) = content[first + offset]
            let x = buffer.put(" " + TextLayout.padRight(label, toWidth: labelWidth), x: 0, y: y, style: theme.detailLabel)
            buffer.put(value, x: x + 1, y: y, style: style ?? theme.tableRow, maxWidth: layout.width - x - 2)
        }
    }

    /// One row of the detail: a label, a value and an optional style for the value.
    typealias Line = (label: String, value: String, style: CellStyle?)

    /// Returns the largest useful `detailScroll`: the rows that do not fit under the title row.
    static func maximumScroll(_ state: AppState) -> Int {
        let content = wrapped(lines(state, theme: .builtIn), width: state.layout.width)
        return max(0, content.count - state.layout.tableBodyHeight)
    }

    /// Splits values wider than the screen over several rows, so long LPA
    /// strings and install links show whole.
    static func wrapped(_ lines: [Line], width: Int) -> [Line] {
        let valueWidth = max(1, width - labelWidth - 3)
        var result: [Line] = []
        for line in lines {
            let parts = TextLayout.wrap(line.value, toWidth: valueWidth)
            guard parts.count > 1 else {
                result.append(line)
                continue
            }
            for (index, part) in parts.enumerated() {
                result.append((index == 0 ? line.label : "", part, line.style))
            }
        }
        return result
    }

    /// Returns the rows of the detail of the open SIM, top to bottom.
    static func lines(_ state: AppState, theme: Theme) -> [Line] {
        guard let iccid = state.detailICCID else { return [] }
        guard let row = state.fleet.row(iccid: iccid) else {
            return [("", "Reading \(iccid)…", nil)]
        }
        let esim = state.detail?.iccid == iccid ? state.detail : nil
        let zone = state.timeZone
        var lines: [Line] = []

        lines.append(("Label", row.label ?? "—", nil))
        lines.append(("End-user reference", row.endUserReference ?? "—", nil))
        lines.append(("Group", row.groupID ?? "—", nil))
        let status = row.isGone ? "gone (missing from the last complete sweep; last status \(row.status))" : row.status.rawValue
        lines.append(("Status", status, nil))
        lines.append(("eUICC state", row.euiccState?.rawValue ?? "—", nil))
        lines += walletLines(row, state: state, theme: theme)
        lines.append(("Throttle", ThrottleSpeed.label(row.throttleSpeed), nil))
        lines.append(("Activated", row.activatedAt.map { timestamp($0, zone) } ?? "not yet", nil))
        lines.append(("Created", row.createdAt.map { timestamp($0, zone) } ?? "—", nil))
        lines.append(("Last seen", "\(timestamp(row.lastSeen, zone)) (\(DisplayFormat.age(of: row.lastSeen, now: state.now)))", nil))

        let pending = "reading through the interactive lane…"
        lines.append(("LPA string", esim.map { $0.lpaString ?? "—" } ?? pending, nil))
        lines.append(("Install URL", esim.map { $0.directInstallURL ?? "—" } ?? pending, nil))
        lines.append(("QR code", esim.map { qrCodeText($0.qrCode) } ?? pending, nil))

        lines.append(("", "", nil))
        lines.append(("Wallet readings", "newest first", nil))
        let history = state.fleet.store.walletHistory(row.handle).suffix(readingsShown).reversed()
        for reading in history {
            lines.append(("  " + DisplayFormat.clockTime(reading.time, timeZone: zone), reading.wallet.description, nil))
        }
        if history.isEmpty { lines.append(("", "none yet", nil)) }
        return lines
    }

    /// Returns the wallet, charged, burn rate and ETA rows.
    static func walletLines(_ row: SIMRow, state: AppState, theme: Theme) -> [Line] {
        guard let wallet = row.walletBalance else {
            let reason = row.groupID != nil ? "none: the SIM shares its group's balance" : "none"
            return [("Wallet", reason, nil), ("Total charged", row.totalDataCharged?.description ?? "—", nil)]
        }
        let low = state.metrics.lowWalletThreshold
        var walletStyle: CellStyle?
        if wallet <= .zero {
            walletStyle = theme.walletDepleted
        } else if wallet < low {
            walletStyle = theme.walletLow
        }
        let rounded = RoundedDownMoney(displayed: wallet)
        var burn = row.metrics.burnRate.formatted
        if case .estimated(_, let margin) = row.metrics.burnRate {
            burn += " (± \(BurnRate.estimated(centsPerHour: margin, marginCentsPerHour: 0).formatted))"
        }
        return [
            ("Wallet", "\(rounded.lowerBoundText) (Citrus rounds wallets down to the cent)", walletStyle),
            ("Total charged", row.totalDataCharged?.description ?? "—", nil),
            ("Burn rate", burn, nil),
            ("Wallet below \(low)", eta(row.metrics.etaToLow, state: state), nil),
            ("Wallet at $0.00", eta(row.metrics.etaToZero, state: state), nil),
        ]
    }

    /// "in 3h35m (11:35:00)", "now", "never" or "unknown".
    static func eta(_ eta: WalletETA, state: AppState) -> String {
        let text = eta.formatted(from: state.now)
        guard case .at(let date) = eta, date > state.now else { return text }
        return "in \(text) (\(DisplayFormat.clockTime(date, timeZone: state.timeZone)))"
    }

    /// Describes the QR code without drawing it: its image type and size.
    static func qrCodeText(_ qrCode: String?) -> String {
        guard let qrCode else { return "—" }
        let kind = qrCode.hasPrefix("data:image/png") ? "PNG image" : "image"
        return "\(kind) as a data URL, \(DisplayFormat.count(qrCode.utf8.count)) bytes (the LPA string above is its content)"
    }

    /// Formats a date as `2026-12-04 20:14:05` in `timeZone`.
    static func timestamp(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return day + " " + DisplayFormat.clockTime(date, timeZone: timeZone)
    }
}
