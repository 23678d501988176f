import CitrusAPI
import FleetCore
import Foundation

/// How many SIMs are marked, and how many of them the table does not show.
public struct MarkCounts: Equatable, Sendable {
    public var total = 0
    /// Marked SIMs that the filter hides. Gone SIMs are counted in `gone` only.
    public var hiddenByFilter = 0
    /// Marked SIMs that are gone from the API. They keep their mark and every
    /// bulk action skips them.
    public var gone = 0

    public init(total: Int = 0, hiddenByFilter: Int = 0, gone: Int = 0) {
        self.total = total
        self.hiddenByFilter = hiddenByFilter
        self.gone = gone
    }

    /// "12 marked", "12 marked (3 hidden by the filter, 1 gone: skipped)".
    public var text: String {
        var notes: [String] = []
        if hiddenByFilter > 0 { notes.append("\(DisplayFormat.count(hiddenByFilter)) hidden by the filter") }
        if gone > 0 { notes.append("\(DisplayFormat.count(gone)) gone: skipped") }
        let base = "\(DisplayFormat.count(total)) marked"
        return notes.isEmpty ? base : "\(base) (\(notes.joined(separator: ", ")))"
    }
}

/// The amount input of a bulk fund: an amount per SIM ("5") or a top-up
/// target ("to 20").
public struct BulkFundPrompt: Equatable, Sendable {
    /// The number of marked SIMs when the prompt opened.
    public var markedCount: Int
    /// The text the operator typed, kept when it is rejected.
    public var text: String = ""
    /// The reason the last Enter was rejected, in plain words.
    public var error: String?

    public init(markedCount: Int, text: String = "", error: String? = nil) {
        self.markedCount = markedCount
        self.text = text
        self.error = error
    }

    /// Room for "to 10000.00" with spaces.
    public static let maximumLength = 20

    /// Parses `text`: "5" or "$5.50" funds that amount to each SIM, and
    /// "to 20" tops each wallet up to $20. Throws a message that names the
    /// input and the fix.
    public static func parse(_ text: String) throws(BulkFundInputError) -> BulkAction {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered == "to" || lowered.hasPrefix("to ") || lowered.hasPrefix("to$") {
            let target = String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            do {
                return .topUp(target: try Money.parseAmount(target))
            } catch {
                throw BulkFundInputError("Top-up target: \(error.description) Type \"to\" and the balance each wallet should reach, such as to 20.")
            }
        }
        do {
            return .fund(try Money.parseAmount(trimmed))
        } catch {
            throw BulkFundInputError("\(error.description) Or type \"to\" and a target, such as to 20, to top each wallet up to $20.")
        }
    }
}

/// A rejected bulk fund input, as a sentence for the prompt.
public struct BulkFundInputError: Error, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The confirmation of a bulk action: the plan, and for a disable or a
/// total at or above `confirm_fund_above_usd`, the number of SIMs typed so
/// far. A stray key cannot start such a run: Enter starts it only when the
/// typed text is the number of SIMs.
public struct BulkConfirmation: Equatable, Sendable {
    public var plan: BulkPlan
    public var requiresTypedConfirmation: Bool
    /// The text typed so far.
    public var text: String = ""
    /// The reason the last Enter was rejected, in plain words.
    public var error: String?
    /// The first line of the per-SIM list on screen.
    public var scroll = 0

    public init(plan: BulkPlan, requiresTypedConfirmation: Bool) {
        self.plan = plan
        self.requiresTypedConfirmation = requiresTypedConfirmation
    }

    /// The text the operator must type: the number of SIMs the run sends.
    public var expectedText: String { String(plan.items.count) }

    public static let maximumLength = 8
}

/// A bulk run under way, for the status line and the footer.
public struct BulkRunState: Equatable, Sendable {
    public var action: BulkAction
    public var plannedCount: Int
    public var succeededCount = 0
    public var failedCount = 0
    /// Set once the operator pressed Esc or quit.
    public var stopRequested = false

    public init(action: BulkAction, plannedCount: Int) {
        self.action = action
        self.plannedCount = plannedCount
    }

    /// "Top-up 12/37: 11 done, 1 failed · Esc stops after the current SIM".
    public var statusText: String {
        let attempted = succeededCount + failedCount
        let tail = stopRequested ? "stopping after the current SIM…" : "Esc stops after the current SIM"
        return "\(action.title) \(attempted)/\(plannedCount): \(succeededCount) done, \(failedCount) failed · \(tail)"
    }
}
