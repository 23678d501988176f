@testable import CitrusAPI
import Foundation
import Testing

@Suite("Model decoding")
struct ModelDecodingTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String, endpoint: String = "GET /test") throws -> T {
        try CitrusClient.decode(type, from: Data(json.utf8), endpoint: endpoint)
    }

    @Test("eSIM decodes every field and ignores unknown ones")
    func esim() throws {
        let esim = try decode(ESIM.self, Fixtures.esim)
        #expect(esim.id == "esim_01HX")
        #expect(esim.iccid == "8910300000000000012")
        #expect(esim.lpaString == "LPA:1$smdp.example.net$ABC-123")
        #expect(esim.qrCode?.hasPrefix("data:image/png;base64,") == true)
        #expect(esim.directInstallURL?.hasPrefix("https://") == true)
        #expect(esim.status == .active)
        #expect(esim.euiccState == .enabled)
        #expect(esim.label == "Tracker 7")
        #expect(esim.endUserReference == "truck-7")
        #expect(esim.groupID == nil)
        #expect(esim.walletBalance == Money(cents: 1999))
        #expect(esim.totalDataCharged == Money(cents: 350))
        #expect(esim.throttleSpeed == .kbps500)
        #expect(esim.activatedAt == Date(timeIntervalSince1970: 1_796_113_800))
        #expect(esim.createdAt != nil)
    }

    @Test("provision response carries the fee and the balance after it")
    func provisioned() throws {
        let esim = try decode(ESIM.self, Fixtures.provisioned)
        #expect(esim.status == .pending)
        #expect(esim.cost == Money(cents: 175))
        #expect(esim.balanceRemaining == Money(cents: 499_825))
        #expect(esim.throttleSpeed == .noLimit)
        #expect(esim.activatedAt == nil)
    }

    @Test("unknown enum values are kept")
    func unknownEnums() throws {
        let json = #"{"iccid":"8910300000000000012","status":"frozen","euicc_state":"DELETED","throttle_speed":"SPEED_250_KBPS"}"#
        let esim = try decode(ESIM.self, json)
        #expect(esim.status == .unknown("frozen"))
        #expect(esim.euiccState == .unknown("DELETED"))
        #expect(esim.throttleSpeed == .unknown("SPEED_250_KBPS"))
    }

    @Test("minimal eSIM: missing optional fields are nil")
    func minimal() throws {
        let esim = try decode(ESIM.self, #"{"iccid":"8910300000000000012"}"#)
        #expect(esim.id == "8910300000000000012")
        #expect(esim.status == .unknown(""))
        #expect(esim.walletBalance == nil)
        #expect(esim.euiccState == nil)
    }

    @Test("amounts sent as strings are accepted")
    func stringAmounts() throws {
        let esim = try decode(ESIM.self, #"{"iccid":"8910300000000000012","wallet_balance_usd":"12.345"}"#)
        #expect(esim.walletBalance == Money(cents: 1234))
    }

    @Test("decoding errors name the endpoint and the field")
    func errorsNameField() {
        let error = #expect(throws: CitrusError.self) {
            try decode(ESIM.self, #"{"iccid":"8910300000000000012","wallet_balance_usd":"lots"}"#, endpoint: "GET /esim/8910300000000000012")
        }
        guard case .decoding(let endpoint, let field, _)? = error else {
            Issue.record("expected a decoding error, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "GET /esim/8910300000000000012")
        #expect(field == "wallet_balance_usd")
    }

    @Test("missing ICCID is reported as missing")
    func missingICCID() {
        let error = #expect(throws: CitrusError.self) { try decode(ESIM.self, #"{"status":"active"}"#) }
        #expect(error?.description.contains("iccid") == true)
        #expect(error?.description.contains("missing") == true)
    }

    @Test("a field inside a list names its index")
    func listFieldPath() {
        let json = #"{"esims":[{"iccid":"8910300000000000012"},{"iccid":42}],"total":2}"#
        let error = #expect(throws: CitrusError.self) {
            try ListDecoding.decodePage(Data(json.utf8), limit: 200, offset: 0)
        }
        guard case .decoding(let endpoint, let field, _)? = error else {
            Issue.record("expected a decoding error")
            return
        }
        #expect(endpoint == "GET /esim/list")
        #expect(field == "esims[1].iccid")
    }

    @Test("absurd amounts are decoding errors, not overflows")
    func absurdAmounts() {
        for value in ["1e30", "-1e30", "99999999999999999999"] {
            #expect(throws: CitrusError.self) {
                try decode(ESIM.self, #"{"iccid":"8910300000000000012","wallet_balance_usd":\#(value)}"#)
            }
        }
    }

    @Test("list envelope with total")
    func listEnvelope() throws {
        let page = try ListDecoding.decodePage(Data(Fixtures.listEnvelope.utf8), limit: 200, offset: 0)
        #expect(page.esims.count == 2)
        #expect(page.total == 2)
        #expect(page.esims[1].groupID == "grp_1")
        #expect(page.esims[1].walletBalance == nil)
    }

    @Test("list envelope without total")
    func listWithoutTotal() throws {
        let page = try ListDecoding.decodePage(Data(Fixtures.listWithoutTotal.utf8), limit: 50, offset: 0)
        #expect(page.esims.count == 1)
        #expect(page.total == nil)
        #expect(page.limit == 50)
    }

    @Test("list as a bare array")
    func listBareArray() throws {
        let page = try ListDecoding.decodePage(Data("  \n\(Fixtures.listBareArray)".utf8), limit: 10, offset: 20)
        #expect(page.esims.count == 1)
        #expect(page.total == nil)
        #expect(page.offset == 20)
    }

    @Test("fund response")
    func fund() throws {
        let result = try CitrusClient.decodeFundResult(Data(Fixtures.fund.utf8), iccid: "8910300000000000012", amount: .dollars(20), endpoint: "POST /fund")
        #expect(result.funded == .dollars(20))
        #expect(result.walletBalance == Money(cents: 3999))
        #expect(result.balanceRemaining == Money(cents: 496_050))
    }

    @Test("fund response without fields falls back to the request")
    func fundSparse() throws {
        let result = try CitrusClient.decodeFundResult(Data("{}".utf8), iccid: "8910300000000000012", amount: Money(cents: 1250), endpoint: "POST /fund")
        #expect(result.iccid == "8910300000000000012")
        #expect(result.funded == Money(cents: 1250))
        #expect(result.walletBalance == nil)
    }

    @Test("reseller balance rounds down and requires balance_usd")
    func balance() throws {
        let balance = try decode(ResellerBalance.self, Fixtures.balance)
        #expect(balance.balance == Money(cents: 496_050))
        #expect(balance.currency == "USD")
        #expect(balance.lifetimeTopUp == .dollars(10_000))
        #expect(throws: CitrusError.self) { try decode(ResellerBalance.self, #"{"currency":"USD"}"#) }
    }

    @Test("account")
    func account() throws {
        let account = try decode(CitrusAccount.self, Fixtures.account)
        #expect(account.companyName == "Acme Travel")
        #expect(account.email == "ops@acme.example")
        #expect(account.balance == Money(cents: 496_050))
        #expect(account.accountStatus == "active")
    }

    @Test("defund")
    func defund() throws {
        let result = try decode(DefundResult.self, Fixtures.defund)
        #expect(result.estimatedReturn == Money(cents: 1999))
        #expect(result.settlesInMinutes == 15)
        #expect(result.status == .suspended)
    }

    @Test("rates keep sub-cent prices exact")
    func rates() throws {
        let table = try decode(RateTable.self, Fixtures.rates)
        #expect(table.totalCountries == 2)
        let japan = try #require(table.countries.first)
        #expect(japan.iso2 == "JP")
        #expect(japan.cheapestPerGB == Decimal(string: "1.38"))
        #expect(japan.cheapestOperator == "KDDI")
        #expect(japan.networks.count == 2)
        #expect(japan.networks[0].perMB == Decimal(string: "0.00135"))
        #expect(japan.networks[1].perGB == Decimal(string: "1.90"))
        #expect(table.countries[1].hasData == false)
    }

    @Test("rates as a bare array")
    func ratesArray() throws {
        let table = try decode(RateTable.self, #"[{"name":"Japan","iso2":"JP"}]"#)
        #expect(table.countries.map(\.name) == ["Japan"])
        #expect(table.totalCountries == nil)
    }

    @Test("webhooks: object, list, creation with its secret")
    func webhooks() throws {
        let webhook = try decode(Webhook.self, Fixtures.webhook)
        #expect(webhook.id == "wh_1")
        #expect(webhook.events == ["esim.balance_low", "esim.balance_depleted"])
        #expect(webhook.enabled == true)
        #expect(webhook.failureCount == 0)

        let list = try decode(WebhookList.self, Fixtures.webhookList)
        #expect(list.webhooks.map(\.id) == ["wh_1"])
        let bare = try decode(WebhookList.self, "[\(Fixtures.webhook)]")
        #expect(bare.webhooks.count == 1)

        let created = try decode(CreatedWebhook.self, Fixtures.createdWebhook)
        #expect(created.signingSecret == "whsec_0123456789abcdef")
        #expect(created.webhook.events == ["*"])
        #expect(!created.description.contains("whsec_"))

        let nested = try decode(CreatedWebhook.self, #"{"webhook":\#(Fixtures.webhook),"signing_secret":"whsec_x"}"#)
        #expect(nested.webhook.id == "wh_1")
    }

    @Test("webhook test result in either shape")
    func webhookTest() throws {
        let asWebhook = try decode(WebhookTestResult.self, Fixtures.webhook)
        #expect(asWebhook.webhook?.id == "wh_1")
        let asReport = try decode(WebhookTestResult.self, #"{"delivered":true,"response_status":200}"#)
        #expect(asReport.delivered == true)
        #expect(asReport.responseStatus == 200)
    }
}
