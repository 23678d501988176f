import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal backend on ncurses: the only file that imports CNcurses.
///
/// `init` puts the terminal in curses mode; `stop` (or, failing that, the
/// `atexit` fallback or the crash handler installed by the shim) gives it
/// back. SIGINT, SIGTERM and SIGHUP only set a flag and write a byte to the
/// mailbox's wake-up pipe; the UI loop reads the flag through
/// `takeTerminationSignal()`.
public final class NcursesTerminal: TerminalBackend {
    private struct ColorPairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    /// Milliseconds ncurses waits after ESC for the rest of an escape
    /// sequence. The ncurses default of 1000 ms makes Esc feel stuck.
    private static let escapeDelayMilliseconds: Int32 = 25

    private let screen: OpaquePointer
    private let hasColors: Bool
    private let colorCount: Int
    private var colorPairs: [ColorPairKey: Int16] = [:]
    private var isStopped = false
    /// The buffer drawn last, so `draw` can skip the cells that did not change.
    private var previous: ScreenBuffer?

    /// Puts the terminal in curses mode.
    ///
    /// - Parameter wakeUpFileDescriptor: the write end of the pipe that the
    ///   termination signal handler writes to.
    /// - Throws: `DashboardSetupError` when standard input or output is not a
    ///   terminal, or when ncurses does not know the terminal type.
    public init(wakeUpFileDescriptor: Int32) throws {
        try Self.requireTerminal()
        setlocale(LC_ALL, "")
        _ = citrus_save_terminal_modes()
        _ = citrus_install_termination_handlers(wakeUpFileDescriptor)

        guard let screen = citrus_newterm() else {
            throw DashboardSetupError.terminalUnavailable(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.screen = screen
        _ = citrus_arm_terminal_restore()

        cbreak()
        noecho()
        nonl()
        keypad(citrus_stdscr(), true)
        nodelay(citrus_stdscr(), true)
        curs_set(0)
        set_escdelay(Self.escapeDelayMilliseconds)

        hasColors = has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
        colorCount = hasColors ? Int(citrus_colors()) : 0
    }

    deinit {
        stop()
    }

    /// Throws `DashboardSetupError.notATerminal` unless standard input and
    /// standard output are both terminals, so callers can fail before they
    /// start anything else.
    public static func requireTerminal() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw DashboardSetupError.notATerminal
        }
    }

    public var size: (width: Int, height: Int) {
        (Int(citrus_cols()), Int(citrus_lines()))
    }

    public var inputFileDescriptor: Int32 { STDIN_FILENO }

    public func stop() {
        guard !isStopped else { return }
        isStopped = true
        citrus_end_curses()
        delscreen(screen)
    }

    public func takeTerminationSignal() -> Int32? {
        let signal = citrus_take_pending_signal()
        return signal == 0 ? nil : signal
    }

    // MARK: Drawing

    /// Copies the cells that changed since the last call into stdscr, or all
    /// of them after a resize, and refreshes once. ncurses then sends only the
    /// cells that differ from the screen.
    public func draw(_ buffer: ScreenBuffer) {
        let (width, height) = size
        let previous = self.previous.flatMap { $0.width == buffer.width && $0.height == buffer.height ? $0 : nil }
        for y in 0..<min(height, buffer.height) {
            for x in 0..<min(width, buffer.width) {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                if let previous, previous[x, y] == cell { continue }
                put(cell, x: x, y: y)
            }
        }
        refresh()
        self.previous = buffer
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let attributes = attributes(of: cell.style)
        let pair = colorPair(for: cell.style)
        var characters = cell.grapheme.unicodeScalars.map { wchar_t(bitPattern: $0.value) }

        // ncurses advances the cursor by the wcwidth of the first character.
        // When that differs from the buffer's width, U+FFFD (and a space for a
        // wide cell) is drawn instead, so both agree where the next cell starts.
        let terminalWidth = characters.first.map { Int(citrus_wcwidth($0)) } ?? 1
        if terminalWidth != cell.width || characters.count > 5 {
            characters = [wchar_t(0xFFFD)]
            if cell.width == 2 {
                _ = citrus_put_wide(Int32(y), Int32(x + 1), [wchar_t(0x20), 0], attributes, pair)
            }
        }
        characters.append(0)
        if citrus_put_wide(Int32(y), Int32(x), characters, attributes, pair) == citrus_err() {
            // The bottom-right cell returns ERR after drawing, because the cursor
            // cannot advance past it; any other failure leaves a placeholder.
            let atLastCell = y == Int(citrus_lines()) - 1 && x + cell.width >= Int(citrus_cols())
            if !atLastCell {
                _ = citrus_put_wide(Int32(y), Int32(x), [wchar_t(0x3F), 0], attributes, pair)
            }
        }
    }

    private func attributes(of style: CellStyle) -> Int32 {
        var attributes = citrus_attr_normal()
        if style.bold { attributes |= citrus_attr_bold() }
        if style.dim { attributes |= citrus_attr_dim() }
        if style.reverse { attributes |= citrus_attr_reverse() }
        if style.underline { attributes |= citrus_attr_underline() }
        return attributes
    }

    /// Returns the color pair for the style's colors, creating it on first
    /// use. Without color support, or once every pair is taken, pair 0 (the
    /// terminal's colors) is used.
    private func colorPair(for style: CellStyle) -> Int16 {
        guard hasColors else { return 0 }
        let key = ColorPairKey(foreground: number(of: style.foreground), background: number(of: style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = colorPairs[key] { return pair }

        let next = colorPairs.count + 1
        guard next < Int(citrus_color_pairs()), next <= Int(Int16.max) else { return 0 }
        guard init_pair(Int16(next), Int16(key.foreground), Int16(key.background)) != citrus_err() else { return 0 }
        colorPairs[key] = Int16(next)
        return Int16(next)
    }

    private func number(of color: TerminalColor) -> Int {
        let number = color.curses
        return number < colorCount ? number : color.fallback.curses
    }

    // MARK: Input

    public func readInput() -> [TerminalInput] {
        var inputs: [TerminalInput] = []
        var key: wint_t = 0
        while true {
            let result = citrus_get_wch(&key)
            if result == citrus_err() { break }
            if result == citrus_key_code_yes() {
                if let input = decodeKeyCode(Int32(key)) { inputs.append(input) }
            } else if let input = decodeCharacter(UInt32(key)) {
                inputs.append(input)
            }
        }
        return inputs
    }

    private func decodeKeyCode(_ code: Int32) -> TerminalInput? {
        switch code {
        case citrus_key_resize():
            previous = nil
            return .resized(width: size.width, height: size.height)
        case citrus_key_up(): return .key(.up)
        case citrus_key_down(): return .key(.down)
        case citrus_key_left(): return .key(.left)
        case citrus_key_right(): return .key(.right)
        case citrus_key_npage(): return .key(.pageDown)
        case citrus_key_ppage(): return .key(.pageUp)
        case citrus_key_home(): return .key(.home)
        case citrus_key_end(): return .key(.end)
        case citrus_key_enter(): return .key(.enter)
        case citrus_key_backspace(): return .key(.backspace)
        case citrus_key_dc(): return .key(.delete)
        default: return nil
        }
    }

    private func decodeCharacter(_ value: UInt32) -> TerminalInput? {
        switch value {
        case 0x1B: return .key(.escape)
        case 0x0A, 0x0D: return .key(.enter)
        case 0x08, 0x7F: return .key(.backspace)
        case 0x09: return .key(.tab)
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }
}
