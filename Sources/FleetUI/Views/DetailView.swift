import CitrusAPI
import FleetCore
import Foundation
import QREncoding

/// The detail of one SIM in place of the table: every field of the eSIM
/// object, the estimates, the last wallet readings, and the LPA string,
/// install link and a scannable QR code of the LPA string once the
/// interactive read of the SIM has arrived. API text is sanitized when drawn.
public enum DetailView {
    /// Wallet readings listed, newest first.
    static let readingsShown = 8
    static let labelWidth = 20
    static let qrCodeLabel = "QR code"

    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        let layout = state.layout
        guard let iccid = state.detailICCID else { return }
        let top = layout.tableHeadingRow
        let rows = layout.tableBodyHeight + 1

        buffer.fill(y: top, style: theme.tableHeading)
        buffer.put(" SIM \(iccid)   Esc closes", x: 0, y: top, style: theme.tableHeading)

        let placement = qrCodePlacement(state)
        let content = content(state, theme: theme, placement: placement)
        let visibleRows = rows - 1
        let first = max(0, min(state.detailScroll, content.lines.count - visibleRows))
        let fieldsWidth = placement.fieldsWidth(screenWidth: layout.width)
        for offset in 0..<visibleRows {
            let y = top + 1 + offset
            buffer.fill(y: y, style: theme.tableRow)
            let index = first + offset
            guard index < content.lines.count else { continue }
            if let qrRows = content.qrRows, qrRows.contains(index) { continue }
            let (label, value, style) = content.lines[index]
            let x = buffer.put(" " + TextLayout.padRight(label, toWidth: labelWidth), x: 0, y: y, style: theme.detailLabel)
            buffer.put(value, x: x + 1, y: y, style: style ?? theme.tableRow, maxWidth: fieldsWidth - x - 2)
        }

