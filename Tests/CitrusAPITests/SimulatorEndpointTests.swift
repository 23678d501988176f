import CitrusAPI
import CitrusSimulator
import Foundation
import Testing

/// Every endpoint's success path and documented errors, against citrus-sim over loopback.
@Suite("Endpoints against the simulator")
struct SimulatorEndpointTests {
    /// Provisions a SIM and moves the clock past the wallet's creation.
    private func readySIM(_ harness: SimulatorHarness, _ client: CitrusClient, label: String = "test") async throws -> ESIM {
        let esim = try await client.provision(label: label, endUserReference: "ref-\(label)")
        try await harness.advanceClock(seconds: 10)
        return esim
    }

    @Test("provision, get and list")
    func provisionGetList() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let provisioned = try await client.provision(label: "Kiosk 1", endUserReference: "K-1")
        #expect(provisioned.iccid.hasPrefix("89"))
        #expect(provisioned.label == "Kiosk 1")
        #expect(provisioned.endUserReference == "K-1")
        #expect(provisioned.cost == Money(cents: 175))
        #expect(provisioned.balanceRemaining == Money(cents: 9_999_825))
        #expect(provisioned.walletBalance == .zero)
        #expect(provisioned.lpaString?.hasPrefix("LPA:1$") == true)

        let fetched = try await client.esim(iccid: provisioned.iccid)
        #expect(fetched.iccid == provisioned.iccid)
        #expect(fetched.status == provisioned.status)

