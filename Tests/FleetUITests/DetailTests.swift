import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct DetailTests {
    /// The traveler as `GET /esim/{iccid}` returns it, with every field.
    static let travelerDetail: ESIM = {
        var esim = Fixtures.traveler
        esim.lpaString = "LPA:1$smdp.example.com$ABC-123"
        esim.directInstallURL = "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$smdp.example.com$ABC-123"
        esim.qrCode = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="
        esim.euiccState = .enabled
        esim.endUserReference = "EMP-0042"
        esim.activatedAt = Fixtures.now.addingTimeInterval(-86_400)
        esim.createdAt = Fixtures.now.addingTimeInterval(-172_800)
        return esim
    }()

    /// The rows of the QR code of `travelerDetail`'s LPA string (version 3,
    /// 29 modules) with a quiet zone of 4 modules. A phone and zbarimg 0.23
    /// read these rows, drawn as an image, as the LPA string.
    static let travelerCodeRows = [
        "                                     ",
        "                                     ",
        "    █▀▀▀▀▀█ █▀██ █▀▀▄▄█▀  █▀▀▀▀▀█    ",
        "    █ ███ █ ▄▄▀█  ▄▄▀  █▀ █ ███ █    ",
        "    █ ▀▀▀ █  ▀▀  ▄▀▄█▀ █▄ █ ▀▀▀ █    ",
        "    ▀▀▀▀▀▀▀ █▄▀▄█ ▀▄█▄█▄▀ ▀▀▀▀▀▀▀    ",
        "    █▄█▀ ▀▀█ ▄ ▀ █▄█  █▄▄ █▄▄▀▄▀█    ",
        "    ▄ ▀▄█ ▀  ▄▀█▀▀  █     █▄ ▄ ▄▄    ",
        "    ▄ █ ▄█▀ ▀███▀ █▀▄▄ ▄  ▄  ▀█▀     ",
        "    █▀ █ ▄▀▀███ ▄▀▄▀█▀ █▄ ▀▄▀  █▀    ",
        "      ▀▀▀ ▀█ ▄▄▄  █▀█▄ ▀▀▀ ▀▀  ▄▄    ",
        "    ▀ ▄▄▀ ▀▀ █ ▄▄██▀▀▄▄ ▀▄▀▄▀▄▄      ",
        "     ▀  ▀ ▀ ▄██ █▀▀▄█▀ ▀█▀▀▀█ ▀█     ",
        "    █▀▀▀▀▀█ █▄▄██▄██ ▀▄▀█ ▀ █▀ ▀     ",
        "    █ ███ █ ▄ ██▀    ██ ██▀▀█▄▀▄▀    ",
        "    █ ▀▀▀ █ ▀▀▄▄ ██  ▀▄ ██ ▀▄▄ ▄▀    ",
        "    ▀▀▀▀▀▀▀ ▀▀▀▀  ▀ ▀  ▀▀      ▀     ",
        "                                     ",
        "                                     ",
    ]

    /// Returns the text of `columns` on row `y`, trailing spaces included.
    static func text(of buffer: ScreenBuffer, y: Int, columns: Range<Int>) -> String {
        var text = ""
        for x in columns { text += buffer[x, y].grapheme }
        return text
    }

    /// Returns the text of `columns` on row `y` without trailing spaces.
    static func trimmedText(of buffer: ScreenBuffer, y: Int, columns: Range<Int>) -> String {
        var text = Self.text(of: buffer, y: y, columns: columns)
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Returns `state` after the interactive read of `detail` arrived.
    private func withDetail(_ state: AppState, detail: ESIM = DetailTests.travelerDetail) -> AppState {
        var state = state
        let batch = FleetChangeBatch(changed: [detail], observedAt: Fixtures.now, detail: detail)
        _ = state.reduce(.fleetChanged(batch))
        return state
    }

    private func press(_ keys: [Key], in state: inout AppState) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    private func openState(width: Int = 100, height: Int = 30) -> AppState {
        var state = Fixtures.state(width: width, height: height)
        state.timeZone = TimeZone(identifier: "UTC")!
        _ = press([.enter], in: &state)
        return state
    }

    @Test func enterOpensDetailAndSelectsIt() {
        var state = Fixtures.state()
        let effects = press([.down, .enter], in: &state)

        #expect(effects == [.selectDetail(iccid: Fixtures.tracker.iccid)])
        #expect(state.detailICCID == Fixtures.tracker.iccid)
    }

    @Test func escAndQCloseDetailWithoutQuitting() {
        var state = openState()
        #expect(press([.escape], in: &state) == [.selectDetail(iccid: nil)])
        #expect(state.detailICCID == nil)

        _ = press([.enter], in: &state)
        #expect(press([.character("q")], in: &state) == [.selectDetail(iccid: nil)])
        #expect(!state.hasQuit)
        #expect(state.detailICCID == nil)
    }

    @Test func detailBatchOfOpenSIMIsKept() {
        var state = openState()
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, detail: Self.travelerDetail)))
        #expect(state.detail == Self.travelerDetail)

        var other = Fixtures.kiosk
        other.lpaString = "LPA:1$other"
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, detail: other)))
        #expect(state.detail == Self.travelerDetail)
    }

    @Test func actionKeysActOnDetailSIM() {
        var state = openState()
        _ = press([.escape, .down, .enter], in: &state)

        #expect(press([.character("d")], in: &state) == [.perform(.disable(iccid: Fixtures.tracker.iccid))])
    }

    @Test func readOnlyDetailRejectsActions() {
        var state = Fixtures.state(readOnly: true)
        _ = press([.enter], in: &state)

        #expect(press([.character("e")], in: &state).isEmpty)
        #expect(state.status?.text.hasPrefix("Read-only mode:") == true)
    }

    @Test func detailShowsEveryField() {
        var state = openState()
        // The refresh loop records the read in its store and sends it whole as `detail`.
        let batch = FleetChangeBatch(changed: [Self.travelerDetail], observedAt: Fixtures.now, detail: Self.travelerDetail)
        _ = state.reduce(.fleetChanged(batch))
        let buffer = DashboardView.render(state, theme: .builtIn)
        let lines = buffer.lines()
        // The QR code takes the right 38 columns, so the fields wrap at 62.
        let fields = (3...24).map { Self.trimmedText(of: buffer, y: $0, columns: 0..<62) }

        #expect(fields == [
            " SIM 8910300000000000012   Esc closes",
            " Label                Ana (Lisbon trip)",
            " End-user reference   EMP-0042",
            " Group                —",
            " Status               active",
            " eUICC state          ENABLED",
            " Wallet               ≥ $12.50 (Citrus rounds wallets down to",
            "                      the cent)",
            " Total charged        $7.50",
            " Burn rate            unknown",
            " Wallet below $5.00   unknown",
            " Wallet at $0.00      unknown",
            " Throttle             no limit",
            " Activated            2027-01-14 08:00:00",
            " Created              2027-01-13 08:00:00",
            " Last seen            2027-01-15 08:00:00 (0s ago)",
            " LPA string           LPA:1$smdp.example.com$ABC-123",
            " Install URL          https://esimsetup.apple.com/esim_qrcode",
            "                      _provisioning?carddata=LPA:1$smdp.examp",
            "                      le.com$ABC-123",
            " QR code              on the right, encoding the LPA string:",
            "                      version 3, 29×29 modules",
        ])
        #expect(lines[29] == " Esc q close   ↑↓ j/k scroll   e enable   d disable   f fund   t throttle   ? help")
    }

    @Test func detailBeforeFirstReadSaysItIsReading() {
        let lines = DashboardView.render(openState(), theme: .builtIn).lines()

        #expect(lines[18] == " LPA string           reading through the interactive lane…")
    }

    @Test func slowDrainShowsBoundsNotNever() {
        var state = openState()
        // Two hours of readings every 10 minutes in which the wallet drops one cent.
        for step in 1...12 {
            var reading = Fixtures.traveler
            reading.walletBalance = Money(cents: step < 6 ? 1_250 : 1_249)
            let time = Fixtures.now.addingTimeInterval(Double(step) * 600 - 12)
            _ = state.reduce(.tick(time))
            _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [reading], observedAt: time)))
        }
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        let burn = lines.first { $0.hasPrefix(" Burn rate ") } ?? ""
        #expect(burn.hasPrefix(" Burn rate            < $0.0"))
        #expect(burn.hasSuffix("/h (drains too slowly to measure yet)"))
        let empty = lines.first { $0.hasPrefix(" Wallet at $0.00 ") } ?? ""
        #expect(empty.hasPrefix(" Wallet at $0.00      not before 2027-"))
        #expect(empty.contains(" (> "))
    }

    @Test func detailListsWalletReadingsNewestFirst() {
        var state = openState()
        for step in 1...2 {
            var drained = Fixtures.traveler
            drained.walletBalance = Money(cents: 1_250 - Int64(step) * 50)
            let time = Fixtures.now.addingTimeInterval(Double(step) * 600 - 12)
            _ = state.reduce(.tick(time))
            _ = state.reduce(.fleetChanged(FleetChangeBatch(changed: [drained], observedAt: time)))
        }
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[11] == " Burn rate            $3.00/h (± $0.15/h)")
        #expect(lines[13] == " Wallet at $0.00      in 3h35m (11:54:48)")
        let readings = lines.firstIndex { $0.hasPrefix(" Wallet readings") }!
        #expect(Array(lines[(readings + 1)...(readings + 3)]) == [
            "   08:19:48           $11.50",
            "   08:09:48           $12.00",
            "   07:59:48           $12.50",
        ])
    }

    @Test func hostileFieldsAreSanitized() {
        var hostile = Self.travelerDetail
        hostile.label = "evil\u{1B}[2J"
        hostile.lpaString = "LPA:1$\u{202E}x"
        var state = Fixtures.state(width: 100, height: 30, esims: [hostile])
        _ = press([.enter], in: &state)
        _ = state.reduce(.fleetChanged(FleetChangeBatch(observedAt: Fixtures.now, detail: hostile)))
        let buffer = DashboardView.render(state, theme: .builtIn)
        let lines = buffer.lines()

        #expect(lines[4] == " Label                evil␛[2J")
        // The code on the right narrows the fields, so the wallet takes two rows.
        #expect(Self.trimmedText(of: buffer, y: 19, columns: 0..<62) == " LPA string           LPA:1$\u{FFFD}x")
        #expect(!lines.joined().unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test func scrollStopsAtLastLine() {
        var state = openState(width: 80, height: 12)
        _ = press(Array(repeating: .down, count: 60), in: &state)
        let maximum = DetailView.maximumScroll(state)

        #expect(maximum > 0)
        #expect(state.detailScroll == maximum)
        _ = press([.up], in: &state)
        #expect(state.detailScroll == maximum - 1)
    }

    @Test func qrCodeDrawnRightOfFieldsWhenWide() {
        let state = withDetail(openState(width: 100, height: 30))
        let buffer = DashboardView.render(state, theme: .builtIn)

        // Pinned under the title row against the right edge, from column 63.
        let rows = (4..<23).map { Self.text(of: buffer, y: $0, columns: 63..<100) }
        #expect(rows == Self.travelerCodeRows)
        #expect(Self.text(of: buffer, y: 6, columns: 0..<100)
            == " Group                —" + String(repeating: " ", count: 40) + "    █▀▀▀▀▀█ █▀██ █▀▀▄▄█▀  █▀▀▀▀▀█    ")
        for y in 4..<23 {
            #expect(buffer[62, y].style == Theme.builtIn.tableRow, "gap column, row \(y)")
            #expect((63..<100).allSatisfy { buffer[$0, y].style == QRCodeBlock.style }, "row \(y)")
        }
        #expect(buffer[63, 23].style == Theme.builtIn.tableRow)
        #expect(buffer.isConsistent)
    }

    @Test func qrCodeStyleIsBlackOnWhite() {
        #expect(QRCodeBlock.style == CellStyle(foreground: .black, background: .white))
    }

    @Test func qrCodeStaysPinnedWhileFieldsScroll() {
        // 20 body rows, so the fields scroll and the code's 19 rows fit.
        var state = withDetail(openState(width: 100, height: 26))
        _ = press([.down, .down, .down], in: &state)
        let buffer = DashboardView.render(state, theme: .builtIn)

        #expect(state.detailScroll == 3)
        #expect(Self.text(of: buffer, y: 4, columns: 0..<30) == " Status               active  ")
        #expect((4..<23).map { Self.text(of: buffer, y: $0, columns: 63..<100) } == Self.travelerCodeRows)
    }

    @Test func qrCodeBelowFieldsWhenNarrow() {
        let state = withDetail(openState(width: 80, height: 60))
        let buffer = DashboardView.render(state, theme: .builtIn)
        let lines = buffer.lines()

        let qrLine = lines.firstIndex { $0.hasPrefix(" QR code") }
        #expect(qrLine == 21)
        #expect(lines[21] == " QR code              below, encoding the LPA string: version 3, 29×29 modules")
        // Under the value column, from column 22, right after the "QR code" row.
        let rows = (22..<41).map { Self.text(of: buffer, y: $0, columns: 22..<59) }
        #expect(rows == Self.travelerCodeRows)
        #expect(lines[41] == "")
        #expect(lines[42].hasPrefix(" Wallet readings"))
        #expect(Self.text(of: buffer, y: 24, columns: 0..<22) == String(repeating: " ", count: 22))
    }

    @Test func qrCodeRowsCountInMaximumScroll() {
        var state = withDetail(openState(width: 80, height: 30))
        let content = DetailView.content(state, theme: .builtIn, placement: DetailView.qrCodePlacement(state))

        #expect(content.qrRows == 18..<37)
        #expect(DetailView.maximumScroll(state) == content.lines.count - 24)

        // At the maximum, the last wallet reading sits on the last of the 24 body rows.
        _ = press(Array(repeating: .down, count: 60), in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()
        let last = content.lines.last?.value ?? "none"
        #expect(lines[27].hasSuffix(last))
        #expect(lines[27] != "")
    }

    @Test func qrCodeCutByScrollShowsHint() {
        // 24 body rows: the code's 19 rows start at content row 18, so it is cut at first.
        var state = withDetail(openState(width: 80, height: 30))
        var lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines[22] == "                      ↓ scroll (j) for the whole QR code")
        #expect(!lines.contains { $0.contains("█▀▀▀▀▀█") })

        _ = press(Array(repeating: .down, count: 13), in: &state)
        let buffer = DashboardView.render(state, theme: .builtIn)
        lines = buffer.lines()
        #expect(lines[8] == " QR code              below, encoding the LPA string: version 3, 29×29 modules")
        #expect((9..<28).map { Self.text(of: buffer, y: $0, columns: 22..<59) } == Self.travelerCodeRows)
    }

    @Test func qrCodeScrolledPastShowsUpHint() {
        // 19 body rows: the code's 19 rows fit exactly, from content row 18.
        var state = withDetail(openState(width: 80, height: 25))
        _ = press(Array(repeating: .down, count: 19), in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(state.detailScroll == 19)
        #expect(lines[4] == "                      ↑ scroll (k) for the whole QR code")
        #expect(!lines.contains { $0.contains("█▀▀▀▀▀█") })
    }

    @Test func qrCodeQuietZoneShrinksToFit() {
        // 18 body rows: a quiet zone of 4 needs 19 rows, one of 3 needs 18.
        let state = withDetail(openState(width: 80, height: 24))
        let placement = DetailView.qrCodePlacement(state)

        guard case .below(let block) = placement else {
            Issue.record("Expected the code below the fields, got \(placement)")
            return
        }
        #expect(block.quietZone == 3)
        #expect(block.rows == 18)
        #expect(block.text(ofRow: 1) == "   ▄▄▄▄▄▄▄ ▄▄▄▄ ▄▄▄  ▄▄  ▄▄▄▄▄▄▄   ")
    }

    @Test func qrCodeOnShortScreenAsksForSize() {
        // 14 body rows, and the code needs 17 with a quiet zone of 2.
        var state = withDetail(openState(width: 80, height: 20))
        _ = press(Array(repeating: .down, count: 10), in: &state)
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(lines.contains(" QR code              make the terminal at least 23 rows tall to show it"))
        #expect(!lines.contains { $0.contains("▀") || $0.contains("▄") || $0.contains("█") })
    }

    @Test func qrCodeSizeRequestCountsEventsPane() {
        var state = withDetail(openState(width: 80, height: 30))
        state.layout.showsEvents = true

        // The pane takes a third of the body, at least 3 rows.
        #expect(DetailView.qrCodePlacement(state) == .screenTooSmall(
            minimumWidth: 60, minimumHeight: 31, isWideEnough: true, isTallEnough: false))
    }

    @Test func qrCodeWaitsForInteractiveRead() {
        let buffer = DashboardView.render(openState(width: 100, height: 30), theme: .builtIn)
        let lines = buffer.lines()

        #expect(lines[20] == " QR code              reading through the interactive lane…")
        #expect((4..<26).allSatisfy { y in (0..<100).allSatisfy { buffer[$0, y].style != QRCodeBlock.style } })
    }

    @Test func qrCodeMissingLPAStringSaysSo() {
        var detail = Self.travelerDetail
        detail.lpaString = nil
        let lines = DashboardView.render(withDetail(openState(), detail: detail), theme: .builtIn).lines()

        #expect(lines.contains(" QR code              — (the SIM has no LPA string to encode)"))
    }

    @Test func qrCodeTooLongLPAStringSaysSo() {
        var detail = Self.travelerDetail
        detail.lpaString = "LPA:1$smdp.example.com$" + String(repeating: "A", count: 277)
        let state = withDetail(openState(), detail: detail)
        let lines = DashboardView.render(state, theme: .builtIn).lines()

        #expect(DetailView.qrCodePlacement(state) == .tooLong(byteCount: 300))
        let row = lines.firstIndex { $0.hasPrefix(" QR code") } ?? 0
        // The message wraps over the rows down to the blank row before the readings.
        let text = lines[row...].prefix { !$0.isEmpty }.map { $0.dropFirst(22) }.joined(separator: " ")
        #expect(text == "not drawn: the LPA string is 300 bytes, over the 213-byte limit of the QR encoder (version 10, level M). Enter the LPA string on the phone instead.")
    }
}
