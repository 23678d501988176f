/// Renders the whole screen for a state: header, table, status line and
/// footer, then any open prompt on top.
public enum DashboardView {
    public static func render(_ state: AppState, theme: Theme) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.layout.width, height: state.layout.height, style: theme.tableRow)
        draw(state, theme: theme, into: &buffer)
        return buffer
    }

    public static func draw(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
        if state.layout.isTooSmall {
            TooSmallView.draw(state, theme: theme, into: &buffer)
            return
        }
        HeaderView.draw(state, theme: theme, into: &buffer)
        if state.detailICCID != nil {
            DetailView.draw(state, theme: theme, into: &buffer)
        } else {
            FleetTableView.draw(state, theme: theme, into: &buffer)
        }
        EventsPaneView.draw(state, theme: theme, into: &buffer)
        StatusLineView.draw(state, theme: theme, into: &buffer)
        KeyHintFooterView.draw(state, theme: theme, into: &buffer)

        switch state.mode {
        case .browsing:
            break
        case .fundPrompt(let prompt):
            FundPromptView.draw(prompt, state: state, theme: theme, into: &buffer)
        case .fundConfirmation(let confirmation):
            FundConfirmationView.draw(confirmation, theme: theme, into: &buffer)
        case .throttlePicker(let picker):
            ThrottlePickerView.draw(picker, theme: theme, into: &buffer)
        case .filterPrompt(let prompt):
            FilterPromptView.draw(prompt, theme: theme, into: &buffer)
        case .sortPicker(let picker):
            SortPickerView.draw(picker, sort: state.fleet.sort, theme: theme, into: &buffer)
        case .help(let scroll):
            HelpView.draw(scroll: scroll, state: state, theme: theme, into: &buffer)
        case .bulkFundPrompt(let prompt):
            BulkFundPromptView.draw(prompt, state: state, theme: theme, into: &buffer)
        case .bulkConfirmation(let confirmation):
            BulkConfirmationView.draw(confirmation, state: state, theme: theme, into: &buffer)
        case .bulkSummary(let summary, let scroll):
            BulkSummaryView.draw(summary, scroll: scroll, state: state, theme: theme, into: &buffer)
        }
    }
}
