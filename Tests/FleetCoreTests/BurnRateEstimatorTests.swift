import CitrusAPI
import Foundation
import Testing
@testable import FleetCore

@Suite struct BurnRateEstimatorTests {
    let estimator = BurnRateEstimator()

    @Test func steadyDrainGivesDollarsPerHour() throws {
        // $1.20 per hour: 2 cents a minute, read every 2 minutes for 20 minutes.
        let history = drain(count: 11, fromCents: 2000, perStep: 4)
        let rate = estimator.burnRate(of: history)
        let centsPerHour = try #require(rate.centsPerHour)
        #expect(abs(centsPerHour - 120) < 0.001)
        #expect(rate.formatted == "$1.20/h")
    }

    @Test func twoReadingsAreUnknown() {
        let history = readings([(0, 2000), (1200, 1900)])
        #expect(estimator.burnRate(of: history) == .unknown)
    }

    @Test func spanUnderTenMinutesIsUnknown() {
        let history = readings([(0, 2000), (240, 1990), (540, 1980)])
        #expect(estimator.burnRate(of: history) == .unknown)
    }

    @Test func emptyHistoryIsUnknown() {
        #expect(estimator.burnRate(of: [WalletReading]()) == .unknown)
    }

    @Test func fundRestartsTheSegment() {
        // Draining 60 ¢/h, funded $20 at 1200 s, then only two readings after it.
        let history = readings([(0, 1000), (600, 990), (1200, 980), (1320, 2980), (1440, 2978)])
        #expect(estimator.burnRate(of: history) == .unknown)
    }

    @Test func rateAfterFundUsesOnlyReadingsAfterIt() throws {
        let before = drain(count: 6, fromCents: 1000, perStep: 10)
        let after = drain(start: 720, count: 7, fromCents: 3000, perStep: 2)
        let rate = estimator.burnRate(of: before + after)
        let centsPerHour = try #require(rate.centsPerHour)
        #expect(abs(centsPerHour - 60) < 0.001)
    }

    @Test func roundingNoiseDoesNotRestartOrGoNegative() {
        // A flat wallet whose display wobbles by a cent: only a bound of 1 ¢ over 20 minutes.
        let history = readings([(0, 1000), (300, 999), (600, 1000), (900, 999), (1200, 1000)])
        #expect(estimator.burnRate(of: history) == .below(centsPerHour: 3))
    }

    @Test func marginShrinksWithSpan() {
        let short = drain(count: 6, fromCents: 2000, perStep: 1)
        let long = drain(count: 31, fromCents: 2000, perStep: 1)
        guard case .estimated(_, let shortMargin) = estimator.burnRate(of: short),
              case .estimated(_, let longMargin) = estimator.burnRate(of: long) else {
            Issue.record("expected estimates")
            return
        }
        #expect(longMargin < shortMargin)
    }

    @Test func readingsOutsideWindowAreIgnored() throws {
        // A fast drain two hours ago, then a slow one within the last hour.
        let old = drain(count: 6, fromCents: 9000, perStep: 100)
        let recent = drain(start: 7200, count: 31, fromCents: 5000, perStep: 2)
        let centsPerHour = try #require(estimator.burnRate(of: old + recent).centsPerHour)
        #expect(abs(centsPerHour - 60) < 0.001)
    }

    @Test func etaSubtractsReportingLag() {
        // $10.00 above $0 at $1.00/h is 10 h, minus the 15-minute lag.
        let eta = estimator.eta(wallet: .dollars(10), readAt: testEpoch, mark: .zero,
                                rate: .estimated(centsPerHour: 100, marginCentsPerHour: 0))
        #expect(eta == .at(testEpoch.addingTimeInterval(10 * 3600 - 900)))
    }

    @Test func etaAtOrBelowMarkIsReached() {
        let eta = estimator.eta(wallet: .dollars(4), readAt: testEpoch, mark: .dollars(5), rate: .unknown)
        #expect(eta == .at(testEpoch))
        #expect(eta.formatted(from: testEpoch.addingTimeInterval(60)) == "now")
    }

    @Test func etaOfUnknownRateIsUnknown() {
        let eta = estimator.eta(wallet: .dollars(10), readAt: testEpoch, mark: .zero, rate: .unknown)
        #expect(eta == .unknown)
    }

    @Test func etaOfZeroRateIsNever() {
        let eta = estimator.eta(wallet: .dollars(10), readAt: testEpoch, mark: .zero,
                                rate: .estimated(centsPerHour: 0, marginCentsPerHour: 1))
        #expect(eta == .never)
    }

    @Test func flatWalletInWindowIsABound() {
        // The wallet dropped 1 ¢ over 2 h, read every 10 min, and read flat in the last hour.
        let history = oneCentOverTwoHours(stepAt: 3000)
        let rate = estimator.burnRate(of: history)
        #expect(rate == .below(centsPerHour: 1))
        #expect(rate.formatted == "< $0.01/h")
        #expect(rate.centsPerHour == nil)
        #expect(rate.worstCaseCentsPerHour == 1)
    }

