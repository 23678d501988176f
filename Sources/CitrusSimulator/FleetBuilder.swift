import CitrusAPI

/// Builds the fleet an account starts with, from the seed. SIMs are created in
/// ascending `created_at`, so the fleet array is also the list order.
enum FleetBuilder {
    private static let dayMillis: Int64 = 86_400_000
    private static let minuteMillis: Int64 = 60_000

    static func populate(_ account: inout ResellerAccount, preset: FleetPreset, now: Int64) {
        var random = SeededGenerator(seed: SeededHash.hash(account.seed, 8))
        switch preset {
        case .empty:
            return
        case .demo:
            addTrackers(&account, count: 200, now: now, random: &random)
            addDemoPayAsYouGo(&account, now: now)
            addGroupTrip(&account, count: 30, city: "Berlin", countryISO2: "DE", arrivingAtStart: true, now: now, random: &random)
        case .mix(let iot, let travel, let payg):
            addTrackers(&account, count: iot, now: now, random: &random)
            addPayAsYouGo(&account, count: payg, now: now, random: &random)
            addTrips(&account, count: travel, now: now, random: &random)
        }
    }

    // MARK: Trackers

    /// GPS trackers: "Tracker 0001", funded $9, throttled to 100 kbps, active for weeks.
    private static func addTrackers(_ account: inout ResellerAccount, count: Int, now: Int64, random: inout SeededGenerator) {
        guard count > 0 else { return }
        let homes = ["US", "DE", "NL", "AU", "GB", "BR"].compactMap(RatesTable.index(iso2:))
        let start = now - 30 * dayMillis
        let width = max(4, String(count).count)
        for number in 1...count {
            let created = start + Int64(number) * (20 * dayMillis / Int64(count))
            let label = "Tracker " + zeroPadded(number, width)
            let country = homes[Int(random.next() % UInt64(homes.count))]
            let index = account.addESIM(createdAt: created, label: label, endUserReference: "TRK-" + zeroPadded(number, width), groupID: nil, profile: .iotTracker, countries: [country])
            let walletCents = Int64.random(in: 250...900, using: &random)
            setHistory(&account, index, fundedCents: 900, walletCents: walletCents, activatedAt: created + 2 * 60 * minuteMillis, now: now)
            account.esims[index].throttle = .kbps100
        }
    }

    // MARK: Group trips

    /// Adds one group trip: "Anna Schmidt - Berlin Trip", references EMP-001…
    ///
    /// A trip `arrivingAtStart` lands as the run starts, so its tour leader watches
    /// the check-ins: a few travelers installed their eSIM at home, one never does,
    /// and the rest install and activate during the first three simulated hours.
    /// Otherwise the trip is under way: most travelers are active, a few install
    /// during the first simulated hours, and one never does.
    private static func addGroupTrip(_ account: inout ResellerAccount, count: Int, city: String, countryISO2: String, arrivingAtStart: Bool = false, now: Int64, random: inout SeededGenerator, referenceOffset: Int = 0) {
        guard count > 0 else { return }
        let country = RatesTable.index(iso2: countryISO2) ?? RatesTable.germany
        let start = now - 3 * dayMillis
        var arrivals = 0
        for number in 1...count {
            let created = start + Int64(number) * minuteMillis
            let name = travelerName(number + referenceOffset, random: &random)
            let reference = "EMP-" + zeroPadded(number + referenceOffset, 3)
            let index = account.addESIM(createdAt: created, label: name + " - " + city + " Trip", endUserReference: reference, groupID: nil, profile: .traveler, countries: [country])
            let usedWalletCents = Int64.random(in: 900...2_400, using: &random)
            let activation: Int64?
            switch number % 10 {
            case 3 where number <= 23:
                // Installs during the first simulated hours of the run.
                activation = now + Int64(number) * 7 * minuteMillis
            case 7 where number == 27:
                activation = nil
            default:
                activation = created + Int64.random(in: 60...2_000, using: &random) * minuteMillis
            }
            guard arrivingAtStart else {
                let activeBeforeStart = activation.map { $0 <= now } ?? false
                setHistory(&account, index, fundedCents: 2_500, walletCents: activeBeforeStart ? usedWalletCents : 2_500, activatedAt: activation, now: now)
                continue
            }

            // The random draws above stay the same for an arriving trip, so its
            // labels and the rest of the seeded fleet do not change.
            switch arrivalCheckIn(number) {
            case .atHome:
                setHistory(&account, index, fundedCents: 2_500, walletCents: usedWalletCents, activatedAt: activation, now: now)
            case .never:
                setHistory(&account, index, fundedCents: 2_500, walletCents: 2_500, activatedAt: nil, now: now)
            case .onArrival:
                let jitterMinutes = Int64(SeededHash.hash(account.seed, account.esims[index].serial, 9) % 5)
                let activatedAt = now + (5 + 7 * Int64(arrivals) + jitterMinutes) * minuteMillis
                setHistory(&account, index, fundedCents: 2_500, walletCents: 2_500, activatedAt: activatedAt, now: now)
                if arrivals % 3 == 0 {
                    // Scanned the QR code at home, so the profile is downloaded but not yet installed.
                    account.esims[index].downloadedAt = created + 20 * 60 * minuteMillis
                }
                arrivals += 1
            }
        }
    }

