import Foundation

/// An eSIM's status as Citrus reports it. Unknown values are kept, not rejected.
public enum ESIMStatus: Hashable, Sendable, CustomStringConvertible {
    case pending
    case active
    case suspended
    case terminated
    case unknown(String)

    public init(rawValue: String) {
        switch rawValue {
        case "pending": self = .pending
        case "active": self = .active
        case "suspended": self = .suspended
        case "terminated": self = .terminated
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .pending: return "pending"
        case .active: return "active"
        case .suspended: return "suspended"
        case .terminated: return "terminated"
        case .unknown(let value): return value
        }
    }

    public var description: String { rawValue }
}

/// The state of the eSIM profile on the device's eUICC.
public enum EUICCState: Hashable, Sendable, CustomStringConvertible {
    case released
    case downloaded
    case installed
    case enabled
    case unknown(String)

    public init(rawValue: String) {
        switch rawValue {
        case "RELEASED": self = .released
        case "DOWNLOADED": self = .downloaded
        case "INSTALLED": self = .installed
        case "ENABLED": self = .enabled
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .released: return "RELEASED"
        case .downloaded: return "DOWNLOADED"
        case .installed: return "INSTALLED"
        case .enabled: return "ENABLED"
        case .unknown(let value): return value
        }
    }

    public var description: String { rawValue }
}

/// A data speed cap. Citrus documents `NO_LIMIT` and `SPEED_100_KBPS`…`SPEED_5000_KBPS`;
/// the steps between are the likely set.
public enum ThrottleSpeed: Hashable, Sendable, CustomStringConvertible, CaseIterable {
    case noLimit
    case kbps100
    case kbps500
    case kbps1000
    case kbps2000
    case kbps3000
    case kbps5000
    case unknown(String)

    /// The speeds Citrus accepts, from no limit to the slowest.
    public static var allCases: [ThrottleSpeed] {
        [.noLimit, .kbps5000, .kbps3000, .kbps2000, .kbps1000, .kbps500, .kbps100]
    }

    public init(rawValue: String) {
        switch rawValue {
        case "NO_LIMIT": self = .noLimit
        case "SPEED_100_KBPS": self = .kbps100
        case "SPEED_500_KBPS": self = .kbps500
        case "SPEED_1000_KBPS": self = .kbps1000
        case "SPEED_2000_KBPS": self = .kbps2000
        case "SPEED_3000_KBPS": self = .kbps3000
        case "SPEED_5000_KBPS": self = .kbps5000
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .noLimit: return "NO_LIMIT"
        case .kbps100: return "SPEED_100_KBPS"
        case .kbps500: return "SPEED_500_KBPS"
        case .kbps1000: return "SPEED_1000_KBPS"
        case .kbps2000: return "SPEED_2000_KBPS"
        case .kbps3000: return "SPEED_3000_KBPS"
        case .kbps5000: return "SPEED_5000_KBPS"
        case .unknown(let value): return value
        }
    }

    /// The cap in kilobits per second, or nil for no limit and unknown speeds.
    public var kilobitsPerSecond: Int? {
        switch self {
        case .noLimit, .unknown: return nil
        case .kbps100: return 100
        case .kbps500: return 500
        case .kbps1000: return 1000
        case .kbps2000: return 2000
        case .kbps3000: return 3000
        case .kbps5000: return 5000
        }
    }

    /// A short form for tables: `none`, `100k`, `5000k`, or the raw value.
    public var shortName: String {
        if self == .noLimit { return "none" }
        if let kbps = kilobitsPerSecond { return "\(kbps)k" }
        return rawValue
    }

    public var description: String { rawValue }
}

extension ESIMStatus: Codable {
    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension EUICCState: Codable {
    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ThrottleSpeed: Codable {
    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
