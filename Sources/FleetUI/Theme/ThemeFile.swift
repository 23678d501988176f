import Foundation

/// A problem found while reading a theme file. None of them stops the
/// dashboard: the affected style keeps its built-in default.
public struct ThemeIssue: Equatable, Sendable, CustomStringConvertible {
    public enum Severity: Equatable, Sendable {
        /// A key the file does not set; the built-in default is used.
        case notice
        /// A line or value that cannot be used; the built-in default is used.
        case error
    }

    public var severity: Severity
    public var message: String

    public var description: String { message }
}

/// Reads theme files: one `key = value` per line, `#` starts a comment.
///
/// A value is an optional foreground color, an optional `on` and background
/// color, then any of the attributes `bold`, `dim`, `reverse`, `underline`:
/// `white on blue bold`, `on red`, `reverse`. A color is `default`, one of
/// `black red green yellow blue magenta cyan white`, or a palette index 0–255.
/// `plain` (or `default`) alone means the terminal's colors with no attributes.
public enum ThemeFile {
    /// Reads the theme at `path`. A file that cannot be read yields the
    /// built-in theme and one error issue naming the path.
    public static func load(path: String) -> (theme: Theme, issues: [ThemeIssue]) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let issue = ThemeIssue(
                severity: .error,
                message: "Theme file \(path) could not be read (\(error.localizedDescription)); using the built-in theme.")
            return (.builtIn, [issue])
        }
        return parse(text, source: path)
    }

    /// Applies the settings in `text` over the built-in theme.
    public static func parse(_ text: String, source: String) -> (theme: Theme, issues: [ThemeIssue]) {
        var theme = Theme.builtIn
        var issues: [ThemeIssue] = []
        var seen = Set<String>()
        let knownKeys = Dictionary(uniqueKeysWithValues: Theme.keyPaths.map { ($0.key, $0.path) })

        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.isEmpty { continue }

            guard let equals = line.firstIndex(of: "=") else {
                issues.append(.init(severity: .error, message: "\(source):\(lineNumber): \"\(line)\" is not a setting. Write key = value."))
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard let path = knownKeys[key] else {
                let known = Theme.keyPaths.map(\.key).joined(separator: ", ")
                issues.append(.init(severity: .error, message: "\(source):\(lineNumber): unknown theme key \"\(key)\". Known keys: \(known)."))
                continue
            }
            switch parseStyle(value) {
            case .success(let style):
                theme[keyPath: path] = style
                seen.insert(key)
            case .failure(let problem):
                issues.append(.init(severity: .error, message: "\(source):\(lineNumber): \(key) = \"\(value)\" is invalid: \(problem.reason) Using the built-in value."))
            }
        }

        for (key, _) in Theme.keyPaths where !seen.contains(key) {
            issues.append(.init(severity: .notice, message: "\(source): \(key) is not set; using the built-in value."))
        }
        return (theme, issues)
    }

    struct StyleProblem: Error {
        var reason: String
    }

    /// Parses one value such as `white on blue bold`.
    static func parseStyle(_ value: String) -> Result<CellStyle, StyleProblem> {
        let words = value.lowercased().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !words.isEmpty else {
            return .failure(StyleProblem(reason: "the value is empty. Write colors and attributes, such as \"white on blue bold\", or \"plain\"."))
        }
        if words == ["plain"] { return .success(.plain) }

        var style = CellStyle.plain
        var index = 0
        if let color = parseColor(words[index]) {
            style.foreground = color
            index += 1
        }
        if index < words.count, words[index] == "on" {
            guard index + 1 < words.count, let color = parseColor(words[index + 1]) else {
                return .failure(StyleProblem(reason: "\"on\" must be followed by a color, such as \"on blue\" or \"on 236\"."))
            }
            style.background = color
            index += 2
        }
        while index < words.count {
            switch words[index] {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            default:
                return .failure(StyleProblem(reason: "\"\(words[index])\" is not a color or attribute here. Colors come first (default, black, red, green, yellow, blue, magenta, cyan, white or 0–255), then \"on\" and a background color, then bold, dim, reverse or underline."))
            }
            index += 1
        }
        return .success(style)
    }

    static func parseColor(_ word: String) -> TerminalColor? {
        switch word {
        case "default": return .terminalDefault
        case "black": return .black
        case "red": return .red
        case "green": return .green
        case "yellow": return .yellow
        case "blue": return .blue
        case "magenta": return .magenta
        case "cyan": return .cyan
        case "white": return .white
        default:
            guard word.allSatisfy(\.isASCII), let index = UInt8(word) else { return nil }
            return .indexed(index)
        }
    }
}
