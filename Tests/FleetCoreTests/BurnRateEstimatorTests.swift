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

    @Test func roundingNoiseDoesNotRestartOrGoNegative() throws {
        // A flat wallet whose display wobbles by a cent: the rate stays near zero.
        let history = readings([(0, 1000), (300, 999), (600, 1000), (900, 999), (1200, 1000)])
        let rate = estimator.burnRate(of: history)
        let centsPerHour = try #require(rate.centsPerHour)
        #expect(centsPerHour >= 0)
        #expect(centsPerHour < 2)
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

    @Test func etaFormatting() {
        let now = testEpoch
        #expect(WalletETA.at(now.addingTimeInterval(45 * 60)).formatted(from: now) == "45m")
        #expect(WalletETA.at(now.addingTimeInterval(3 * 3600 + 20 * 60)).formatted(from: now) == "3h20m")
        #expect(WalletETA.at(now.addingTimeInterval(52 * 3600)).formatted(from: now) == "2d4h")
        #expect(WalletETA.never.formatted(from: now) == "never")
        #expect(WalletETA.unknown.formatted(from: now) == "unknown")
    }
}
