import Foundation

/// Writes 1-bit grayscale PNG images (RFC 2083) with zlib "stored" blocks:
/// no compression, so no deflate encoder is needed, and every chunk carries a
/// correct CRC-32.
enum PNGEncoder {
    /// Encodes `rows` (true is black) scaled by `scale` pixels per module.
    static func encode(rows: [[Bool]], scale: Int) -> [UInt8] {
        let height = rows.count * scale
        let width = (rows.first?.count ?? 0) * scale
        let rowBytes = (width + 7) / 8

        var raw: [UInt8] = []
        raw.reserveCapacity(height * (rowBytes + 1))
        for row in rows {
            var line = [UInt8](repeating: 0, count: rowBytes)
            for x in 0..<width where !row[x / scale] {
                // Bit depth 1, grayscale: 1 is white, most significant bit first.
                line[x / 8] |= 0x80 >> UInt8(x % 8)
            }
            for _ in 0..<scale {
                raw.append(0)
                raw.append(contentsOf: line)
            }
        }

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [1, 0, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", zlibStored(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        png += bigEndian(crc32(typeBytes + data))
    }

    /// Wraps `data` in a zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isFinal = offset + length == data.count
            stream.append(isFinal ? 1 : 0)
            stream.append(UInt8(length & 0xFF))
            stream.append(UInt8(length >> 8))
            stream.append(UInt8(~length & 0xFF))
            stream.append(UInt8((~length >> 8) & 0xFF))
            stream += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        stream += bigEndian(adler32(data))
        return stream
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
