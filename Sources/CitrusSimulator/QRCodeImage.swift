import Foundation
import QREncoding

/// The `qr_code` field of a SIM: a PNG of the LPA string's QR code as a data URL.
enum QRCodeImage {
    /// Pixels per module. Small on purpose: list pages carry up to 200 codes,
    /// so each is about 1.4 KB of base64; viewers scale the image up.
    static let modulePixels = 2
    /// The light border around the code, in modules (the standard requires 4).
    static let quietZoneModules = 4

    static func dataURL(for text: String) -> String {
        guard let code = QRCode(bytes: Array(text.utf8)) else {
            // Longer than version 10 holds; LPA strings never are.
            return "data:image/png;base64," + Data(PNGEncoder.encode(rows: [[false]], scale: 1)).base64EncodedString()
        }
        let side = code.size + 2 * quietZoneModules
        var rows = Array(repeating: Array(repeating: false, count: side), count: side)
        for y in 0..<code.size {
            for x in 0..<code.size {
                rows[y + quietZoneModules][x + quietZoneModules] = code.isDark(x, y)
            }
        }
        let png = PNGEncoder.encode(rows: rows, scale: modulePixels)
        return "data:image/png;base64," + Data(png).base64EncodedString()
    }
}
