import Foundation

/// The locations of citrus-fleet's files, following the XDG Base Directory
/// specification: a variable that is unset, empty or not an absolute path
/// falls back to its default under `$HOME`.
public enum FleetPaths {
    /// The application's directory name under the XDG directories.
    public static let applicationDirectory = "citrus-fleet"

    /// `$XDG_CONFIG_HOME/citrus-fleet`, or `~/.config/citrus-fleet`.
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        base("XDG_CONFIG_HOME", fallback: ".config", environment: environment)
            .appendingPathComponent(applicationDirectory, isDirectory: true)
    }

    /// `$XDG_DATA_HOME/citrus-fleet`, or `~/.local/share/citrus-fleet`.
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        base("XDG_DATA_HOME", fallback: ".local/share", environment: environment)
            .appendingPathComponent(applicationDirectory, isDirectory: true)
    }

    /// Returns the configuration file: `CITRUS_FLEET_CONFIG` when set, otherwise
    /// `config` in the config directory.
    public static func configFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["CITRUS_FLEET_CONFIG"], !path.isEmpty {
            return URL(fileURLWithPath: expandingTilde(path, environment: environment))
        }
        return configDirectory(environment: environment).appendingPathComponent("config")
    }

    /// Returns the home directory: `$HOME`, or the user database's entry.
    public static func home(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser
    }

    /// Replaces a leading `~/` with the home directory.
    public static func expandingTilde(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return home(environment: environment).path + path.dropFirst()
    }

    private static func base(_ variable: String, fallback: String, environment: [String: String]) -> URL {
        if let value = environment[variable], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return home(environment: environment).appendingPathComponent(fallback, isDirectory: true)
    }
}
