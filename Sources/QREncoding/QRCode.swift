/// A QR code (ISO/IEC 18004) of byte-mode text at error-correction level M,
/// versions 1 to 10 (up to 213 bytes), enough for any LPA activation string.
public struct QRCode: Equatable, Sendable {
    /// The symbol version, 1 to 10: version v is 4v + 17 modules wide.
    public let version: Int
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// The mask pattern (0–7) with the lowest penalty, which the code uses.
    public private(set) var mask = 0
    /// Row-major modules, `modules[y * size + x]`: true is dark.
    private(set) var modules: [Bool]
    private var isFunction: [Bool]

    /// Returns whether the module in column `x`, row `y` is dark. Both must be
    /// in `0..<size`.
    public func isDark(_ x: Int, _ y: Int) -> Bool {
        modules[y * size + x]
    }

    // Level M per version 1…10: (total codewords, ECC codewords per block, blocks).
    private static let layout: [(total: Int, eccPerBlock: Int, blocks: Int)] = [
        (26, 10, 1), (44, 16, 1), (70, 26, 1), (100, 18, 2), (134, 24, 2),
        (172, 16, 4), (196, 18, 4), (242, 22, 4), (292, 22, 5), (346, 26, 5),
    ]
    private static let alignmentCenters: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]
    public static let maximumVersion = 10

    static func dataCodewords(version: Int) -> Int {
        let entry = layout[version - 1]
        return entry.total - entry.eccPerBlock * entry.blocks
    }

    /// Returns the maximum byte count a code of `version` (1 to 10) encodes in
    /// byte mode at level M: the data bits less the 4-bit mode and the character count.
    public static func byteCapacity(version: Int) -> Int {
        let countBits = version < 10 ? 8 : 16
        return (dataCodewords(version: version) * 8 - 4 - countBits) / 8
    }

    /// The maximum byte count of any code here (213, at version 10).
    public static var maximumByteCount: Int { byteCapacity(version: maximumVersion) }

    /// Encodes `bytes` in the smallest version they fit in, or returns nil when none is large enough.
    public init?(bytes: [UInt8]) {
        var chosen: Int?
        for version in 1...Self.maximumVersion {
            let countBits = version < 10 ? 8 : 16
            let neededBits = 4 + countBits + bytes.count * 8
            if neededBits <= Self.dataCodewords(version: version) * 8 && bytes.count < (1 << countBits) {
                chosen = version
                break
            }
        }
        guard let version = chosen else { return nil }
        self.version = version
        self.size = version * 4 + 17
        self.modules = Array(repeating: false, count: size * size)
        self.isFunction = modules

        drawFunctionPatterns()
        let codewords = Self.addErrorCorrection(Self.dataCodewords(bytes, version: version), version: version)
        placeData(codewords)

        // Score each mask on a masked copy, one UInt64 per row (bit x is column x;
        // 57 columns at most), with that mask's format bits in place.
        let functionRows = Self.rowBits(isFunction, size: size)
        let moduleRows = Self.rowBits(modules, size: size)
        var bestMask = 0
        var bestPenalty = Int.max
        for mask in 0..<8 {
            let patternRows = Self.maskPatternRows(mask, size: size)
            var candidate = (0..<size).map { moduleRows[$0] ^ (patternRows[$0] & ~functionRows[$0]) }
            Self.writeFormatBits(mask: mask, size: size) { x, y, dark in
                if dark { candidate[y] |= 1 << UInt64(x) } else { candidate[y] &= ~(1 << UInt64(x)) }
            }
            let penalty = Self.penaltyScore(rows: candidate, size: size)
            if penalty < bestPenalty {
                bestPenalty = penalty
                bestMask = mask
            }
        }
        applyMask(bestMask)
        drawFormatBits(mask: bestMask)
        mask = bestMask
    }

    // MARK: Data codewords

    /// Mode indicator, character count, bytes, terminator and pad codewords.
    private static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }

        let capacityBits = dataCodewords(version: version) * 8
        append(0, min(4, capacityBits - bits.count))
        append(0, (8 - bits.count % 8) % 8)

        var codewords: [UInt8] = []
        for start in stride(from: 0, to: bits.count, by: 8) {
            var byte: UInt8 = 0
            for bit in bits[start..<start + 8] { byte = byte << 1 | (bit ? 1 : 0) }
            codewords.append(byte)
        }
        var pad: UInt8 = 0xEC
        while codewords.count < dataCodewords(version: version) {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks, appends Reed-Solomon ECC to each, and interleaves.
    private static func addErrorCorrection(_ data: [UInt8], version: Int) -> [UInt8] {
        let entry = layout[version - 1]
        let shortBlockLength = entry.total / entry.blocks
        let longBlocks = entry.total % entry.blocks
        let divisor = ReedSolomon.generator(degree: entry.eccPerBlock)

        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var offset = 0
        for block in 0..<entry.blocks {
            let dataLength = shortBlockLength - entry.eccPerBlock + (block >= entry.blocks - longBlocks ? 1 : 0)
            let blockData = Array(data[offset..<offset + dataLength])
            offset += dataLength
            dataBlocks.append(blockData)
            eccBlocks.append(ReedSolomon.remainder(blockData, divisor: divisor))
        }

        var result: [UInt8] = []
        result.reserveCapacity(entry.total)
        let longestData = dataBlocks.map(\.count).max() ?? 0
        for position in 0..<longestData {
            for block in dataBlocks where position < block.count { result.append(block[position]) }
        }
        for position in 0..<entry.eccPerBlock {
            for block in eccBlocks { result.append(block[position]) }
        }
        return result
    }

    // MARK: Function patterns

    private mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    private mutating func drawFunctionPatterns() {
        for position in 0..<size {
            setFunction(6, position, position % 2 == 0)
            setFunction(position, 6, position % 2 == 0)
        }
        drawFinder(centerX: 3, centerY: 3)
        drawFinder(centerX: size - 4, centerY: 3)
        drawFinder(centerX: 3, centerY: size - 4)

        let centers = Self.alignmentCenters[version - 1]
        for (row, y) in centers.enumerated() {
            for (column, x) in centers.enumerated() {
                let overlapsFinder = (row == 0 && column == 0) || (row == 0 && column == centers.count - 1) || (row == centers.count - 1 && column == 0)
                if !overlapsFinder { drawAlignment(centerX: x, centerY: y) }
            }
        }

        drawFormatBits(mask: 0)
        drawVersionBits()
    }

    /// Draws a finder pattern with its light separator, clipped at the symbol's edge.
    private mutating func drawFinder(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx
                let y = centerY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let distance = max(abs(dx), abs(dy))
                setFunction(x, y, distance != 2 && distance != 4)
            }
        }
    }

    private mutating func drawAlignment(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(centerX + dx, centerY + dy, max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Draws the 15-bit format information (level M = 00, mask) with its BCH code, twice.
    private mutating func drawFormatBits(mask: Int) {
        var updates: [(Int, Int, Bool)] = []
        Self.writeFormatBits(mask: mask, size: size) { x, y, dark in updates.append((x, y, dark)) }
        for (x, y, dark) in updates { setFunction(x, y, dark) }
    }

    /// Calls `set(x, y, dark)` for every module of the format information.
    private static func writeFormatBits(mask: Int, size: Int, _ set: (Int, Int, Bool) -> Void) {
        let data = 0b00 << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }

        for index in 0...5 { set(8, index, bit(index)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for index in 9..<15 { set(14 - index, 8, bit(index)) }

        for index in 0..<8 { set(size - 1 - index, 8, bit(index)) }
        for index in 8..<15 { set(8, size - 15 + index, bit(index)) }
        set(8, size - 8, true)
    }

    /// Draws the 18-bit version information of versions 7 and up, twice.
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for index in 0..<18 {
            let dark = (bits >> index) & 1 == 1
            let a = size - 11 + index % 3
            let b = index / 3
            setFunction(a, b, dark)
            setFunction(b, a, dark)
        }
    }

    // MARK: Data placement and masking

    /// Places the codewords in the zigzag order: two-module columns from the
    /// right, alternately upwards and downwards, skipping the vertical timing column.
    private mutating func placeData(_ codewords: [UInt8]) {
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for offset in 0..<2 {
                    let x = right - offset
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    guard !isFunction[y * size + x], bitIndex < totalBits else { continue }
                    modules[y * size + x] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// XORs the mask pattern onto the data modules.
    private mutating func applyMask(_ mask: Int) {
        let pattern = Self.maskPattern(mask, size: size)
        for index in modules.indices where !isFunction[index] && pattern[index] {
            modules[index].toggle()
        }
    }

    /// The eight mask patterns of each symbol size, row-major, computed once.
    private static let maskPatterns: [[[Bool]]] = (1...maximumVersion).map { version in
        let size = version * 4 + 17
        return (0..<8).map { mask in
            (0..<size * size).map { index in
                let x = index % size
                let y = index / size
                switch mask {
                case 0: return (x + y) % 2 == 0
                case 1: return y % 2 == 0
                case 2: return x % 3 == 0
                case 3: return (x + y) % 3 == 0
                case 4: return (x / 3 + y / 2) % 2 == 0
                case 5: return x * y % 2 + x * y % 3 == 0
                case 6: return (x * y % 2 + x * y % 3) % 2 == 0
                default: return ((x + y) % 2 + x * y % 3) % 2 == 0
                }
            }
        }
    }

    /// The same patterns as row bits.
    private static let maskPatternRowBits: [[[UInt64]]] = (1...maximumVersion).map { version in
        let size = version * 4 + 17
        return maskPatterns[version - 1].map { rowBits($0, size: size) }
    }

    private static func maskPattern(_ mask: Int, size: Int) -> [Bool] {
        maskPatterns[(size - 17) / 4 - 1][mask]
    }

    private static func maskPatternRows(_ mask: Int, size: Int) -> [UInt64] {
        maskPatternRowBits[(size - 17) / 4 - 1][mask]
    }

    /// Packs row-major modules into one UInt64 per row, bit x for column x.
    private static func rowBits(_ grid: [Bool], size: Int) -> [UInt64] {
        (0..<size).map { y in
            var row: UInt64 = 0
            for x in 0..<size where grid[y * size + x] { row |= 1 << UInt64(x) }
            return row
        }
    }

    /// Scores the mask penalty of ISO/IEC 18004 §7.8.3: runs of five or more, 2×2
    /// blocks, finder-like 1:1:3:1:1 sequences with four light modules on one
    /// side (the symbol's surroundings count as light), and dark/light imbalance.
    private static func penaltyScore(rows: [UInt64], size n: Int) -> Int {
        var columns = [UInt64](repeating: 0, count: n)
        for y in 0..<n {
            var row = rows[y]
            while row != 0 {
                let x = row.trailingZeroBitCount
                columns[x] |= 1 << UInt64(y)
                row &= row - 1
            }
        }

        var penalty = 0
        for line in 0..<n {
            penalty += linePenalty(rows[line], size: n)
            penalty += linePenalty(columns[line], size: n)
        }

        let pairMask: UInt64 = (1 << UInt64(n - 1)) - 1
        var dark = 0
        for y in 0..<n {
            dark += rows[y].nonzeroBitCount
            guard y + 1 < n else { continue }
            let upper = rows[y]
            let lower = rows[y + 1]
            let sameVertically = ~(upper ^ lower)
            let sameHorizontally = ~(upper ^ (upper >> 1))
            penalty += 3 * (sameVertically & (sameVertically >> 1) & sameHorizontally & pairMask).nonzeroBitCount
        }

        let total = n * n
        let deviation = abs(dark * 20 - total * 10)
        penalty += max(0, (deviation + total - 1) / total - 1) * 10
        return penalty
    }

    /// Scores one row or column: runs of five or more same-colored modules, and
    /// finder-like sequences.
    private static func linePenalty(_ line: UInt64, size n: Int) -> Int {
        var penalty = 0

        // Bit i of `same` is set when modules i and i + 1 match; a run of L modules
        // is L − 1 set bits and scores 3 + (L − 5) from L = 5 on.
        var same = ~(line ^ (line >> 1)) & ((1 << UInt64(n - 1)) - 1)
        while same != 0 {
            same >>= UInt64(same.trailingZeroBitCount)
            let ones = (~same).trailingZeroBitCount
            if ones >= 4 { penalty += ones - 1 }
            same = ones >= 64 ? 0 : same >> UInt64(ones)
        }

        // Dark-light-dark-dark-dark-light-dark starting at bit x, for every x at once,
        // then four light modules before or after each match.
        var matches = line & ~(line >> 1) & (line >> 2) & (line >> 3) & (line >> 4) & ~(line >> 5) & (line >> 6)
        matches &= (1 << UInt64(n - 6)) - 1
        while matches != 0 {
            let x = matches.trailingZeroBitCount
            matches &= matches - 1
            let lightAfter = (line >> UInt64(x + 7)) & 0xF == 0
            let before = line & ((1 << UInt64(x)) - 1)
            let lightBefore = (before >> UInt64(max(0, x - 4))) == 0
            if lightAfter || lightBefore { penalty += 40 }
        }
        return penalty
    }
}
