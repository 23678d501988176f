/// Input read from the terminal.
public enum TerminalInput: Equatable, Sendable {
    case key(Key)
    /// The terminal changed size; the new size is the backend's `size`.
    case resized(width: Int, height: Int)
}

/// The terminal operations the UI loop uses. The ncurses backend is the
/// real one; tests can supply their own.
public protocol TerminalBackend: AnyObject {
    /// The screen size in columns and rows.
    var size: (width: Int, height: Int) { get }
    /// The descriptor the UI loop polls for input.
    var inputFileDescriptor: Int32 { get }
    /// Copies `buffer` to the screen.
    func draw(_ buffer: ScreenBuffer)
    /// Returns every input waiting, without blocking.
    func readInput() -> [TerminalInput]
    /// Returns the termination signal (SIGINT, SIGTERM, SIGHUP) received
    /// since the last call, or nil.
    func takeTerminationSignal() -> Int32?
    /// Gives the terminal back as it was before `start`. Safe to call twice.
    func stop()
}
