/// A key press, decoded by the terminal backend.
public enum Key: Hashable, Sendable {
    /// A printable character, or a control character such as Ctrl-U (U+0015).
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab
}
