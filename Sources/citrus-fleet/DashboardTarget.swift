import CitrusAPI
import Foundation

/// The API the dashboard talks to: the built-in simulator, or Citrus (or
/// another URL) with the operator's key.
enum DashboardTarget: Equatable {
    case simulator(speed: Double, seed: UInt64)
    case citrus(baseURL: URL, apiKey: String)

    /// Picks the target from the command line, the key (if any), the base URL
    /// that the configuration sets (`configuredBaseURL`, with where it came
    /// from) and the environment, and rejects combinations that would mislead.
    ///
    /// The base URL is the first of: `--base-url`, `configuredBaseURL`,
    /// `CITRUS_BASE_URL`, then Citrus production.
    static func resolve(
        _ commandLine: FleetCommandLine, apiKey: String?, environment: [String: String],
        configuredBaseURL: (url: URL, source: String)? = nil
    ) throws(CommandLineError) -> DashboardTarget {
        guard let apiKey else {
            if let baseURL = commandLine.baseURL {
                throw CommandLineError("--base-url \(baseURL.absoluteString) needs an API key, and none is set. Set CITRUS_API_KEY (or use --api-key-file), or remove --base-url to run the built-in demo.")
            }
            if let configured = configuredBaseURL {
                throw CommandLineError("\(configured.source) sets the base URL \(configured.url.absoluteString), which needs an API key, and none is set. Set CITRUS_API_KEY (or api_key_file), or remove the base URL to run the built-in demo.")
            }
            return .simulator(speed: commandLine.speed ?? FleetCommandLine.defaultSpeed, seed: commandLine.seed ?? 1)
        }

        if commandLine.speed != nil || commandLine.seed != nil {
            throw CommandLineError("--speed and --seed set the built-in simulator, which is not used when an API key is set. Remove them, or unset CITRUS_API_KEY to run the demo.")
        }
        let baseURL: URL
        if let flagURL = commandLine.baseURL {
            baseURL = flagURL
        } else if let configured = configuredBaseURL {
            baseURL = configured.url
        } else if let text = environment["CITRUS_BASE_URL"], !text.isEmpty {
            guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
                throw CommandLineError("CITRUS_BASE_URL '\(text)' is not an absolute URL. Set it to a URL such as https://citrusmobile.com/api/v2/reseller, or unset it.")
            }
            baseURL = url
        } else {
            baseURL = citrusProductionBaseURL
        }
        do {
            try CitrusCredentials.checkBaseURL(baseURL)
        } catch {
            throw CommandLineError(error.message)
        }
        return .citrus(baseURL: baseURL, apiKey: apiKey)
    }

    var isDemo: Bool {
        if case .simulator = self { return true }
        return false
    }

    /// Generates a key for the in-process simulator in the shape of a Citrus
    /// key (`rsk_` and 68 characters in all). The simulator accepts only this
    /// key, so other local processes cannot change the demo fleet.
    static func generateDemoKey() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        let prefix = "rsk_demo_"
        let suffix = (0..<(68 - prefix.count)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return prefix + String(suffix)
    }
}
