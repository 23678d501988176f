import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One SIM row as the pane shows it.
struct ScreenRow {
    /// The row's position in the table body, 0 for the first row.
    var offset: Int
    var iccid: String
    var text: String

    /// The value columns at 120 columns (status, wallet, burn rate, ETA,
    /// charged, throttle), read from the right because labels may contain spaces.
    private var trailingFields: [Substring] {
        Array(text.split(separator: " ").suffix(6))
    }

    private func field(_ index: Int) -> String {
        trailingFields.count == 6 ? String(trailingFields[index]) : ""
    }

    var status: String { field(0) }
    var walletText: String { field(1) }
    var burn: String { field(2) }
    var eta: String { field(3) }
    var throttle: String { field(5) }

    /// The wallet in cents, or nil for "group" or "-".
    var walletCents: Int? {
        let digits = walletText.replacingOccurrences(of: ",", with: "").split(separator: ".")
        guard digits.count == 2, let dollars = Int(digits[0]), let cents = Int(digits[1]) else { return nil }
        return dollars * 100 + cents
    }
}

/// Drives `citrus-fleet` inside a `TmuxSession` and reads its screen.
struct DashboardDriver {
    let tmux: TmuxSession

    var pidFile: URL { tmux.directory.appendingPathComponent("citrus-fleet.pid") }

    /// Starts the dashboard on the built-in simulator with a fixed seed and
    /// waits for the first rows of the table.
    @discardableResult
    func launch(_ arguments: String = "--seed 7", environment: String = "", expectsDemo: Bool = true) throws -> [String] {
        let binary = try CitrusFleetBinary.path().path
        // The wrapper records the dashboard's pid, then execs it, so the pid
        // is the dashboard's own; the shell prints its exit status after it.
        try tmux.run("\(environment) sh -c 'echo $$ > \"\(pidFile.path)\"; exec \"$0\" \"$@\"' '\(binary)' \(arguments); echo EXIT=$?")
        return try tmux.waitFor("the fleet table", timeout: 60) { lines in
            lines.first?.contains("citrus-fleet") == true && Self.rows(in: lines).count >= 5
                && lines.first?.contains("DEMO") == expectsDemo
        }
    }

    /// Returns the pid of the running dashboard.
    func pid() throws -> pid_t {
        let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text) else { throw E2EError("The pid file \(pidFile.path) contains \"\(text)\", not a pid.") }
        return pid
    }

    /// Returns the SIM rows on screen, top to bottom.
    static func rows(in lines: [String]) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        // Below the three header rows and the column headings. A marked row
        // starts with `*` in the gutter.
        for line in lines.dropFirst(4) {
            let unmarked = line.hasPrefix("*") ? String(line.dropFirst()) : line
            let fields = unmarked.split(separator: " ", maxSplits: 1)
            guard let first = fields.first, first.count >= 19, first.hasPrefix("89"), first.allSatisfy(\.isNumber) else { break }
            rows.append(ScreenRow(offset: rows.count, iccid: String(first), text: line))
        }
        return rows
    }

    static func row(_ iccid: String, in lines: [String]) -> ScreenRow? {
        rows(in: lines).first { $0.iccid == iccid }
    }

    /// Returns the first row on screen that satisfies `condition`.
    func firstRow(in lines: [String], where condition: (ScreenRow) -> Bool) throws -> ScreenRow {
        guard let row = Self.rows(in: lines).first(where: condition) else {
            throw E2EError("No row on screen matches. The screen showed:\n\(lines.joined(separator: "\n"))")
        }
        return row
    }

    /// Moves the selection from the first row down to `row` with j.
    func select(_ row: ScreenRow) throws {
        guard row.offset > 0 else { return }
        try tmux.press(Array(repeating: "j", count: row.offset))
    }

    /// Returns the status line, the row above the footer.
    static func statusLine(in lines: [String]) -> String {
        lines.count >= 2 ? lines[lines.count - 2] : ""
    }

    /// The dashboard's log file.
    var logFile: URL { tmux.directory.appendingPathComponent("state/citrus-fleet/citrus-fleet.log") }

    /// The log file's text so far, or "" before it exists.
    var logText: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Whether `line` is the shell's `EXIT=N` output. The typed command line
    /// itself contains `EXIT=$?`, which a narrow pane can wrap to the start
    /// of a row, so only digits count.
    static func isExitStatusLine(_ line: String) -> Bool {
        line.range(of: #"^EXIT=[0-9]+$"#, options: .regularExpression) != nil
    }

    /// Quits with q and checks that the dashboard exits with status 0 and
    /// restores the shell (see `expectShellBack`).
    func quit() throws {
        try tmux.press("q")
        try expectShellBack(exitStatus: 0)
    }

    /// Waits until the shell prints the dashboard's exit status, then checks
    /// that the shell and the terminal are back (see `expectShellRestored`).
    func expectShellBack(exitStatus: Int32) throws {
        let lines = try tmux.waitFor("the exit status", timeout: 15) { lines in
            lines.contains(where: Self.isExitStatusLine)
        }
        guard lines.contains("EXIT=\(exitStatus)") else {
            throw E2EError("Expected EXIT=\(exitStatus). The screen showed:\n\(lines.joined(separator: "\n"))")
        }
        try expectShellRestored()
    }

    /// Checks that the UI is gone, the prompt is the last line, and the
    /// terminal modes are restored (canonical input and echo on).
    func expectShellRestored() throws {
        let lines = try tmux.waitFor("the shell prompt", timeout: 15) { lines in
            let last = lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
            return last.hasPrefix(TmuxSession.prompt)
        }
        let lastLine = lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        guard lastLine.hasPrefix(TmuxSession.prompt) else {
            throw E2EError("The shell prompt is not the last line. The screen showed:\n\(lines.joined(separator: "\n"))")
        }
        if let leftover = lines.first(where: { $0.contains("ICCID") || $0.contains("citrus-fleet   DEMO") || $0.contains("↑↓ j/k") }) {
            throw E2EError("The dashboard left \"\(leftover)\" on the screen:\n\(lines.joined(separator: "\n"))")
        }

        try tmux.run("stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo MODES")
        try tmux.waitFor("the terminal modes to read icanon echo") { lines in
            lines.contains { $0.hasSuffix("icanon echo MODES") }
        }
    }
}
