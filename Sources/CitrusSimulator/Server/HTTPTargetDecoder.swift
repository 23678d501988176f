/// Character classes from RFC 9110 and RFC 9112, on raw bytes.
enum HTTPSyntax {
    /// `tchar`: the characters of methods and header names.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Visible characters, space, tab and `obs-text` (bytes 0x80 and above).
    static func isFieldValueCharacter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
    }

    /// Visible ASCII: the only bytes allowed in a request target.
    static func isTargetCharacter(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Splits a request target into a percent-decoded path, its segments and query parameters.
enum HTTPTargetDecoder {
    /// `segments` are split on the raw `/` before decoding, so an encoded slash (`%2F`)
    /// stays inside its segment as RFC 3986 requires; empty segments are left out.
    static func decode(_ target: ArraySlice<UInt8>) throws(HTTPParseError) -> (path: String, segments: [String], query: [(name: String, value: String)]) {
        guard !target.isEmpty, target.allSatisfy(HTTPSyntax.isTargetCharacter) else {
            throw .badRequest("The request target is empty or contains spaces or control characters.")
        }

        let originForm = try originForm(of: target)
        let questionMark = originForm.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = originForm[originForm.startIndex..<(questionMark ?? originForm.endIndex)]
        // The path keeps `%2F` encoded, so logs and messages do not show it as a separator.
        guard let path = percentDecoded(rawPath, plusIsSpace: false, keepingEncodedSlash: true) else {
            throw .badRequest("The request path has an invalid percent-encoding or is not UTF-8.")
        }
        var segments: [String] = []
        for rawSegment in rawPath.split(separator: UInt8(ascii: "/")) {
            // The whole path decoded, so each of its segments decodes too.
            guard let segment = percentDecoded(rawSegment, plusIsSpace: false) else {
                throw .badRequest("The request path has an invalid percent-encoding or is not UTF-8.")
            }
            segments.append(segment)
        }

        var query: [(name: String, value: String)] = []
        if let questionMark {
            for pair in originForm[(questionMark + 1)...].split(separator: UInt8(ascii: "&")) {
                let equals = pair.firstIndex(of: UInt8(ascii: "="))
                let rawName = pair[pair.startIndex..<(equals ?? pair.endIndex)]
                let rawValue = equals.map { pair[($0 + 1)...] } ?? []
                guard let name = percentDecoded(rawName, plusIsSpace: true),
                      let value = percentDecoded(rawValue, plusIsSpace: true) else {
                    throw .badRequest("The query string has an invalid percent-encoding or is not UTF-8.")
                }
                query.append((name, value))
            }
        }
        return (path, segments, query)
    }

    /// Returns the target in origin form (`/path?query`): an absolute-form target
    /// (`http://host/path`) loses its scheme and authority, which RFC 9112 requires servers to accept.
    private static func originForm(of target: ArraySlice<UInt8>) throws(HTTPParseError) -> ArraySlice<UInt8> {
        if target.first == UInt8(ascii: "/") || Array(target) == Array("*".utf8) {
            return target
        }
        let lowered = target.prefix(8).map { $0 | 0x20 }
        for scheme in ["http://", "https://"] where lowered.starts(with: Array(scheme.utf8)) {
            let afterScheme = target.dropFirst(scheme.utf8.count)
            guard let pathStart = afterScheme.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else {
                return ArraySlice(Array("/".utf8))
            }
            let rest = target[pathStart...]
            return rest.first == UInt8(ascii: "/") ? rest : ArraySlice(Array("/".utf8)) + rest
        }
        throw .badRequest("The request target must start with '/'.")
    }

    private static func percentDecoded(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool, keepingEncodedSlash: Bool = false) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                      let high = HTTPSyntax.hexValue(bytes[index + 1]),
                      let low = HTTPSyntax.hexValue(bytes[index + 2]) else { return nil }
                let value = high << 4 | low
                if keepingEncodedSlash && value == UInt8(ascii: "/") {
                    decoded.append(contentsOf: bytes[index...(index + 2)])
                } else {
                    decoded.append(value)
                }
                index += 3
            } else {
                decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? space : byte)
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }
}

private let space = UInt8(ascii: " ")
