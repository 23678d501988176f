/// Case-insensitive matching over UTF-8 bytes, fast enough to scan 100,000
/// labels per keystroke. Only ASCII letters are folded, so `É` and `é`
/// differ; every other byte must match exactly.
enum TextMatching {
    static func fold(_ text: String) -> [UInt8] {
        text.utf8.map(foldByte)
    }

    @inline(__always)
    static func foldByte(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
    }

    static func matches(_ pattern: TextPattern, _ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            pattern.isWildcard
                ? wildcardMatch(pattern.folded[...], bytes[...])
                : contains(bytes, pattern.folded)
        }
    }

    /// Substring search with ASCII case folding of the haystack.
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        guard haystack.count >= n else { return false }
        let first = needle[0]
        for start in 0...(haystack.count - n) where foldByte(haystack[start]) == first {
            var offset = 1
            while offset < n && foldByte(haystack[start + offset]) == needle[offset] { offset += 1 }
            if offset == n { return true }
        }
        return false
    }

    /// Glob match of the whole value: `*` is any run of bytes, `?` one byte.
    /// `?` counts bytes, so it matches one ASCII character. Iterative with
    /// backtracking to the last star: linear in practice, never exponential.
    static func wildcardMatch(_ pattern: ArraySlice<UInt8>, _ value: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        var p = pattern.startIndex, v = value.startIndex
        var starP: Int?, starV = value.startIndex
        while v < value.endIndex {
            if p < pattern.endIndex && (pattern[p] == question || pattern[p] == foldByte(value[v])) {
                p += 1
                v += 1
            } else if p < pattern.endIndex && pattern[p] == star {
                starP = p
                starV = v
                p += 1
            } else if let starPosition = starP {
                p = starPosition + 1
                starV += 1
                v = starV
            } else {
                return false
            }
        }
        while p < pattern.endIndex && pattern[p] == star { p += 1 }
        return p == pattern.endIndex
    }
}