    private enum TripCheckIn {
        /// Installed and activated before departure, with usage since.
        case atHome
        /// Still pending at the start; installs and activates after landing.
        case onArrival
        /// Never installs the profile.
        case never
    }

    /// Plans traveler `number` (from 1) of an arriving trip: six installed at home
    /// (1, 6, 11, …), number 27 never, the others on arrival.
    private static func arrivalCheckIn(_ number: Int) -> TripCheckIn {
        if number == 27 { return .never }
        return number % 5 == 1 ? .atHome : .onArrival
    }

    /// Generated trips of 30 travelers each, for `--fleet travel:N`.
    private static func addTrips(_ account: inout ResellerAccount, count: Int, now: Int64, random: inout SeededGenerator) {
        let destinations: [(city: String, iso2: String)] = [("Berlin", "DE"), ("Tokyo", "JP"), ("Lisbon", "PT"), ("Bangkok", "TH"), ("Cape Town", "ZA"), ("Lima", "PE"), ("Sydney", "AU"), ("New York", "US")]
        var remaining = count
        var trip = 0
        while remaining > 0 {
            let size = min(30, remaining)
            let destination = destinations[trip % destinations.count]
            addGroupTrip(&account, count: size, city: destination.city, countryISO2: destination.iso2, now: now, random: &random, referenceOffset: count - remaining)
            remaining -= size
            trip += 1
        }
    }

    // MARK: Pay-as-you-go

    private struct TravelerPlan {
        var label: String
        var profile: UsageProfile
        var countries: [String]
        var fundedCents: Int64
        var walletCents: Int64
        /// Minutes from the start of the run until activation; negative: already active; nil: never.
        var activationMinutes: Int64?
    }

    /// Adds the demo's dozen travelers: $30–$50 funds, three pending (one installs
    /// after 90 simulated minutes), four near $5, and exactly one depleted at $0.
    private static func addDemoPayAsYouGo(_ account: inout ResellerAccount, now: Int64) {
        let plans = [
            TravelerPlan(label: "PAYG - Maria Lopez", profile: .traveler, countries: ["ES", "PT"], fundedCents: 5_000, walletCents: 4_210, activationMinutes: -3_000),
            TravelerPlan(label: "Unlimited - Kenji Watanabe", profile: .heavyStreamer, countries: ["JP"], fundedCents: 5_000, walletCents: 3_560, activationMinutes: -1_500),
            TravelerPlan(label: "PAYG - Lucas Martin", profile: .traveler, countries: ["FR", "IT", "CH"], fundedCents: 4_000, walletCents: 535, activationMinutes: -4_200),
            TravelerPlan(label: "PAYG - Priya Sharma", profile: .traveler, countries: ["TH", "VN"], fundedCents: 3_000, walletCents: 580, activationMinutes: -2_600),
            TravelerPlan(label: "Unlimited - Noah Williams", profile: .heavyStreamer, countries: ["US", "MX"], fundedCents: 5_000, walletCents: 620, activationMinutes: -5_000),
            TravelerPlan(label: "PAYG - Sofia Rossi", profile: .traveler, countries: ["GR"], fundedCents: 3_000, walletCents: 475, activationMinutes: -3_900),
            TravelerPlan(label: "PAYG - Omar Haddad", profile: .traveler, countries: ["MA", "EG"], fundedCents: 3_000, walletCents: 0, activationMinutes: -6_000),
            TravelerPlan(label: "PAYG - Emma Johansson", profile: .idle, countries: ["NO", "IS"], fundedCents: 4_000, walletCents: 3_140, activationMinutes: -2_000),
            TravelerPlan(label: "Unlimited - Chen Wei", profile: .heavyStreamer, countries: ["SG", "ID"], fundedCents: 5_000, walletCents: 4_490, activationMinutes: -700),
            TravelerPlan(label: "PAYG - Liam O'Brien", profile: .traveler, countries: ["NZ", "AU"], fundedCents: 3_000, walletCents: 3_000, activationMinutes: 90),
            TravelerPlan(label: "Unlimited - Ana Souza", profile: .heavyStreamer, countries: ["BR", "AR"], fundedCents: 4_000, walletCents: 4_000, activationMinutes: nil),
            TravelerPlan(label: "PAYG - Yuki Tanaka", profile: .traveler, countries: ["JP", "KR"], fundedCents: 5_000, walletCents: 5_000, activationMinutes: nil),
        ]
        let start = now - 10 * dayMillis
        for (position, plan) in plans.enumerated() {
            let created = start + Int64(position) * 13 * 60 * minuteMillis
            addPlan(&account, plan, reference: "PAYG-" + zeroPadded(position + 1, 3), createdAt: created, now: now)
        }
    }

