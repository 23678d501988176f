import CitrusAPI
import Foundation
import Testing
@testable import FleetCore

@Suite struct FleetQueryParseTests {
    func predicates(_ text: String) throws -> [FleetQueryPredicate] {
        try FleetQuery.parse(text).terms.map(\.predicate)
    }

    func error(_ text: String) -> String? {
        do {
            _ = try FleetQuery.parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func emptyQueryHasNoTerms() throws {
        #expect(try FleetQuery.parse("   ").terms.isEmpty)
    }

    @Test func freeTextAndFields() throws {
        #expect(try predicates("berlin") == [.text(TextPattern("berlin"))])
        #expect(try predicates("status:active") == [.status(.active)])
        #expect(try predicates("Status:SUSPENDED") == [.status(.suspended)])
        #expect(try predicates("label:trip") == [.label(TextPattern("trip"))])
        #expect(try predicates("ref:EMP-*") == [.reference(TextPattern("EMP-*"))])
        #expect(try predicates("group:grp_1") == [.group(TextPattern("grp_1"))])
        #expect(try predicates("iccid:8910*") == [.iccid(TextPattern("8910*"))])
    }

    @Test func throttleValues() throws {
        #expect(try predicates("throttle:limited") == [.throttle(.limited)])
        #expect(try predicates("throttle:none") == [.throttle(.none)])
        #expect(try predicates("throttle:500") == [.throttle(.speed(.kbps500))])
        #expect(try predicates("throttle:5000k") == [.throttle(.speed(.kbps5000))])
        #expect(try predicates("throttle:SPEED_100_KBPS") == [.throttle(.speed(.kbps100))])
    }

    @Test func comparisons() throws {
        #expect(try predicates("wallet<5") == [.wallet(.less, .dollars(5))])
        #expect(try predicates("wallet>=20") == [.wallet(.greaterOrEqual, .dollars(20))])
        #expect(try predicates("wallet<=2.50") == [.wallet(.lessOrEqual, Money(cents: 250))])
        #expect(try predicates("wallet=0") == [.wallet(.equal, .zero)])
        #expect(try predicates("wallet>$1") == [.wallet(.greater, .dollars(1))])
        #expect(try predicates("eta<2h") == [.eta(.less, seconds: 7200)])
        #expect(try predicates("eta<30m eta>90s eta<=1d") == [.eta(.less, seconds: 1800), .eta(.greater, seconds: 90), .eta(.lessOrEqual, seconds: 86400)])
        #expect(try predicates("burn>0.5") == [.burn(.greater, centsPerHour: 50)])
    }

    @Test func flagsAndNegation() throws {
        let query = try FleetQuery.parse("stale -low depleted -status:active")
        #expect(query.terms == [
            FleetQueryTerm(.stale), FleetQueryTerm(negated: true, .low), FleetQueryTerm(.depleted),
            FleetQueryTerm(negated: true, .status(.active)),
        ])
    }

    @Test func quotedText() throws {
        #expect(try predicates("\"new york\"") == [.text(TextPattern("new york"))])
        #expect(try predicates("label:\"new york\"") == [.label(TextPattern("new york"))])
        #expect(try predicates("\"low\"") == [.text(TextPattern("low"))])
        #expect(try FleetQuery.parse("-\"new york\"").terms == [FleetQueryTerm(negated: true, .text(TextPattern("new york")))])
    }

    @Test func unknownComparisonNamesTheFix() {
        #expect(error("wallet~5") == "Unknown field \"wallet~5\": use wallet<5, wallet<=5, wallet>5, wallet>=5 or wallet=5.")
        #expect(error("eta:2h") == "Unknown field \"eta:2h\": use eta<2h, eta<=2h, eta>2h, eta>=2h or eta=2h.")
    }

    @Test func errorsNameTermAndFix() {
        #expect(error("foo:bar") == "Unknown field \"foo\" in foo:bar: use status:, throttle:, label:, ref:, group: or iccid:, or put the text in quotes to search for it.")
        #expect(error("status:sleeping") == "Unknown status \"sleeping\" in status:sleeping: use status:pending, status:active, status:suspended or status:terminated.")
        #expect(error("throttle:fast")?.hasPrefix("Unknown throttle \"fast\" in throttle:fast: use throttle:none") == true)
        #expect(error("wallet<abc") == "Invalid amount \"abc\" in wallet<abc: use dollars with at most two decimals, such as wallet<5 or wallet>=2.50.")
        #expect(error("wallet<1e3") != nil)
        #expect(error("wallet<-5") != nil)
        #expect(error("wallet<5.123") != nil)
        #expect(error("eta<2x") == "Invalid duration \"2x\" in eta<2x: use a whole number with s, m, h or d, such as eta<90s, eta<30m, eta<2h or eta<1d.")
        #expect(error("eta<h") != nil)
        #expect(error("burn>fast") == "Invalid burn rate \"fast\" in burn>fast: use dollars per hour, such as burn>0.5.")
        #expect(error("wallet<") == "Missing value in wallet<: use wallet<VALUE, such as wallet<5.")
        #expect(error("label:") == "Missing value in label:: use label:TEXT, such as label:berlin.")
        #expect(error("-") == "A lone \"-\" negates nothing: put it right before a term, such as -status:active.")
        #expect(error("label:\"new york") == "Unclosed quote in label:\"new york: end the text with a second \", such as label:\"new york\".")
        #expect(error("price<5") == "Unknown field in \"price<5\": compare wallet, eta or burn, such as wallet<5, eta<2h or burn>0.5.")
    }
}