    @Test func oneCentStepInWindowIsABound() {
        // The same wallet with its 1 ¢ step inside the last hour: below (1 + 1) ¢ per hour.
        let history = oneCentOverTwoHours(stepAt: 4200)
        let rate = estimator.burnRate(of: history)
        #expect(rate == .below(centsPerHour: 2))
        #expect(rate.formatted == "< $0.02/h")
    }

    @Test func boundGivesLowerBoundETA() {
        // $9.99 at under 1 ¢/h lasts more than 999 h. The 15-minute lag comes off.
        let rate = estimator.burnRate(of: oneCentOverTwoHours(stepAt: 3000))
        let readAt = at(7200)
        let eta = estimator.eta(wallet: Money(cents: 999), readAt: readAt, mark: .zero, rate: rate)
        #expect(eta == .after(readAt.addingTimeInterval(999.0 * 3600 - 900)))
        #expect(eta.formatted(from: readAt) == "> 41d")
        #expect(eta != .never)
    }

    @Test func longBoundsFitSevenColumns() {
        let now = at(0)
        #expect(WalletETA.after(now.addingTimeInterval(400 * 86_400)).formatted(from: now) == "> 1y")
        #expect(WalletETA.after(now.addingTimeInterval(20_833 * 86_400)).formatted(from: now) == "> 57y")
        #expect(WalletETA.after(now.addingTimeInterval(9e12)).formatted(from: now) == "> 9999y")
    }

    @Test func flatWalletWithRisingChargeIsMeasured() {
        // The wallet reads $10.00 for an hour while the charged total rises 1 ¢ every 10 min.
        let history = (0...6).map { step in
            WalletReading(seconds: Int32(step * 600), cents: 1000, chargedCents: 500 + Int32(step))
        }
        let rate = estimator.burnRate(of: history)
        #expect(rate == .estimated(centsPerHour: 6, marginCentsPerHour: 5))
        #expect(rate.formatted == "$0.06/h")
    }

    @Test func smallChargeRiseKeepsTheTighterBound() {
        // The charged total rose 2 ¢ in the hour: the wallet's bound (0 + 1) beats the charge's (2 + 1).
        let history = (0...6).map { step in
            WalletReading(seconds: Int32(step * 600), cents: 1000, chargedCents: 500 + Int32(step / 3))
        }
        #expect(estimator.burnRate(of: history) == .below(centsPerHour: 1))
    }

    @Test func idleSIMDoesNotDrainAfterIdleSpan() {
        let history = (0...6).map { step in
            WalletReading(seconds: Int32(step * 600), cents: 1000, chargedCents: 500)
        }
        #expect(estimator.burnRate(of: history, chargeFlatSeconds: 86_400) == .notDraining)
        #expect(estimator.burnRate(of: history, chargeFlatSeconds: 86_399) == .below(centsPerHour: 1))
        #expect(estimator.burnRate(of: history) == .below(centsPerHour: 1))
    }

    @Test func idleNeedsAKnownChargedTotal() {
        // Without a charged total the estimator cannot tell idle from slow.
        let history = (0...6).map { step in WalletReading(seconds: Int32(step * 600), cents: 1000) }
        #expect(estimator.burnRate(of: history, chargeFlatSeconds: 86_400) == .below(centsPerHour: 1))
    }

    @Test func fundIsNotUsageAndBoundsStartAfterIt() {
        // Draining 60 ¢/h, funded $20 at 720 s, then flat for 20 minutes with a flat charged total.
        let before = (Int32(0)...5).map { (step: Int32) -> WalletReading in
            WalletReading(seconds: step * 120, cents: 1000 - step * 2, chargedCents: 100 + step * 2)
        }
        let after = (Int32(0)...10).map { (step: Int32) -> WalletReading in
            WalletReading(seconds: 720 + step * 120, cents: 2990, chargedCents: 110)
        }
        let rate = estimator.burnRate(of: before + after)
        #expect(rate == .below(centsPerHour: 3))
        let eta = estimator.eta(wallet: Money(cents: 2990), readAt: at(1920), mark: .dollars(5), rate: rate)
        #expect(eta == .after(at(1920).addingTimeInterval(2490.0 / 3 * 3600 - 900)))
    }

    @Test func fundedWalletDrainingFastIsMeasured() {
        // Funded to $30, then 30 ¢ every 2 minutes: a measured $9.00/h, not a bound.
        let rate = estimator.burnRate(of: drain(count: 11, fromCents: 3000, perStep: 30))
        #expect(rate.centsPerHour.map { abs($0 - 900) < 0.001 } == true)
    }

