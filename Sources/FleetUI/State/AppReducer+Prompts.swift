import CitrusAPI
import FleetCore
import Foundation

/// Keys inside the prompts and pickers drawn over the table.
extension AppState {
    mutating func handleFundPromptKey(_ key: Key, prompt: FundPrompt) -> [Effect] {
        var prompt = prompt
        switch key {
        case .escape:
            mode = .browsing
            status = StatusMessage("Fund cancelled for \(prompt.iccid); nothing was sent.", kind: .info)
            return []
        case .enter:
            do {
                let amount = try Money.parseAmount(prompt.text)
                let walletBefore = fleet.row(iccid: prompt.iccid)?.walletBalance
                let earlierUnknownFund = fundOutcomeUnknown[prompt.iccid]
                if amount >= confirmFundAbove || earlierUnknownFund != nil {
                    mode = .fundConfirmation(FundConfirmation(
                        iccid: prompt.iccid, amount: amount, walletBefore: walletBefore,
                        resellerBalanceBefore: resellerBalance, earlierUnknownFund: earlierUnknownFund))
                    return []
                }
                mode = .browsing
                return send(.fund(
                    iccid: prompt.iccid, amount: amount, walletBefore: walletBefore, resellerBalanceBefore: resellerBalance))
            } catch {
                prompt.error = error.description
                status = StatusMessage("Fund not sent: \(error.description)", kind: .error)
            }
        default:
            if TextEditing.apply(key, to: &prompt.text, maximumLength: FundPrompt.maximumLength) {
                prompt.error = nil
            }
        }
        mode = .fundPrompt(prompt)
        return []
    }

    /// Enter sends the fund only when the typed text is the ICCID's last four
    /// digits; Esc cancels and nothing is sent.
    mutating func handleFundConfirmationKey(_ key: Key, confirmation: FundConfirmation) -> [Effect] {
        var confirmation = confirmation
        switch key {
        case .escape:
            mode = .browsing
            status = StatusMessage(
                "Fund of \(confirmation.amount) to \(confirmation.iccid) cancelled; nothing was sent.", kind: .info)
            return []
        case .enter:
            if confirmation.text == confirmation.expectedText {
                mode = .browsing
                return send(.fund(
                    iccid: confirmation.iccid, amount: confirmation.amount, walletBefore: confirmation.walletBefore,
                    resellerBalanceBefore: confirmation.resellerBalanceBefore))
            }
            confirmation.error = confirmation.text.isEmpty
                ? "Type the last 4 digits of the ICCID, then Enter."
                : "\"\(confirmation.text)\" does not match the last 4 digits of the ICCID. Type them, or Esc to cancel."
        default:
            if TextEditing.apply(key, to: &confirmation.text, maximumLength: FundConfirmation.maximumLength) {
                confirmation.error = nil
            }
        }
        mode = .fundConfirmation(confirmation)
        return []
    }

    mutating func handleFilterPromptKey(_ key: Key, prompt: FilterPrompt) -> [Effect] {
        var prompt = prompt
        switch key {
        case .escape:
            mode = .browsing
            return []
        case .enter:
            do {
                let query = try FleetQuery.parse(prompt.text)
                mode = .browsing
                if query.terms.isEmpty {
                    clearFilter()
                } else {
                    fleet.setQuery(query)
                }
                return []
            } catch {
                prompt.error = error.description
            }
        default:
            if TextEditing.apply(key, to: &prompt.text, maximumLength: FilterPrompt.maximumLength) {
                prompt.error = nil
            }
        }
        mode = .filterPrompt(prompt)
        return []
    }

    mutating func handleThrottlePickerKey(_ key: Key, picker: ThrottlePicker) -> [Effect] {
        var picker = picker
        let speeds = ThrottleSpeed.allCases
        switch key {
        case .escape, .character("q"):
            mode = .browsing
            let target = picker.markedCount == nil ? picker.iccid : "the marked SIMs"
            status = StatusMessage("Throttle cancelled for \(target); nothing was sent.", kind: .info)
            return []
        case .enter where picker.markedCount != nil:
            confirmBulk(.throttle(speeds[picker.highlighted]))
            return []
        case .enter:
            mode = .browsing
            return send(.throttle(iccid: picker.iccid, speed: speeds[picker.highlighted]))
        case .down, .character("j"):
            picker.highlighted = min(speeds.count - 1, picker.highlighted + 1)
        case .up, .character("k"):
            picker.highlighted = max(0, picker.highlighted - 1)
        case .home, .character("g"):
            picker.highlighted = 0
        case .end, .character("G"):
            picker.highlighted = speeds.count - 1
        default:
            break
        }
        mode = .throttlePicker(picker)
        return []
    }
}

extension AppState {
    /// Enter sorts by the highlighted key, keeping the current direction.
    mutating func handleSortPickerKey(_ key: Key, picker: SortPicker) -> [Effect] {
        var picker = picker
        let last = SortPicker.options.count - 1
        switch key {
        case .escape, .character("q"):
            mode = .browsing
            return []
        case .enter:
            mode = .browsing
            fleet.setSort(TableSort(SortPicker.options[picker.highlighted], ascending: fleet.sort.ascending))
            return []
        case .down, .character("j"):
            picker.highlighted = min(last, picker.highlighted + 1)
        case .up, .character("k"):
            picker.highlighted = max(0, picker.highlighted - 1)
        case .home, .character("g"):
            picker.highlighted = 0
        case .end, .character("G"):
            picker.highlighted = last
        default:
            break
        }
        mode = .sortPicker(picker)
        return []
    }
}

extension AppState {
    /// Esc, ? or q closes the help; the arrows scroll it.
    mutating func handleHelpKey(_ key: Key, scroll: Int) {
        switch key {
        case .escape, .character("?"), .character("q"), .character("Q"), .enter:
            mode = .browsing
        case .down, .character("j"):
            mode = .help(scroll: min(HelpView.maximumScroll(self), scroll + 1))
        case .pageDown, .character(" "):
            mode = .help(scroll: min(HelpView.maximumScroll(self), scroll + 5))
        case .up, .character("k"):
            mode = .help(scroll: max(0, scroll - 1))
        case .pageUp:
            mode = .help(scroll: max(0, scroll - 5))
        default:
            break
        }
    }
}

/// The keys that edit a one-line text field.
enum TextEditing {
    /// Applies `key` to `text`: a printable character is appended while the
    /// text is shorter than `maximumLength`, Backspace and Delete remove the
    /// last character, and Ctrl-U clears the field. Returns whether the key
    /// edited the field; other keys and rejected characters return false.
    static func apply(_ key: Key, to text: inout String, maximumLength: Int) -> Bool {
        switch key {
        case .backspace, .delete:
            if !text.isEmpty { text.removeLast() }
            return true
        case .character("\u{15}"):
            text = ""
            return true
        case .character(let character):
            let isPrintable = character.unicodeScalars.allSatisfy { !TerminalSanitizer.isUnsafe($0) }
            guard isPrintable && text.count < maximumLength else { return false }
            text.append(character)
            return true
        default:
            return false
        }
    }
}
