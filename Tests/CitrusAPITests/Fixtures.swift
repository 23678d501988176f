/// Response bodies shaped like the Citrus contract, for decoding tests.
enum Fixtures {
    static let esim = #"""
    {"id":"esim_01HX","iccid":"8910300000000000012","lpa_string":"LPA:1$smdp.example.net$ABC-123","qr_code":"data:image/png;base64,iVBORw0KGgo=","direct_install_url":"https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$smdp.example.net$ABC-123","status":"active","euicc_state":"ENABLED","label":"Tracker 7","end_user_reference":"truck-7","group_id":null,"wallet_balance_usd":19.999,"total_data_charged_usd":3.5,"throttle_speed":"SPEED_500_KBPS","activated_at":"2026-12-01T08:30:00Z","created_at":"2026-11-30T10:00:00.123Z","unexpected_field":{"nested":[1,2,3]}}
    """#

    static let provisioned = #"""
    {"id":"esim_02","iccid":"8910300000000000020","lpa_string":"LPA:1$smdp.example.net$XYZ","qr_code":"data:image/png;base64,AAAA","status":"pending","euicc_state":"RELEASED","label":null,"end_user_reference":null,"group_id":null,"wallet_balance_usd":0,"total_data_charged_usd":0,"activated_at":null,"created_at":"2026-12-04T19:46:09Z","cost":1.75,"balance_remaining":4998.25}
    """#

    static let listEnvelope = #"""
    {"esims":[\#(esim),{"iccid":"8910300000000000038","status":"suspended","wallet_balance_usd":null,"group_id":"grp_1"}],"total":2,"limit":200,"offset":0}
    """#

    static let listWithoutTotal = #"""
    {"esims":[\#(esim)],"limit":50,"offset":0}
    """#

    static let listBareArray = "[\(esim)]"

    static let fund = #"""
    {"iccid":"8910300000000000012","funded_usd":20,"wallet_balance_usd":39.99,"balance_remaining":4960.5}
    """#

    static let balance = #"""
    {"balance_usd":4960.509,"currency":"USD","lifetime_topup_usd":10000,"lifetime_usage_usd":5039.49}
    """#

    static let account = #"""
    {"company_name":"Acme Travel","email":"ops@acme.example","balance_usd":4960.5,"account_status":"active"}
    """#

    static let defund = #"""
    {"iccid":"8910300000000000012","estimated_return_usd":19.99,"settles_in_minutes":15,"status":"suspended"}
    """#

    static let rates = #"""
    {"total_countries":2,"countries":[{"name":"Japan","iso2":"JP","iso3":"JPN","flag":"🇯🇵","continent":"Asia","has_data":true,"cheapest_per_gb_usd":1.38,"cheapest_operator":"KDDI","networks":[{"operator":"KDDI","per_gb_usd":1.38,"per_mb_usd":0.00135},{"operator":"SoftBank","per_gb_usd":"1.90"}]},{"name":"Antarctica","has_data":false,"networks":[]}]}
    """#

    static let webhook = #"""
    {"id":"wh_1","url":"https://hooks.example.com/citrus","events":["esim.balance_low","esim.balance_depleted"],"enabled":true,"created_at":"2026-12-04T19:46:09Z","failure_count":0}
    """#

    static let createdWebhook = #"""
    {"id":"wh_2","url":"https://hooks.example.com/all","events":["*"],"enabled":true,"created_at":"2026-12-04T19:46:09Z","signing_secret":"whsec_0123456789abcdef"}
    """#

    static let webhookList = "{\"webhooks\":[\(webhook)]}"

    static let errorEnvelope = #"{"error":"ESIM_NOT_FOUND","message":"No eSIM with ICCID 8910300000000000012"}"#

    /// Every fixture, named, for the mutation run.
    static let all: [(name: String, body: String)] = [
        ("esim", esim), ("provisioned", provisioned), ("list", listEnvelope), ("listWithoutTotal", listWithoutTotal),
        ("listBareArray", listBareArray), ("fund", fund), ("balance", balance), ("account", account),
        ("defund", defund), ("rates", rates), ("webhook", webhook), ("createdWebhook", createdWebhook),
        ("webhookList", webhookList), ("error", errorEnvelope),
    ]
}