    @Test func etaFormatsLowerBounds() {
        let now = testEpoch
        #expect(WalletETA.after(now.addingTimeInterval(9 * 86_400 + 3600)).formatted(from: now) == "> 9d1h")
        #expect(WalletETA.after(now.addingTimeInterval(12 * 86_400 + 5 * 3600)).formatted(from: now) == "> 12d")
        #expect(WalletETA.after(now.addingTimeInterval(3 * 86_400)).formatted(from: now) == "> 3d")
        #expect(WalletETA.after(now.addingTimeInterval(35 * 3600 + 10 * 60)).formatted(from: now) == "> 35h")
        #expect(WalletETA.after(now.addingTimeInterval(45 * 60)).formatted(from: now) == "> 45m")
        #expect(WalletETA.after(now.addingTimeInterval(30)).formatted(from: now) == "> 0m")
        #expect(WalletETA.after(now.addingTimeInterval(-60)).formatted(from: now) == "> 0m")
        #expect(WalletETA.after(now.addingTimeInterval(7200)).seconds(from: now) == 7200)
    }

    @Test func boundFormatsRoundedUp() {
        #expect(BurnRate.below(centsPerHour: 1.2).formatted == "< $0.02/h")
        #expect(BurnRate.below(centsPerHour: 0.1).formatted == "< $0.01/h")
        #expect(BurnRate.below(centsPerHour: 250).formatted == "< $2.50/h")
    }

    @Test func etaFormatting() {
        let now = testEpoch
        #expect(WalletETA.at(now.addingTimeInterval(45 * 60)).formatted(from: now) == "45m")
        #expect(WalletETA.at(now.addingTimeInterval(3 * 3600 + 20 * 60)).formatted(from: now) == "3h20m")
        #expect(WalletETA.at(now.addingTimeInterval(52 * 3600)).formatted(from: now) == "2d4h")
        #expect(WalletETA.never.formatted(from: now) == "never")
        #expect(WalletETA.unknown.formatted(from: now) == "unknown")
    }

    @Test func rateChangeDropsOlderReadings() throws {
        // $1.80/h for an hour, then 36 ¢/h for 40 minutes, read every 10 minutes.
        let fast = drain(start: 0, every: 600, count: 6, fromCents: 296, perStep: 30)
        let slow = drain(start: 3600, every: 600, count: 5, fromCents: 116, perStep: 6)
        let rate = estimator.burnRate(of: fast + slow)
        let centsPerHour = try #require(rate.centsPerHour)
        #expect(abs(centsPerHour - 36) < 0.001)
    }

    @Test func rateChangeIsUnknownUntilThreeReadings() {
        // A wallet flat for an hour that starts draining: two readings on the new line are too few.
        let flat = drain(start: 0, every: 600, count: 7, fromCents: 445, perStep: 0)
        let draining = [WalletReading(seconds: 4200, cents: 430)]
        #expect(estimator.burnRate(of: flat + draining) == .unknown)
    }

    @Test func roundingStaysOnTheLine() throws {
        // 50 ¢/h read every 10 minutes and rounded down: 8.33 ¢ per step never splits the segment.
        let history = (Int32(0)...6).map { step in
            WalletReading(seconds: step * 600, cents: 1000 - (step * 25) / 3)
        }
        guard case .estimated(let centsPerHour, _) = estimator.burnRate(of: history) else {
            Issue.record("expected an estimate")
            return
        }
        #expect(abs(centsPerHour - 50) < 2)
    }

    @Test func emptyWalletDoesNotDrain() {
        // Drained at $1.20/h down to $0.00, then read at $0.00 twice.
        let draining = drain(start: 0, every: 600, count: 5, fromCents: 80, perStep: 20)
        let empty = [WalletReading(seconds: 3000, cents: 0), WalletReading(seconds: 3600, cents: 0)]
        let rate = estimator.burnRate(of: draining + empty)
        #expect(rate == .notDraining)
        #expect(rate.worstCaseCentsPerHour == 0)
    }

    @Test func hourlyReadingsGiveARate() throws {
        // `refresh_interval_seconds = 3600`: 50 ¢ per hour, read once an hour.
        let history = drain(start: 0, every: 3600, count: 3, fromCents: 2000, perStep: 50)
        let centsPerHour = try #require(estimator.burnRate(of: history).centsPerHour)
        #expect(abs(centsPerHour - 50) < 0.001)
    }

    @Test func widenedWindowStopsAtADay() {
        // Readings 13 hours apart: the newest three span 26 hours, more than the day cap.
        let history = drain(start: 0, every: 46_800, count: 3, fromCents: 2000, perStep: 50)
        #expect(estimator.burnRate(of: history) == .unknown)
        #expect(estimator.effectiveWindow(of: history) == 86_400)
    }

    @Test func closeReadingsKeepTheHourWindow() {
        let history = drain(count: 11, fromCents: 2000, perStep: 4)
        #expect(estimator.effectiveWindow(of: history) == 3600)
    }

    /// Makes readings of a wallet read every 10 minutes for 2 hours, at $10.00
    /// until `stepAt` seconds and $9.99 after, without charged totals.
    private func oneCentOverTwoHours(stepAt: Int32) -> [WalletReading] {
        (0...12).map { step in
            let seconds = Int32(step * 600)
            return WalletReading(seconds: seconds, cents: seconds < stepAt ? 1000 : 999)
        }
    }
}
