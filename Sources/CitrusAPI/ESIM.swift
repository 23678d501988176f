import Foundation

/// One eSIM as Citrus returns it from provision, get, list and the state-changing
/// POSTs. Optional fields are nil when Citrus omits them or sends null.
public struct ESIM: Hashable, Sendable {
    public var id: String
    /// 19–20 digits, prefix 89, Luhn check digit (ITU-T E.118).
    public var iccid: String
    /// `LPA:1$<smdp-host>$<matching-id>`, the text inside the QR code.
    public var lpaString: String?
    /// `data:image/png;base64,…`
    public var qrCode: String?
    /// iOS 17.4+ one-tap install link.
    public var directInstallURL: String?
    public var status: ESIMStatus
    public var euiccState: EUICCState?
    /// Free text chosen by the reseller; may contain control characters.
    public var label: String?
    /// Free text chosen by the reseller; may contain control characters.
    public var endUserReference: String?
    public var groupID: String?
    /// The wallet as Citrus displays it: rounded down to the cent, so the exact
    /// wallet can be a few cents higher. Nil for SIMs in a shared-balance group.
    /// `roundedWallet` carries the same value marked as rounded down.
    public var walletBalance: Money?
    /// Lifetime usage charged to the wallet. Nil for SIMs in a group.
    public var totalDataCharged: Money?
    /// `NO_LIMIT` when Citrus omits the field.
    public var throttleSpeed: ThrottleSpeed
    public var activatedAt: Date?
    public var createdAt: Date?
    /// On the provision response only: the provisioning fee.
    public var cost: Money?
    /// On the provision response only: the reseller balance after the fee.
    public var balanceRemaining: Money?

    public init(
        id: String,
        iccid: String,
        lpaString: String? = nil,
        qrCode: String? = nil,
        directInstallURL: String? = nil,
        status: ESIMStatus,
        euiccState: EUICCState? = nil,
        label: String? = nil,
        endUserReference: String? = nil,
        groupID: String? = nil,
        walletBalance: Money? = nil,
        totalDataCharged: Money? = nil,
        throttleSpeed: ThrottleSpeed = .noLimit,
        activatedAt: Date? = nil,
        createdAt: Date? = nil,
        cost: Money? = nil,
        balanceRemaining: Money? = nil
    ) {
        self.id = id
        self.iccid = iccid
        self.lpaString = lpaString
        self.qrCode = qrCode
        self.directInstallURL = directInstallURL
        self.status = status
        self.euiccState = euiccState
        self.label = label
        self.endUserReference = endUserReference
        self.groupID = groupID
        self.walletBalance = walletBalance
        self.totalDataCharged = totalDataCharged
        self.throttleSpeed = throttleSpeed
        self.activatedAt = activatedAt
        self.createdAt = createdAt
        self.cost = cost
        self.balanceRemaining = balanceRemaining
    }
}

extension ESIM: Codable {
    enum CodingKeys: String, CodingKey {
        case id
        case iccid
        case lpaString = "lpa_string"
        case qrCode = "qr_code"
        case directInstallURL = "direct_install_url"
        case status
        case euiccState = "euicc_state"
        case label
        case endUserReference = "end_user_reference"
        case groupID = "group_id"
        case walletBalance = "wallet_balance_usd"
        case totalDataCharged = "total_data_charged_usd"
        case throttleSpeed = "throttle_speed"
        case activatedAt = "activated_at"
        case createdAt = "created_at"
        case cost
        case balanceRemaining = "balance_remaining"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iccid = try container.decode(String.self, forKey: .iccid)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? iccid
        lpaString = try container.decodeIfPresent(String.self, forKey: .lpaString)
        qrCode = try container.decodeIfPresent(String.self, forKey: .qrCode)
        directInstallURL = try container.decodeIfPresent(String.self, forKey: .directInstallURL)
        status = try container.decodeIfPresent(ESIMStatus.self, forKey: .status) ?? .unknown("")
        euiccState = try container.decodeIfPresent(EUICCState.self, forKey: .euiccState)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        endUserReference = try container.decodeIfPresent(String.self, forKey: .endUserReference)
        groupID = try container.decodeIfPresent(String.self, forKey: .groupID)
        walletBalance = try container.decodeMoneyIfPresent(forKey: .walletBalance)
        totalDataCharged = try container.decodeMoneyIfPresent(forKey: .totalDataCharged)
        throttleSpeed = try container.decodeIfPresent(ThrottleSpeed.self, forKey: .throttleSpeed) ?? .noLimit
        activatedAt = try container.decodeDateIfPresent(forKey: .activatedAt)
        createdAt = try container.decodeDateIfPresent(forKey: .createdAt)
        cost = try container.decodeMoneyIfPresent(forKey: .cost)
        balanceRemaining = try container.decodeMoneyIfPresent(forKey: .balanceRemaining)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(iccid, forKey: .iccid)
        try container.encodeIfPresent(lpaString, forKey: .lpaString)
        try container.encodeIfPresent(qrCode, forKey: .qrCode)
        try container.encodeIfPresent(directInstallURL, forKey: .directInstallURL)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(euiccState, forKey: .euiccState)
        try container.encode(label, forKey: .label)
        try container.encode(endUserReference, forKey: .endUserReference)
        try container.encode(groupID, forKey: .groupID)
        try container.encode(walletBalance?.decimalDollars, forKey: .walletBalance)
        try container.encode(totalDataCharged?.decimalDollars, forKey: .totalDataCharged)
        try container.encode(throttleSpeed, forKey: .throttleSpeed)
        try container.encode(activatedAt.map(CitrusDate.format), forKey: .activatedAt)
        try container.encodeIfPresent(createdAt.map(CitrusDate.format), forKey: .createdAt)
        try container.encodeIfPresent(cost?.decimalDollars, forKey: .cost)
        try container.encodeIfPresent(balanceRemaining?.decimalDollars, forKey: .balanceRemaining)
    }
}

/// An ISO-8601 timestamp as Citrus sends it, with or without fractional seconds.
public struct CitrusDate: Decodable, Sendable {
    public var date: Date

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CitrusDate.parse(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not an ISO-8601 timestamp"))
        }
        self.date = date
    }

    /// Parses `2026-12-04T19:46:09Z` or `2026-12-04T19:46:09.123+00:00`.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(text)
    }

    /// Formats a date as `2026-12-04T19:46:09Z`, the form the simulator serves.
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// A wallet figure as Citrus reports it: rounded down to the cent, so the
/// exact wallet is at least `displayed` and can be a few cents higher. Funding
/// $20 can read $19.99; a one-cent shortfall is not a lost fund.
public struct RoundedDownMoney: Sendable, Hashable, CustomStringConvertible {
    /// The figure as Citrus shows it.
    public var displayed: Money
    /// Always true for Citrus wallet readings.
    public var isRoundedDown: Bool

    public init(displayed: Money, isRoundedDown: Bool = true) {
        self.displayed = displayed
        self.isRoundedDown = isRoundedDown
    }

    /// `$19.99`, the figure as Citrus shows it.
    public var description: String { displayed.formatted() }

    /// `≥ $19.99` when rounded down, for places that must not suggest an exact figure.
    public var lowerBoundText: String { (isRoundedDown ? "≥ " : "") + displayed.formatted() }
}

extension ESIM {
    /// The wallet marked as a rounded-down reading; nil for SIMs in a group.
    public var roundedWallet: RoundedDownMoney? {
        walletBalance.map { RoundedDownMoney(displayed: $0) }
    }
}
