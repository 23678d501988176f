import CitrusAPI
import CitrusSimulator
import FleetCore
import FleetUI
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `citrus-fleet` program: parses the command line, connects to the
/// simulator or Citrus, and runs the dashboard.
enum CitrusFleet {
    /// Runs the program and returns its exit status. Everything that can fail
    /// because of the command line, the configuration file or the environment
    /// fails here, before the terminal is touched.
    static func main(arguments: [String], environment: [String: String]) -> Int32 {
        let commandLine: FleetCommandLine
        do {
            commandLine = try FleetCommandLine.parse(arguments)
        } catch {
            printError(error.description)
            return 2
        }
        if commandLine.showsHelp {
            print(FleetCommandLine.helpText, terminator: "")
            return 0
        }

        let settings: DashboardSettings
        let target: DashboardTarget
        do {
            settings = try DashboardSettings.resolve(commandLine, environment: environment)
            let apiKey = try settings.loadAPIKey(commandLine, environment: environment)
            target = try DashboardTarget.resolve(
                commandLine, apiKey: apiKey, environment: environment,
                configuredBaseURL: settings.configuredBaseURL(environment: environment))
        } catch let error as CredentialsError {
            printError(error.message)
            return 2
        } catch {
            printError("\(error)")
            return 2
        }

        let logPath = FileLog.defaultPath(environment: environment)
        guard let log = FileLog(path: logPath) else {
            printError("Could not open the log file \(logPath): \(String(cString: strerror(errno))). Set XDG_STATE_HOME to a writable directory.")
            return 1
        }
        signal(SIGPIPE, SIG_IGN)
        return run(commandLine, settings: settings, target: target, log: log)
    }

    private static func run(
        _ commandLine: FleetCommandLine, settings: DashboardSettings, target: DashboardTarget, log: FileLog
    ) -> Int32 {
        do {
            try NcursesTerminal.requireTerminal()
        } catch {
            printError("\(error)")
            return 1
        }
        let configuration = settings.configuration
        let interval = settings.refreshIntervalSeconds(commandLine, isDemo: target.isDemo)
        log.info(settings.summary(refreshIntervalSeconds: interval, isDemo: target.isDemo))
        let theme = loadTheme(settings.themePath, log: log)

        let eventLog: EventLog
        do {
            eventLog = try EventLog(capacity: 1000, fileURL: configuration.eventsFile)
        } catch {
            printError("Could not open the events file: \(error)")
            log.error("Could not open the events file: \(error)")
            return 1
        }

        let connection: DashboardConnection
        do {
            connection = try DashboardConnection.open(
                target, budgetPerMinute: settings.budgetPerMinute, timeouts: settings.timeouts,
                auditLog: configuration.auditLog, log: log)
        } catch {
            printError(error.description)
            log.error(error.description)
            return 1
        }
        defer { connection.close() }

        let mailbox: Mailbox
        do {
            mailbox = try Mailbox()
        } catch {
            printError("\(error)")
            return 1
        }

        let refreshLoop = RefreshLoop(
            client: connection.client, interval: .milliseconds(Int64(interval * 1000)),
            clock: connection.fleetClock, metrics: configuration.metricsConfiguration, eventLog: eventLog,
            staleAfter: configuration.staleAfterSeconds.map(TimeInterval.init), logger: log
        ) { batch in
            mailbox.post(.fleetChanged(batch))
        }

        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal(wakeUpFileDescriptor: mailbox.wakeUpWriteFD)
        } catch {
            printError("\(error)")
            log.error("\(error)")
            return 1
        }

        Task.detached { await refreshLoop.start() }
        log.info("Sweeping every \(interval) s\(commandLine.isReadOnly ? " in read-only mode" : "").")