    /// Generated pay-as-you-go travelers for `--fleet payg:N`.
    private static func addPayAsYouGo(_ account: inout ResellerAccount, count: Int, now: Int64, random: inout SeededGenerator) {
        guard count > 0 else { return }
        let start = now - 10 * dayMillis
        for number in 1...count {
            let unlimited = random.next() % 3 == 0
            let funded = Int64.random(in: 3...5, using: &random) * 1_000
            let roll = random.next() % 10
            let wallet: Int64 = roll == 0 ? 0 : (roll < 3 ? Int64.random(in: 450...700, using: &random) : Int64.random(in: 1_000...funded, using: &random))
            let activation: Int64? = roll == 9 ? nil : -Int64.random(in: 60...6_000, using: &random)
            let first = RatesTable.countries.indices.randomElement(using: &random) ?? 0
            let plan = TravelerPlan(
                label: (unlimited ? "Unlimited - " : "PAYG - ") + travelerName(number + 7, random: &random),
                profile: unlimited ? .heavyStreamer : .traveler,
                countries: [RatesTable.countries[first].iso2],
                fundedCents: funded,
                walletCents: activation == nil ? funded : wallet,
                activationMinutes: activation
            )
            let created = start + Int64(number) * (9 * dayMillis / Int64(count))
            addPlan(&account, plan, reference: "PAYG-" + zeroPadded(number, 4), createdAt: created, now: now)
        }
    }

    private static func addPlan(_ account: inout ResellerAccount, _ plan: TravelerPlan, reference: String, createdAt: Int64, now: Int64) {
        let countries = plan.countries.compactMap(RatesTable.index(iso2:))
        let index = account.addESIM(createdAt: createdAt, label: plan.label, endUserReference: reference, groupID: nil, profile: plan.profile, countries: countries)
        let activation = plan.activationMinutes.map { now + $0 * minuteMillis }
        setHistory(&account, index, fundedCents: plan.fundedCents, walletCents: plan.walletCents, activatedAt: activation.map { max($0, createdAt + minuteMillis) }, now: now)
    }

    // MARK: History

    /// Gives a SIM its past: one fund shortly after creation, the usage so far
    /// (the difference to `walletCents`), and its activation. Events of the past
    /// are not replayed; thresholds already crossed are disarmed.
    private static func setHistory(_ account: inout ResellerAccount, _ index: Int, fundedCents: Int64, walletCents: Int64, activatedAt: Int64?, now: Int64) {
        let created = account.esims[index].createdAt
        let unit = max(1, account.options.walletCreditUnitMicros)
        let credited = MicroDollars.fromCents(fundedCents) / unit * unit
        let wallet = min(credited, MicroDollars.fromCents(walletCents))
        account.funds.append(FundRecord(at: created + 10 * minuteMillis, iccid: account.esims[index].iccid, amountCents: fundedCents, creditedMicros: credited))

        if let activatedAt {
            account.schedule(index, activatedAt: activatedAt)
            account.esims[index].activationNotified = activatedAt <= now
        }
        account.esims[index].walletMicros = wallet
        account.esims[index].chargedMicros = credited - wallet
        account.esims[index].usedBytes = (credited - wallet) * 1_000_000_000 / 2_500_000
        account.esims[index].checkpoint = now
        account.esims[index].dataCutOff = wallet == 0
        account.esims[index].lowBalanceArmed = wallet >= SimulatedESIM.lowBalanceMicros
        account.esims[index].depletedArmed = wallet > 0
    }

    // MARK: Names

    private static let firstNames = ["Anna", "Lukas", "Mia", "Jonas", "Lea", "Felix", "Emma", "Paul", "Hannah", "Leon", "Sofia", "Noah", "Clara", "Elias", "Lina", "Ben", "Marie", "Finn", "Laura", "David", "Sarah", "Tom", "Julia", "Max", "Nora", "Jan", "Ida", "Erik", "Greta", "Oskar"]
    private static let lastNames = ["Schmidt", "Müller", "Weber", "Fischer", "Becker", "Wagner", "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun", "Zimmermann", "Krüger", "Hartmann", "Lange", "Werner"]

    /// Picks a traveler's name: "Anna Schmidt" first, then seeded combinations.
    private static func travelerName(_ number: Int, random: inout SeededGenerator) -> String {
        if number == 1 { return "Anna Schmidt" }
        let first = firstNames[(number - 1) % firstNames.count]
        let last = lastNames[Int(random.next() % UInt64(lastNames.count))]
        return first + " " + last
    }

    private static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
