/// The `qr_code` data URL of a SIM.
enum QRCodeImage {
    /// NOTE: placeholder until the QR encoder lands: an empty PNG URL prefix.
    static func dataURL(for text: String) -> String {
        "data:image/png;base64,"
    }
}
