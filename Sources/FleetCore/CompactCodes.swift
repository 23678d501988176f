import CitrusAPI

/// One-byte codes for the enums a store keeps per SIM. Values Citrus may add
/// later (`.unknown`) get the code `unknownCode` and their raw text is kept in
/// a side table, so nothing is lost.
enum CompactCodes {
    static let unknownCode: UInt8 = 255
    static let noneCode: UInt8 = 254

    static func code(_ status: ESIMStatus) -> UInt8 {
        switch status {
        case .pending: return 0
        case .active: return 1
        case .suspended: return 2
        case .terminated: return 3
        case .unknown: return unknownCode
        }
    }

    static func status(_ code: UInt8, raw: String?) -> ESIMStatus {
        switch code {
        case 0: return .pending
        case 1: return .active
        case 2: return .suspended
        case 3: return .terminated
        default: return .unknown(raw ?? "")
        }
    }

    static func code(_ speed: ThrottleSpeed) -> UInt8 {
        switch speed {
        case .noLimit: return 0
        case .kbps100: return 1
        case .kbps500: return 2
        case .kbps1000: return 3
        case .kbps2000: return 4
        case .kbps3000: return 5
        case .kbps5000: return 6
        case .unknown: return unknownCode
        }
    }

    static func throttle(_ code: UInt8, raw: String?) -> ThrottleSpeed {
        switch code {
        case 0: return .noLimit
        case 1: return .kbps100
        case 2: return .kbps500
        case 3: return .kbps1000
        case 4: return .kbps2000
        case 5: return .kbps3000
        case 6: return .kbps5000
        default: return .unknown(raw ?? "")
        }
    }

    static func code(_ state: EUICCState?) -> UInt8 {
        switch state {
        case nil: return noneCode
        case .released: return 0
        case .downloaded: return 1
        case .installed: return 2
        case .enabled: return 3
        case .unknown: return unknownCode
        }
    }

    static func euiccState(_ code: UInt8, raw: String?) -> EUICCState? {
        switch code {
        case 0: return .released
        case 1: return .downloaded
        case 2: return .installed
        case 3: return .enabled
        case noneCode: return nil
        default: return .unknown(raw ?? "")
        }
    }

    static func rawUnknown(_ status: ESIMStatus) -> String? {
        if case .unknown(let raw) = status { return raw }
        return nil
    }

    static func rawUnknown(_ speed: ThrottleSpeed) -> String? {
        if case .unknown(let raw) = speed { return raw }
        return nil
    }

    static func rawUnknown(_ state: EUICCState?) -> String? {
        if case .unknown(let raw)? = state { return raw }
        return nil
    }
}
