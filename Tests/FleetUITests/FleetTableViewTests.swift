import CitrusAPI
import FleetCore
import Foundation
import Testing
@testable import FleetUI

@Suite struct FleetTableViewTests {
    private func render(_ state: AppState) -> [String] {
        var buffer = ScreenBuffer(width: state.layout.width, height: state.layout.height)
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)
        return buffer.lines()
    }

    @Test func threeSIMsAt120Columns() {
        let lines = render(Fixtures.state(width: 120, height: 8))

        #expect(lines[1] == " ICCID                LABEL                                                   STATUS     WALLET USD CHARGED USD THROTTLE")
        #expect(lines[2] == " 8910300000000000012  Ana (Lisbon trip)                                       active          12.50        7.50 none")
        #expect(lines[3] == " 8910300000000000020  GPS tracker 0017                                        suspended        3.20    1,234.56 500k")
        #expect(lines[4] == " 89103000000000000038 Kiosk 東京 station                                      active           0.00       20.00 5000k")
        #expect(lines[5] == "")
    }

    @Test func narrowScreenDropsChargedColumn() {
        let lines = render(Fixtures.state(width: 60, height: 8))

        #expect(lines[1] == " ICCID                LABEL   STATUS     WALLET USD THROTTLE")
        #expect(lines[2] == " 8910300000000000012  Ana (L… active          12.50 none")
        #expect(lines[4] == " 89103000000000000038 Kiosk … active           0.00 5000k")
    }

    @Test func labelTruncatesAtWideGlyphBoundary() {
        // At 74 columns the label column is 9 wide: "Kiosk 東" is 8 columns,
        // and "京" would straddle the ellipsis, so it is dropped whole.
        let lines = render(Fixtures.state(width: 74, height: 8))

        #expect(lines[4].contains(" Kiosk 東… "))
    }

    @Test func selectedRowUsesSelectionStyle() {
        var state = Fixtures.state(width: 120, height: 12)
        _ = state.reduce(.key(.down))
        var buffer = ScreenBuffer(width: 120, height: 12)
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)

        #expect(buffer[0, 3].style == Theme.builtIn.tableSelection)
        #expect(buffer[119, 3].style == Theme.builtIn.tableSelection)
        #expect(buffer[0, 2].style == Theme.builtIn.tableRow)
    }

    @Test func walletBelowLowMarkIsHighlighted() {
        var buffer = ScreenBuffer(width: 120, height: 12)
        var state = Fixtures.state(width: 120, height: 12)
        _ = state.reduce(.key(.end))
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)
        let walletColumn = 1 + 20 + 1 + 55 + 1 + 10 + 1 + 9

        #expect(buffer[walletColumn, 3].style == Theme.builtIn.walletLow)
        #expect(buffer[walletColumn, 2].style == Theme.builtIn.tableRow)
    }

    @Test func lowWalletMarkComesFromSettings() {
        var buffer = ScreenBuffer(width: 120, height: 12)
        var state = Fixtures.state(width: 120, height: 12, metrics: MetricsConfiguration(lowWalletThreshold: .dollars(15)))
        _ = state.reduce(.key(.end))
        FleetTableView.draw(state, theme: .builtIn, into: &buffer)
        let walletColumn = 1 + 20 + 1 + 55 + 1 + 10 + 1 + 9

        #expect(buffer[walletColumn - 1, 2].style == Theme.builtIn.walletLow)
    }

    @Test func controlCharactersInLabelAreShownAsPlaceholders() {
        let hostile = ESIM(
            id: "esim_x", iccid: "8910300000000000046", status: .active,
            label: "evil\u{1B}[2J\u{202E}txt", walletBalance: .dollars(1), totalDataCharged: .zero)
        let lines = render(Fixtures.state(width: 120, height: 8, esims: [hostile]))

        #expect(lines[2].hasPrefix(" 8910300000000000046  evil␛[2J\u{FFFD}txt "))
        #expect(!lines.joined().unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test func emptyFleetBeforeFirstSweepSaysLoading() {
        let state = AppState(isDemo: true, isReadOnly: false, width: 80, height: 10, now: Fixtures.now)

        #expect(render(state)[2] == " Loading the fleet…")
    }

    @Test func scrollingKeepsSelectionVisible() {
        var state = Fixtures.state(width: 80, height: 10, esims: Fixtures.manySIMs(20))
        for _ in 0..<9 { _ = state.reduce(.key(.character("j"))) }
        let lines = render(state)

        // 6 body rows (10 − header, headings, status, footer); row 9 is the last visible.
        #expect(state.scrollTop == 4)
        #expect(lines[2].hasPrefix(" 8910300000000000004 "))
        #expect(lines[7].hasPrefix(" 8910300000000000009 "))
    }

    @Test func columnsFitEveryWidthFromMinimum() {
        for width in ScreenLayout.minimumWidth...200 {
            let columns = TableColumns.fitting(width: width)
            var used = 1 + 20 + 1 + columns.labelWidth + 1 + 10 + 1 + 10
            if columns.showsCharged { used += 1 + 11 }
            if columns.showsThrottle { used += 1 + 8 }
            #expect(used == width, "width \(width)")
        }
    }
}
