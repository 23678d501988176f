/// A terminal color: the terminal's own default, one of the eight ANSI colors,
/// or an index into a 256-color palette.
public enum TerminalColor: Hashable, Sendable {
    case terminalDefault
    case black, red, green, yellow, blue, magenta, cyan, white
    /// An entry of the 256-color palette; terminals with fewer colors show
    /// `fallback` instead.
    case indexed(UInt8)

    /// The color number curses uses: -1 for the default, 0–7 for the ANSI colors.
    public var curses: Int {
        switch self {
        case .terminalDefault: return -1
        case .black: return 0
        case .red: return 1
        case .green: return 2
        case .yellow: return 3
        case .blue: return 4
        case .magenta: return 5
        case .cyan: return 6
        case .white: return 7
        case .indexed(let index): return Int(index)
        }
    }

    /// The color to use on a terminal with only 8 colors.
    public var fallback: TerminalColor {
        guard case .indexed(let index) = self else { return self }
        return index < 8 ? TerminalColor.ansi[Int(index)] : .terminalDefault
    }

    static let ansi: [TerminalColor] = [.black, .red, .green, .yellow, .blue, .magenta, .cyan, .white]
}

/// The look of one cell: colors and text attributes.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(
        foreground: TerminalColor = .terminalDefault,
        background: TerminalColor = .terminalDefault,
        bold: Bool = false,
        dim: Bool = false,
        reverse: Bool = false,
        underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// The terminal's default colors with no attributes.
    public static let plain = CellStyle()
}