        switch placement {
        case .right(let block):
            block.draw(x: layout.width - block.columns, y: top + 1, into: &buffer)
        case .below(let block):
            if let qrRows = content.qrRows {
                drawBelow(block, rows: qrRows, first: first, visibleRows: visibleRows, top: top + 1, theme: theme, into: &buffer)
            }
        default:
            break
        }
    }

    /// Draws the QR code rows of the scrolled content. The code is drawn only
    /// when all its rows are on screen, because a code cut by the scroll
    /// position cannot be scanned. Otherwise the first of its rows on screen
    /// shows which way to scroll.
    static func drawBelow(_ block: QRCodeBlock, rows qrRows: Range<Int>, first: Int, visibleRows: Int, top: Int, theme: Theme, into buffer: inout ScreenBuffer) {
        let visible = first..<(first + visibleRows)
        guard qrRows.overlaps(visible) else { return }
        let x = min(labelWidth + 2, buffer.width - block.columns)
        if visible.lowerBound <= qrRows.lowerBound && qrRows.upperBound <= visible.upperBound {
            block.draw(x: x, y: top + qrRows.lowerBound - first, into: &buffer)
            return
        }
        let hint = qrRows.lowerBound < first
            ? "↑ scroll (k) for the whole QR code"
            : "↓ scroll (j) for the whole QR code"
        let y = top + max(qrRows.lowerBound, first) - first
        buffer.put(hint, x: labelWidth + 2, y: y, style: theme.tableRow, maxWidth: buffer.width - labelWidth - 3)
    }

    /// One row of the detail: a label, a value and an optional style for the value.
    typealias Line = (label: String, value: String, style: CellStyle?)

    /// Returns the largest useful `detailScroll`: the rows that do not fit under
    /// the title row, QR code rows drawn below the fields included.
    static func maximumScroll(_ state: AppState) -> Int {
        let content = content(state, theme: .builtIn, placement: qrCodePlacement(state))
        return max(0, content.lines.count - state.layout.tableBodyHeight)
    }

    /// The scrolled rows of the detail. When the QR code is drawn below the
    /// fields, `qrRows` are the indices of its rows in `lines`, which hold
    /// empty placeholders there.
    struct Content {
        var lines: [Line]
        var qrRows: Range<Int>?
    }

    /// Returns the wrapped rows of the detail, with the QR code's rows right
    /// after the "QR code" row when it is drawn below the fields.
    static func content(_ state: AppState, theme: Theme, placement: QRCodePlacement) -> Content {
        let fieldsWidth = placement.fieldsWidth(screenWidth: state.layout.width)
        var lines = wrapped(self.lines(state, theme: theme, placement: placement), width: fieldsWidth)
        guard case .below(let block) = placement,
              let qrLine = lines.firstIndex(where: { $0.label == qrCodeLabel })
        else {
            return Content(lines: lines, qrRows: nil)
        }
        // The "QR code" value may wrap, so the block starts after its last row.
        var start = qrLine + 1
        while start < lines.count && lines[start].label.isEmpty && !lines[start].value.isEmpty { start += 1 }
        let placeholders: [Line] = Array(repeating: ("", "", nil), count: block.rows)
        lines.insert(contentsOf: placeholders, at: start)
        return Content(lines: lines, qrRows: start..<(start + block.rows))
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

    /// Returns the rows of the detail of the open SIM, top to bottom, before
    /// wrapping and without the rows of a QR code drawn below them.
    static func lines(_ state: AppState, theme: Theme, placement: QRCodePlacement) -> [Line] {
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
        lines.append((qrCodeLabel, esim == nil ? pending : placement.summary, nil))

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
        } else if case .below = row.metrics.burnRate {
            burn += " (drains too slowly to measure yet)"
        }
        return [
            ("Wallet", "\(rounded.lowerBoundText) (Citrus rounds wallets down to the cent)", walletStyle),
            ("Total charged", row.totalDataCharged?.description ?? "—", nil),
            ("Burn rate", burn, nil),
            ("Wallet below \(low)", eta(row.metrics.etaToLow, state: state), nil),
            ("Wallet at $0.00", eta(row.metrics.etaToZero, state: state), nil),
        ]
    }

    /// Returns "in 3h35m (11:35:00)", "not before 2026-12-14 03:00:00 (> 9d16h)",
    /// "now", "never" or "unknown".
    static func eta(_ eta: WalletETA, state: AppState) -> String {
        let text = eta.formatted(from: state.now)
        switch eta {
        case .at(let date) where date > state.now:
            return "in \(text) (\(DisplayFormat.clockTime(date, timeZone: state.timeZone)))"
        case .after(let date) where date > state.now:
            return "not before \(timestamp(date, state.timeZone)) (\(text))"
        default:
            return text
        }
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

// MARK: QR code

extension DetailView {
    /// The place of the QR code of the open SIM's LPA string in the detail, or
    /// the reason it is not drawn.
    enum QRCodePlacement: Equatable {
        /// The interactive read of the SIM has not arrived yet.
        case pending
        /// The read arrived without an LPA string.
        case noLPAString
        /// The LPA string is longer than `QRCode.maximumByteCount`.
        case tooLong(byteCount: Int)
        /// Pinned to the top right of the body, beside the fields, so scrolling never moves it.
        case right(QRCodeBlock)
        /// In the scrolled rows, under the "QR code" row.
        case below(QRCodeBlock)
        /// The screen cannot show the whole code with a quiet zone of 2
        /// modules: the smallest terminal that can.
        /// The smallest screen that shows the code, and whether the current
        /// screen is already wide or tall enough.
        case screenTooSmall(minimumWidth: Int, minimumHeight: Int, isWideEnough: Bool, isTallEnough: Bool)

        /// Returns the columns left for the fields: all of them unless the code is on the right.
        func fieldsWidth(screenWidth: Int) -> Int {
            guard case .right(let block) = self else { return screenWidth }
            return screenWidth - block.columns - DetailView.qrCodeGap
        }

        /// The value of the "QR code" row.
        var summary: String {
            switch self {
            case .pending:
                return "reading through the interactive lane…"
            case .noLPAString:
                return "— (the SIM has no LPA string to encode)"
            case .tooLong(let byteCount):
                return "not drawn: the LPA string is \(byteCount) bytes, over the \(QRCode.maximumByteCount)-byte limit "
                    + "of the QR encoder (version \(QRCode.maximumVersion), level M). Enter the LPA string on the phone instead."
            case .right(let block):
                return "on the right, encoding the LPA string: \(block.description)"
            case .below(let block):
                return "below, encoding the LPA string: \(block.description)"
            case .screenTooSmall(let width, let height, let isWideEnough, let isTallEnough):
                if isWideEnough && !isTallEnough {
                    return "make the terminal at least \(height) rows tall to show it"
                }
                if isTallEnough && !isWideEnough {
                    return "make the terminal at least \(width) columns wide to show it"
                }
                return "enlarge the terminal to at least \(width)×\(height) to show it"
            }
        }
    }

    /// Columns the fields keep when the code is on their right: the
    /// dashboard's minimum width, so labels and short values stay on one row.
    static let minimumFieldsWidth = ScreenLayout.minimumWidth
    /// Blank columns between the fields and a code on their right.
    static let qrCodeGap = 1
    /// Quiet zones tried, widest first, because the standard requires 4
    /// modules. zbarimg 0.23 still read version 3 and 4 codes with 2 light
    /// modules inside a dark border, so 2 is the least drawn.
    static let quietZones = [4, 3, 2]

    /// Returns where the QR code of the open SIM goes on this screen: with
    /// the widest quiet zone that fits, on the right when the fields keep
    /// `minimumFieldsWidth` columns, otherwise below them.
    static func qrCodePlacement(_ state: AppState) -> QRCodePlacement {
        guard let iccid = state.detailICCID, state.detail?.iccid == iccid, let detail = state.detail else {
            return .pending
        }
        guard let lpa = detail.lpaString else { return .noLPAString }
        guard let code = QRCodeCache.shared.code(for: lpa) else { return .tooLong(byteCount: lpa.utf8.count) }

        let layout = state.layout
        for quietZone in quietZones {
            let block = QRCodeBlock(code: code, quietZone: quietZone)
            guard block.rows <= layout.tableBodyHeight else { continue }
            if layout.width - block.columns - qrCodeGap >= minimumFieldsWidth { return .right(block) }
            if block.columns <= layout.width { return .below(block) }
        }

        let smallest = QRCodeBlock(code: code, quietZone: quietZones.last ?? 2)
        let width = max(ScreenLayout.minimumWidth, smallest.columns)
        let isWideEnough = layout.width >= width
        // The rows needed at the current width when that is wide enough, else at the minimum width.
        let columns = isWideEnough ? layout.width : width
        var height = ScreenLayout.minimumHeight
        while ScreenLayout(width: columns, height: height, showsEvents: layout.showsEvents).tableBodyHeight < smallest.rows {
            height += 1
        }
        return .screenTooSmall(
            minimumWidth: width, minimumHeight: height, isWideEnough: isWideEnough, isTallEnough: layout.height >= height)
    }
}

/// A QR code with its quiet zone, drawn with half blocks so each terminal
/// row shows two module rows and a module is about square in a terminal
/// font whose cells are twice as tall as wide.
///
/// NOTE: a terminal that draws East Asian Ambiguous characters two columns
/// wide (a CJK setting) widens the half blocks and breaks the code.
struct QRCodeBlock: Equatable {
    let code: QRCode
    /// Light modules around the code on every side.
    let quietZone: Int

    /// Modules per side, quiet zone included.
    var modules: Int { code.size + 2 * quietZone }
    var columns: Int { modules }
    /// Terminal rows: half the modules, rounded up. An odd last row's lower
    /// half is light, which widens the bottom quiet zone by one module.
    var rows: Int { (modules + 1) / 2 }

    /// Dark modules black and light ones white, whatever the theme and the
    /// terminal's own colors, because scanners need dark on light. It uses
    /// the eight ANSI colors, which every color terminal has.
    static let style = CellStyle(foreground: .black, background: .white)

    /// "version 4, 33×33 modules".
    var description: String { "version \(code.version), \(code.size)×\(code.size) modules" }

    /// Returns whether module `x`, `y` of the block is dark; the quiet zone and
    /// anything outside the block are light.
    func isDark(_ x: Int, _ y: Int) -> Bool {
        let codeX = x - quietZone
        let codeY = y - quietZone
        guard (0..<code.size).contains(codeX), (0..<code.size).contains(codeY) else { return false }
        return code.isDark(codeX, codeY)
    }

    /// Returns the text of terminal row `row`: "█" for two dark modules, "▀"
    /// for dark above light, "▄" for light above dark, and a space for two light ones.
    func text(ofRow row: Int) -> String {
        var text = ""
        text.reserveCapacity(columns * 3)
        for x in 0..<columns {
            switch (isDark(x, 2 * row), isDark(x, 2 * row + 1)) {
            case (true, true): text += "█"
            case (true, false): text += "▀"
            case (false, true): text += "▄"
            case (false, false): text += " "
            }
        }
        return text
    }

    /// Draws every row from column `x`, row `y`, in `style`.
    func draw(x: Int, y: Int, into buffer: inout ScreenBuffer) {
        for row in 0..<rows {
            buffer.put(text(ofRow: row), x: x, y: y + row, style: Self.style, maxWidth: columns)
        }
    }
}

/// The code of the last LPA string drawn, because the detail is drawn on
/// every state change and `QRCode(bytes:)` scores all eight masks each time.
final class QRCodeCache: @unchecked Sendable {
    static let shared = QRCodeCache()

    private let lock = NSLock()
    private var text: String?
    private var code: QRCode?

    /// Returns the code of `text`, or nil when it is too long to encode.
    func code(for text: String) -> QRCode? {
        lock.withLock {
            if text != self.text {
                self.text = text
                self.code = QRCode(bytes: Array(text.utf8))
            }
            return code
        }
    }
}