        let page = try await client.listESIMs(limit: 10)
        #expect(page.esims.map(\.iccid) == [provisioned.iccid])
        #expect(page.total == 1)
    }

    @Test("list status filter and all pages")
    func allPages() async throws {
        let harness = try SimulatorHarness { $0.fleet = .mix(iot: 23, travel: 0, payg: 0) }
        let client = harness.client()
        var iccids: [String] = []
        var pages = 0
        for try await page in client.allESIMPages(pageSize: 5) {
            pages += 1
            iccids += page.esims.map(\.iccid)
        }
        #expect(pages == 5)
        #expect(iccids.count == 23)
        #expect(Set(iccids).count == 23)

        let terminated = try await client.listESIMs(status: .terminated, limit: 200)
        #expect(terminated.esims.allSatisfy { $0.status == .terminated })
    }

    @Test("fund, enable, disable and throttle")
    func walletAndState() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let esim = try await readySIM(harness, client)

        let outcome = try await client.fund(iccid: esim.iccid, amount: .dollars(20))
        guard case .applied(let result) = outcome else {
            Issue.record("expected applied, got \(outcome)")
            return
        }
        #expect(result.funded == .dollars(20))
        // The wallet reads rounded down: $20 may show $19.99.
        let wallet = try #require(result.walletBalance)
        #expect(wallet >= Money(cents: 1999))
        #expect(wallet <= .dollars(20))

        // A SIM reads active once its user installed the profile.
        try await harness.control("POST", "_sim/esims/\(esim.iccid)/activate")
        let disabled = try await client.disable(iccid: esim.iccid)
        #expect(disabled.status == .suspended)
        let enabled = try await client.enable(iccid: esim.iccid)
        #expect(enabled.status == .active)
        let throttled = try await client.throttle(iccid: esim.iccid, speed: .kbps500)
        #expect(throttled.throttleSpeed == .kbps500)
        let unthrottled = try await client.throttle(iccid: esim.iccid, speed: .noLimit)
        #expect(unthrottled.throttleSpeed == .noLimit)
    }

    @Test("defund, then terminate")
    func defundAndTerminate() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let esim = try await readySIM(harness, client)
        _ = try await client.fund(iccid: esim.iccid, amount: .dollars(9))

        let defund = try await client.defund(iccid: esim.iccid)
        #expect(defund.estimatedReturn == .dollars(9))
        #expect(defund.settlesInMinutes != nil)
        let second = await #expect(throws: CitrusError.self) { try await client.defund(iccid: esim.iccid) }
        #expect(second?.code == .defundAlreadyPending)
        #expect(second?.httpStatus == 409)

        let terminated = try await client.terminate(iccid: esim.iccid)
        #expect(terminated.status == .terminated)
        let afterTermination = await #expect(throws: CitrusError.self) { try await client.enable(iccid: esim.iccid) }
        #expect(afterTermination?.code == .esimAlreadyTerminated)
    }

    @Test("wallet balance, account and rates")
    func accountEndpoints() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let balance = try await client.walletBalance()
        #expect(balance.balance == .dollars(100_000))
        #expect(balance.currency == "USD")

        let account = try await client.account()
        #expect(account.balance == .dollars(100_000))
        #expect(account.companyName?.isEmpty == false)

        let all = try await client.rates()
        #expect(all.countries.count > 10)
        let japan = try await client.rates(country: "JP")
        #expect(japan.countries.map(\.iso2) == ["JP"])
        #expect(japan.countries.first?.networks.isEmpty == false)
        let asia = try await client.rates(continent: "Asia")
        #expect(!asia.countries.isEmpty)
        #expect(asia.countries.allSatisfy { $0.continent == "Asia" })
    }

    @Test("webhooks: create, list, get, update, test, delete")
    func webhooks() async throws {
        let harness = try SimulatorHarness()
        let audit = LockedList<AuditRecord>()
        let client = harness.client(audit: { audit.append($0) })
        let url = URL(string: "http://127.0.0.1:9/hook")!

        let created = try await client.createWebhook(url: url, events: ["esim.balance_low"])
        #expect(created.signingSecret.hasPrefix("whsec_"))
        #expect(created.webhook.url == url.absoluteString)
        let id = created.webhook.id

        let listed = try await client.webhooks()
        #expect(listed.map(\.id) == [id])
        let fetched = try await client.webhook(id: id)
        #expect(fetched.events == ["esim.balance_low"])

        let updated = try await client.updateWebhook(id: id, events: ["*"], enabled: false)
        #expect(updated.events == ["*"])
        #expect(updated.enabled == false)

        _ = try await client.testWebhook(id: id)
        try await client.deleteWebhook(id: id)
        #expect(try await client.webhooks().isEmpty)
        let missing = await #expect(throws: CitrusError.self) { try await client.webhook(id: id) }
        #expect(missing?.httpStatus == 404)

        let actions = audit.all.filter { $0.phase == .applied }.map(\.action)
        #expect(actions == [.createWebhook, .updateWebhook, .testWebhook, .deleteWebhook])
        #expect(audit.all.allSatisfy { !"\($0)".contains(created.signingSecret) })
    }

    @Test("webhook over plain http to a remote host is a validation error")
    func webhookValidation() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let error = await #expect(throws: CitrusError.self) {
            try await client.createWebhook(url: URL(string: "http://hooks.example.com/citrus")!, events: ["*"])
        }
        #expect(error?.code == .validationError)
        #expect(error?.httpStatus == 400)
    }

    @Test("unknown ICCID is ESIM_NOT_FOUND")
    func notFound() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let error = await #expect(throws: CitrusError.self) { try await client.esim(iccid: "8910300000000000012") }
        #expect(error?.code == .esimNotFound)
        #expect(error?.httpStatus == 404)
    }

    @Test("wrong key is INVALID_API_KEY")
    func invalidKey() async throws {
        let harness = try SimulatorHarness { $0.apiKey = SimulatorHarness.key }
        let client = harness.client(key: "rsk_wrong_key_0123456789")
        let error = await #expect(throws: CitrusError.self) { try await client.walletBalance() }
        #expect(error?.code == .invalidAPIKey)
        #expect(error?.httpStatus == 401)
    }

    @Test("fund above the reseller balance is INSUFFICIENT_BALANCE")
    func insufficientBalance() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let esim = try await readySIM(harness, client)
        try await harness.setResellerBalance(Money(cents: 320))
        let error = await #expect(throws: CitrusError.self) { try await client.fund(iccid: esim.iccid, amount: .dollars(10)) }
        #expect(error?.code == .insufficientBalance)
        #expect(error?.httpStatus == 402)
        #expect(try await harness.ledgerFunds().isEmpty)
    }

    @Test("fund right after provisioning is WALLET_NOT_READY")
    func walletNotReady() async throws {
        let harness = try SimulatorHarness { $0.walletReadySeconds = 3_600 }
        let client = harness.client()
        let esim = try await client.provision()
        let error = await #expect(throws: CitrusError.self) { try await client.fund(iccid: esim.iccid, amount: .dollars(5)) }
        #expect(error?.code == .walletNotReady)
    }

    @Test("defund of an empty wallet is NO_BALANCE_TO_RETURN")
    func noBalanceToReturn() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let esim = try await readySIM(harness, client)
        let error = await #expect(throws: CitrusError.self) { try await client.defund(iccid: esim.iccid) }
        #expect(error?.code == .noBalanceToReturn)
    }

    @Test("fund of a SIM in a group is ESIM_IN_GROUP")
    func inGroup() async throws {
        let harness = try SimulatorHarness()
        let client = harness.client()
        let esim = try await client.provision(label: "grouped", groupID: "grp_trip")
        #expect(esim.groupID == "grp_trip")
        try await harness.advanceClock(seconds: 10)
        let error = await #expect(throws: CitrusError.self) { try await client.fund(iccid: esim.iccid, amount: .dollars(5)) }
        #expect(error?.code == .esimInGroup)
    }

    @Test("empty inventory is NO_ESIMS_AVAILABLE and provision is not retried")
    func noESIMsAvailable() async throws {
        let harness = try SimulatorHarness { $0.inventoryLimit = 0 }
        let audit = LockedList<AuditRecord>()
        let client = harness.client(audit: { audit.append($0) })
        let error = await #expect(throws: CitrusError.self) { try await client.provision() }
        #expect(error?.code == .noESIMsAvailable)
        #expect(error?.httpStatus == 503)
        #expect(audit.all.map(\.phase.name) == ["sending", "failed"])
    }

    @Test("over the simulator's limit is RATE_LIMITED with Retry-After, and the budget pauses")
    func rateLimited() async throws {
        let harness = try SimulatorHarness { $0.rateLimitPerMinute = 3 }
        let client = harness.client(retryPolicy: .none)
        for _ in 0..<3 { _ = try await client.walletBalance() }
        let error = await #expect(throws: CitrusError.self) { try await client.walletBalance() }
        #expect(error?.code == .rateLimited)
        #expect(error?.httpStatus == 429)
        #expect((error?.retryAfter ?? 0) > 0)
        #expect(await client.budgetState().isPaused)
    }
}