        let (width, height) = terminal.size
        var state = AppState(
            isDemo: target.isDemo, isReadOnly: commandLine.isReadOnly, width: width, height: height,
            now: connection.fleetClock.now(), metrics: configuration.metricsConfiguration)
        state.confirmFundAbove = configuration.confirmFundAbove
        if let auditLog = connection.auditLog {
            // Funds of unknown outcome from earlier runs keep their guard.
            state.fundOutcomeUnknown = AuditLog.unresolvedFunds(at: auditLog.url)
            if !state.fundOutcomeUnknown.isEmpty {
                log.warning("The audit log has \(state.fundOutcomeUnknown.count) SIM(s) whose last fund has an unknown outcome: "
                    + state.fundOutcomeUnknown.keys.sorted().joined(separator: ", ")
                    + ". Funds to them need the ICCID's last 4 digits, and bulk funds skip them, until a fund to them succeeds.")
            }
        }
        let app = DashboardApp(
            state: state, theme: theme, clock: connection.fleetClock,
            performer: FleetOperations(client: connection.client, refreshLoop: refreshLoop),
            detailSelector: refreshLoop, mailbox: mailbox, log: { log.info($0) })
        let status = app.run(on: terminal)
        reportUnfinished(app.unfinishedRequestsWithIDs, auditLog: connection.auditLog, log: log)
        reportUnsent(app.unsentRequests, auditLog: connection.auditLog, log: log)
        reportBulkRun(app, log: log)
        log.info("citrus-fleet stopped with exit status \(status).")

        // The terminal is restored, and the log and audit log are written per
        // line, so nothing is left to flush. The process ends here without
        // stopping the refresh loop or releasing the simulator, so no request
        // in flight is cancelled. On Linux (Swift 6.3), cancelling a URLSession
        // task while its response completes can deadlock inside
        // FoundationNetworking, and the shell would never get its prompt back.
        fflush(nil)
        _exit(status)
    }

    /// After the terminal is restored: prints one line per request whose
    /// result did not arrive, and records each as `unknown` in the audit log
    /// (written and synced per line) under the request's own id, so it pairs
    /// with its `sending` record.
    private static func reportUnfinished(_ requests: [DashboardApp.UnfinishedRequest], auditLog: AuditLog?, log: FileLog) {
        for unfinished in requests {
            let request = unfinished.request
            printError(request.unknownAtExitMessage)
            log.warning("Exiting before the result of the \(request) arrived; its outcome is unknown.")
            let record = request.unknownAtExitAuditRecord(requestID: unfinished.requestID ?? UUID())
            if let auditLog, !auditLog.record(record) {
                printError("failed to write the unknown outcome of \(request.iccid) to the audit log \(auditLog.url.path); see the log file for the reason.")
            }
        }
    }

    /// After the terminal is restored: prints one line per request that the
    /// quit stopped before it reached the network, and records each as
    /// failed with NOT_SENT under its own id.
    private static func reportUnsent(_ requests: [DashboardApp.UnfinishedRequest], auditLog: AuditLog?, log: FileLog) {
        for unsent in requests {
            let request = unsent.request
            printError(request.notSentAtExitMessage)
            log.info("Exiting before the \(request) was sent; nothing was sent.")
            guard let requestID = unsent.requestID else { continue }
            if let auditLog, !auditLog.record(request.notSentAtExitAuditRecord(requestID: requestID)) {
                printError("failed to write that \(request.iccid) was not sent to the audit log \(auditLog.url.path); see the log file for the reason.")
            }
        }
    }

    /// After the terminal is restored: prints how a bulk run that the quit
    /// stopped ended, so the operator knows which SIMs were not sent.
    private static func reportBulkRun(_ app: DashboardApp, log: FileLog) {
        if let summary = app.bulkSummaryAfterQuit {
            printError(summary.headline)
        } else if app.isBulkRunUnfinished {
            let message = "a bulk run was still under way at exit, and no SIM after the one in flight was sent. Check the marked SIMs before running it again."
            printError(message)
            log.warning(message)
        }
    }

    private static func loadTheme(_ path: String?, log: FileLog) -> Theme {
        guard let path else { return .builtIn }
        let (theme, issues) = ThemeFile.load(path: path)
        for issue in issues {
            switch issue.severity {
            case .notice: log.info(issue.message)
            case .error: log.error(issue.message)
            }
        }
        return theme
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("citrus-fleet: \(message)\n".utf8))
    }
}
