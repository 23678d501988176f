/// ICCIDs the simulator issues: 19 digits, `89` (telecom) + `44` + a 3-digit
/// issuer + an 11-digit serial + a Luhn check digit (ITU-T E.118).
enum ICCID {
    static let prefix = "8944501"

    /// Makes the ICCID of a serial number below 10^11.
    static func make(serial: UInt64) -> String {
        let serialText = String(serial % 100_000_000_000)
        let body = prefix + String(repeating: "0", count: 11 - serialText.count) + serialText
        return body + String(luhnCheckDigit(body))
    }

    /// Computes the Luhn digit that makes `digits` followed by it pass the Luhn check.
    static func luhnCheckDigit(_ digits: String) -> Int {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            var digit = Int(character.asciiValue ?? 48) - 48
            if index % 2 == 0 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return (10 - sum % 10) % 10
    }

    /// Checks that `text` is all digits and passes the Luhn check.
    static func isValid(_ text: String) -> Bool {
        guard text.count >= 2, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return luhnCheckDigit(String(text.dropLast())) == Int(text.last!.asciiValue! - 48)
    }
}