@Suite struct FleetQueryEvaluationTests {
    /// Ten SIMs with a known mix, read every 2 minutes for 20 minutes.
    func fleet() -> FleetStore {
        var store = FleetStore(epoch: testEpoch)
        for step in 0...10 {
            let esims = [
                testESIM(1, walletCents: Int64(2000 - step * 10), label: "Trip Berlin 1", reference: "EMP-1"),
                testESIM(2, walletCents: Int64(400 - step * 4), label: "trip berlin 2", reference: "EMP-2"),
                testESIM(3, walletCents: 0, label: "Trip Paris 3", reference: "CUST-3"),
                testESIM(4, status: .suspended, walletCents: 300, label: "Kiosk Lyon", reference: "EMP-4", throttle: .kbps500),
                testESIM(5, walletCents: 3000, label: "Kiosk Nice", group: nil, throttle: .kbps100),
                testESIM(6, walletCents: nil, label: "Tracker 6", group: "grp_fleet"),
                testESIM(7, status: .terminated, walletCents: 0, label: "Old trip"),
                testESIM(8, status: .pending, walletCents: 1000, label: "Trip Rome 8", activatedAt: nil),
            ]
            _ = store.applyPage(esims, observedAt: at(Double(step * 120)))
        }
        return store
    }

    func numbers(_ text: String, _ store: FleetStore? = nil, now: Date = at(1200)) throws -> [Int] {
        let store = store ?? fleet()
        return store.select(try FleetQuery.parse(text), now: now, staleAfter: 600).map { Int(store.row($0).iccid.suffix(3))! }
    }

    @Test func freeTextSearchesLabelReferenceAndICCID() throws {
        #expect(try numbers("berlin") == [1, 2])
        #expect(try numbers("cust") == [3])
        #expect(try numbers(testICCID(5)) == [5])
    }

    @Test func statusAndThrottle() throws {
        #expect(try numbers("status:active") == [1, 2, 3, 5, 6])
        #expect(try numbers("throttle:limited") == [4, 5])
        #expect(try numbers("throttle:500") == [4])
        #expect(try numbers("-throttle:none") == [4, 5])
    }

    @Test func walletComparisonsSkipGroupSIMs() throws {
        #expect(try numbers("wallet<5") == [2, 3, 4, 7])
        #expect(try numbers("wallet>=20") == [5])
        #expect(try numbers("-wallet<5") == [1, 5, 6, 8])
    }

    @Test func lowAndDepletedExcludeTerminated() throws {
        #expect(try numbers("low") == [2, 4])
        #expect(try numbers("depleted") == [3])
    }

    @Test func referencePattern() throws {
        #expect(try numbers("ref:EMP-*") == [1, 2, 4])
        #expect(try numbers("ref:emp-?") == [1, 2, 4])
        #expect(try numbers("-ref:EMP-*") == [3, 5, 6, 7, 8])
    }

    @Test func groupField() throws {
        #expect(try numbers("group:fleet") == [6])
    }

    @Test func burnAndETA() throws {
        // SIM 1 burns $3/h from $19.00: about 6 h to $0. SIM 2 burns $1.20/h from $3.60: about 3 h.
        // Both ETAs are 15 minutes earlier for the reporting lag.
        #expect(try numbers("burn>0.5") == [1, 2])
        #expect(try numbers("burn>2") == [1])
        #expect(try numbers("eta<3h") == [2, 3, 7])
        #expect(try numbers("eta<3h status:active -depleted") == [2])
        #expect(try numbers("eta>1d") == [4, 5, 6, 8])
    }

    @Test func typicalQuery() throws {
        #expect(try numbers("status:active wallet<5 label:trip") == [2, 3])
    }

    @Test func staleAfterThreshold() throws {
        var store = fleet()
        _ = store.applyPage([testESIM(1, walletCents: 1900)], observedAt: at(2000))
        #expect(try numbers("stale", store, now: at(2000)) == [2, 3, 4, 5, 6, 7, 8])
        #expect(try numbers("-stale", store, now: at(2000)) == [1])
    }

    @Test func goneOnlyWhenAsked() throws {
        var store = fleet()
        store.beginSweep()
        _ = store.applyPage([testESIM(1, walletCents: 1890)], observedAt: at(1300))
        _ = store.completeSweep(at: at(1300))
        #expect(try numbers("", store) == [1])
        #expect(try numbers("gone", store) == [2, 3, 4, 5, 6, 7, 8])
    }
}

@Suite struct FleetSortTests {
    func store() -> FleetStore {
        var store = FleetStore(epoch: testEpoch)
        _ = store.applyPage([
            testESIM(1, walletCents: 500, label: "bravo"),
            testESIM(2, walletCents: 100, label: "Alpha"),
            ESIM(id: "esim_3", iccid: testICCID(3), status: .active),
            testESIM(4, walletCents: 500, label: "alpha"),
            testESIM(5, walletCents: 900, label: "charlie"),
        ], observedAt: at(0))
        return store
    }

