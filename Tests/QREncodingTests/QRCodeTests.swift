import Testing
@testable import QREncoding

/// The encoder checked against facts published for ISO/IEC 18004 (QR Code
/// model 2). Sources of the tables are named at each test.
@Suite("QR code encoder")
struct QRCodeTests {
    static let lpa = "LPA:1$smdp.citrus-sim.test$NR4Q-8U5H-CH47-8TUH"

    /// Byte-mode capacity at level M for versions 1–10, from the standard's
    /// capacity table. Versions 1–6 are as the Panasonic LP-RV laser marker
    /// manual (section 15.4.2) lists them. Versions 7–10 are as public
    /// encoders' test tables quote the standard, a secondary source.
    static let publishedByteCapacity = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]

    /// The 15-bit format information for level M and masks 0–7, after the
    /// XOR with 101010000010010, as thonky.com's format and version string
    /// tables list them.
    static let publishedFormatBits = [
        0b101010000010010, 0b101000100100101, 0b101111001111100, 0b101101101001011,
        0b100010111111001, 0b100000011001110, 0b100111110010111, 0b100101010100000,
    ]

    /// The 18-bit version information of versions 7–10, as public encoders'
    /// tests quote the standard's Annex D. Version 7 is its worked example, hex 07C94.
    static let publishedVersionBits = [
        7: 0b000111110010010100,
        8: 0b001000010110111100,
        9: 0b001001101010011001,
        10: 0b001010010011010011,
    ]

    /// Alignment pattern center rows and columns for versions 1–10.
    static let publishedAlignmentCenters: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    /// Returns `count` bytes of printable ASCII that differ with `seed`.
    static func text(count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(0x21 + (($0 * 7 + seed * 13) % 90)) }
    }

    /// Reads the format information copy next to the top-left finder, bit 0 first.
    static func topLeftFormatBits(_ code: QRCode) -> Int {
        let positions = [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8), (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8)]
        var bits = 0
        for (index, position) in positions.enumerated() where code.isDark(position.0, position.1) {
            bits |= 1 << index
        }
        return bits
    }

    /// Reads the copy split between the top-right and bottom-left finders, bit 0 first.
    static func splitFormatBits(_ code: QRCode) -> Int {
        let n = code.size
        var bits = 0
        for index in 0..<8 where code.isDark(n - 1 - index, 8) { bits |= 1 << index }
        for index in 8..<15 where code.isDark(8, n - 15 + index) { bits |= 1 << index }
        return bits
    }

    @Test func reedSolomonMatchesStandardExample() {
        // The "01234567" example at version 1-M from ISO/IEC 18004 (numeric mode).
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ecc = ReedSolomon.remainder(data, divisor: ReedSolomon.generator(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func lpaStringFitsVersion4() {
        let code = QRCode(bytes: Array(Self.lpa.utf8))
        #expect(code?.version == 4)
        #expect(code?.size == 33)
    }

    @Test func byteCapacityMatchesPublishedTable() {
        for version in 1...QRCode.maximumVersion {
            #expect(QRCode.byteCapacity(version: version) == Self.publishedByteCapacity[version - 1], "version \(version)")
        }
        #expect(QRCode.maximumByteCount == 213)
    }

    @Test func smallestFittingVersionIsChosen() {
        for version in 1...QRCode.maximumVersion {
            let capacity = Self.publishedByteCapacity[version - 1]
            let full = QRCode(bytes: Self.text(count: capacity, seed: version))
            #expect(full?.version == version, "\(capacity) bytes")
            #expect(full?.size == 4 * version + 17, "\(capacity) bytes")
            if version < QRCode.maximumVersion {
                let over = QRCode(bytes: Self.text(count: capacity + 1, seed: version))
                #expect(over?.version == version + 1, "\(capacity + 1) bytes")
            }
        }
    }

    @Test func tooLongInputReturnsNil() {
        #expect(QRCode(bytes: Self.text(count: 214, seed: 1)) == nil)
        #expect(QRCode(bytes: Self.text(count: 2_000, seed: 1)) == nil)
    }

    @Test func emptyInputFitsVersion1() {
        #expect(QRCode(bytes: [])?.version == 1)
    }

    @Test func finderPatternsSitInThreeCorners() throws {
        let code = try #require(QRCode(bytes: Array(Self.lpa.utf8)))
        let last = code.size - 1
        for (x, y) in [(0, 0), (last - 6, 0), (0, last - 6)] {
            #expect(code.isDark(x, y))
            #expect(code.isDark(x + 3, y + 3))
            #expect(!code.isDark(x + 1, y + 1))
            #expect(code.isDark(x + 6, y + 6))
        }
        #expect(!code.isDark(7, 7))
    }

    @Test func formatBitsEncodeLevelMAndMask() throws {
        let code = try #require(QRCode(bytes: Array(Self.lpa.utf8)))
        let unmasked = Self.topLeftFormatBits(code) ^ 0x5412
        #expect(unmasked >> 13 == 0b00)
        #expect((unmasked >> 10) & 0b111 == code.mask)
    }

    /// Encodes varied texts until every mask has been chosen at least once,
    /// and checks both copies of the format information against the table.
    @Test func formatBitsMatchPublishedTableForEveryMask() {
        var seen = Set<Int>()
        for seed in 0..<400 where seen.count < 8 {
            guard let code = QRCode(bytes: Self.text(count: 10 + seed % 50, seed: seed)) else { continue }
            seen.insert(code.mask)
            #expect(Self.topLeftFormatBits(code) == Self.publishedFormatBits[code.mask], "mask \(code.mask), top-left copy")
            #expect(Self.splitFormatBits(code) == Self.publishedFormatBits[code.mask], "mask \(code.mask), split copy")
        }
        #expect(seen == Set(0..<8))
    }

    @Test func versionBitsMatchPublishedTable() throws {
        for version in 7...QRCode.maximumVersion {
            let count = Self.publishedByteCapacity[version - 1]
            let code = try #require(QRCode(bytes: Self.text(count: count, seed: version)))
            #expect(code.version == version)
            let n = code.size
            var topRight = 0
            var bottomLeft = 0
            // Bit i sits in column n − 11 + i % 3, row i / 3 (and transposed).
            for index in 0..<18 {
                if code.isDark(n - 11 + index % 3, index / 3) { topRight |= 1 << index }
                if code.isDark(index / 3, n - 11 + index % 3) { bottomLeft |= 1 << index }
            }
            #expect(topRight == Self.publishedVersionBits[version], "version \(version), top-right block")
            #expect(bottomLeft == Self.publishedVersionBits[version], "version \(version), bottom-left block")
        }
    }

    @Test func alignmentPatternsSitAtPublishedCenters() throws {
        for version in 2...QRCode.maximumVersion {
            let code = try #require(QRCode(bytes: Self.text(count: Self.publishedByteCapacity[version - 1], seed: version)))
            let centers = Self.publishedAlignmentCenters[version - 1]
            let last = centers.count - 1
            for (row, y) in centers.enumerated() {
                for (column, x) in centers.enumerated() {
                    let overlapsFinder = (row == 0 && column == 0) || (row == 0 && column == last) || (row == last && column == 0)
                    if overlapsFinder { continue }
                    #expect(code.isDark(x, y), "version \(version), center (\(x), \(y))")
                    for (dx, dy) in [(-1, -1), (1, 0), (0, 1), (1, 1)] {
                        #expect(!code.isDark(x + dx, y + dy), "version \(version), inner ring at (\(x + dx), \(y + dy))")
                    }
                    for (dx, dy) in [(-2, -2), (2, 0), (0, 2), (2, 2), (-2, 1)] {
                        #expect(code.isDark(x + dx, y + dy), "version \(version), outer ring at (\(x + dx), \(y + dy))")
                    }
                }
            }
        }
    }

    @Test func timingPatternsAndDarkModule() throws {
        let code = try #require(QRCode(bytes: Array(Self.lpa.utf8)))
        let n = code.size
        for position in 8..<(n - 8) {
            #expect(code.isDark(position, 6) == (position % 2 == 0), "row 6, column \(position)")
            #expect(code.isDark(6, position) == (position % 2 == 0), "column 6, row \(position)")
        }
        // The standard's dark module beside the bottom-left finder, at (8, 4V + 9).
        #expect(code.isDark(8, 4 * code.version + 9))
    }
}