    func sorted(_ key: FleetSortKey, ascending: Bool = true) -> [Int] {
        let store = store()
        return store.sort(store.select(.all, now: at(0), staleAfter: 60), by: FleetSortOrder(key, ascending: ascending), now: at(0))
            .map { Int($0.index) + 1 }
    }

    @Test func walletAscendingIsStableWithNilLast() {
        #expect(sorted(.wallet) == [2, 1, 4, 5, 3])
    }

    @Test func walletDescendingKeepsTieOrderAndNilLast() {
        #expect(sorted(.wallet, ascending: false) == [5, 1, 4, 2, 3])
    }

    @Test func labelIgnoresCaseThenBytes() {
        #expect(sorted(.label) == [2, 4, 1, 5, 3])
        #expect(sorted(.label, ascending: false) == [5, 1, 4, 2, 3])
    }

    @Test func sortKeepsInputOrderForTies() {
        let store = store()
        let input = [SIMHandle(3), SIMHandle(0)]
        #expect(store.sort(input, by: FleetSortOrder(.status), now: at(0)) == input)
    }

    @Test func everyKeySorts() {
        for key in FleetSortKey.allCases {
            #expect(sorted(key).count == 5, "sort by \(key.rawValue)")
        }
    }

    @Test func sortKeysParseFromNames() {
        #expect(FleetSortKey(rawValue: "eta_low") == .etaLow)
        #expect(FleetSortKey(rawValue: "last_seen") == .lastSeen)
    }
}

/// Queries and sorting over burn rates that are only upper bounds.
@Suite struct BoundQueryTests {
    /// Five SIMs read every 2 minutes for 20 minutes. SIM 1 burns a measured
    /// $1.20/h from $3.60 (about 2h45m left after the lag). SIMs 2 ($10.00)
    /// and 5 ($0.05) read flat, so they burn under 3 ¢/h, with more than 13d
    /// and more than 1h25m left. SIM 3 is suspended. SIM 4 has one reading.
    func store() -> FleetStore {
        var store = FleetStore(epoch: testEpoch)
        for step in 0...10 {
            var esims = [
                testESIM(1, walletCents: Int64(400 - step * 4)),
                testESIM(2, walletCents: 1000),
                testESIM(3, status: .suspended, walletCents: 1000),
                testESIM(5, walletCents: 5),
            ]
            if step == 10 { esims.insert(testESIM(4, walletCents: 1000), at: 3) }
            _ = store.applyPage(esims, observedAt: at(Double(step * 120)))
        }
        return store
    }

    func numbers(_ text: String) throws -> [Int] {
        let store = store()
        return store.select(try FleetQuery.parse(text), now: at(1200), staleAfter: 600).map { Int(store.row($0).iccid.suffix(3))! }
    }

    func sorted(_ key: FleetSortKey, ascending: Bool = true) -> [Int] {
        let store = store()
        return store.select(.all, sortedBy: FleetSortOrder(key, ascending: ascending), now: at(1200), staleAfter: 600)
            .map { Int(store.row($0).iccid.suffix(3))! }
    }

    @Test func fixtureHasBoundsAndEstimates() throws {
        let store = store()
        let flat = try #require(store.row(iccid: testICCID(2)))
        #expect(flat.metrics.burnRate == .below(centsPerHour: 3))
        #expect(flat.metrics.etaToZero.formatted(from: at(1200)) == "> 13d")
        let nearlyEmpty = try #require(store.row(iccid: testICCID(5)))
        #expect(nearlyEmpty.metrics.etaToZero.formatted(from: at(1200)) == "> 1h")
        let draining = try #require(store.row(iccid: testICCID(1)))
        #expect(draining.metrics.etaToZero.formatted(from: at(1200)) == "2h45m")
    }

    @Test func etaLessThanSkipsDistantBounds() throws {
        #expect(try numbers("eta<2h") == [5])
        #expect(try numbers("eta<3h") == [1, 5])
    }

    @Test func etaGreaterThanMatchesCertainBounds() throws {
        #expect(try numbers("eta>1d") == [2, 3])
    }

    @Test func burnGreaterThanSkipsBounds() throws {
        #expect(try numbers("burn>0.5") == [1])
        #expect(try numbers("burn>0.02") == [1, 2, 5])
    }

    @Test func burnLessThanMatchesBoundsBelowIt() throws {
        #expect(try numbers("burn<0.2") == [2, 3, 5])
        #expect(try numbers("burn<0.03") == [3])
    }

    @Test func etaSortPutsBoundsBetweenTimesAndNever() {
        #expect(sorted(.eta) == [5, 1, 2, 3, 4])
        #expect(sorted(.eta, ascending: false) == [3, 2, 1, 5, 4])
    }

    @Test func burnSortRanksBoundsAtTheirWorstCase() {
        #expect(sorted(.burn, ascending: false) == [1, 2, 5, 3, 4])
    }
}
