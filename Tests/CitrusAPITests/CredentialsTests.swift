import CitrusAPI
import Foundation
import Testing

@Suite("CitrusCredentials")
struct CredentialsTests {
    private let key = "rsk_" + String(repeating: "a1B2", count: 16)

    /// A fresh directory that is removed when `body` returns.
    private func withDirectory(_ body: (String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "citrus-credentials-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    private func writeKeyFile(_ path: String, contents: String, mode: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test("environment variable provides the key")
    func environment() throws {
        #expect(try CitrusCredentials.loadAPIKey(environment: ["CITRUS_API_KEY": " \(key)\n"]) == key)
        #expect(try CitrusClient.loadAPIKey(environment: ["CITRUS_API_KEY": key]) == key)
    }

    @Test("no source returns nil")
    func none() throws {
        #expect(try CitrusCredentials.loadAPIKey(environment: [:]) == nil)
        try withDirectory { directory in
            let loaded = try CitrusCredentials.loadAPIKey(environment: [:], configDirectory: directory)
            #expect(loaded == nil)
        }
    }

    @Test("key file with mode 600 is read, and wins over the environment")
    func keyFile() throws {
        try withDirectory { directory in
            let path = directory + "/key"
            try writeKeyFile(path, contents: key + "\n", mode: 0o600)
            let loaded = try CitrusCredentials.loadAPIKey(environment: ["CITRUS_API_KEY": "rsk_other_key_123"], keyFilePath: path)
            #expect(loaded == key)
        }
    }

    @Test("config directory api-key file is used after the environment")
    func configDirectory() throws {
        try withDirectory { directory in
            try writeKeyFile(directory + "/api-key", contents: key, mode: 0o400)
            let fromFile = try CitrusCredentials.loadAPIKey(environment: [:], configDirectory: directory)
            #expect(fromFile == key)
            let fromEnvironment = try CitrusCredentials.loadAPIKey(environment: ["CITRUS_API_KEY": "rsk_from_environment"], configDirectory: directory)
            #expect(fromEnvironment == "rsk_from_environment")
        }
    }

    @Test("key file readable by group or others is rejected", arguments: [0o644, 0o640, 0o604, 0o660, 0o606])
    func permissiveMode(mode: Int) throws {
        try withDirectory { directory in
            let path = directory + "/key"
            try writeKeyFile(path, contents: key, mode: mode)
            let error = #expect(throws: CredentialsError.self) {
                try CitrusCredentials.loadAPIKey(environment: [:], keyFilePath: path)
            }
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("chmod 600") == true)
            #expect(error?.message.contains(String(mode, radix: 8)) == true)
            #expect(error?.message.contains(key) == false)
        }
    }

    @Test("missing key file names the path")
    func missingFile() throws {
        let error = #expect(throws: CredentialsError.self) {
            try CitrusCredentials.loadAPIKey(environment: [:], keyFilePath: "/nonexistent/citrus/key")
        }
        #expect(error?.message.contains("/nonexistent/citrus/key") == true)
    }

    @Test("a directory is not a key file")
    func directoryAsKeyFile() throws {
        try withDirectory { directory in
            #expect(throws: CredentialsError.self) {
                try CitrusCredentials.loadAPIKey(environment: [:], keyFilePath: directory)
            }
        }
    }

    @Test("empty or malformed keys are rejected without quoting them", arguments: ["", "  \n", "Bearer rsk_abcdefgh", "rsk_abc def", "rsk_ключ"])
    func malformed(value: String) throws {
        let error = #expect(throws: CredentialsError.self) {
            try CitrusCredentials.loadAPIKey(environment: ["CITRUS_API_KEY": value])
        }
        #expect(error?.message.contains("CITRUS_API_KEY") == true)
        if value.count > 3 {
            #expect(error?.message.contains(value.trimmingCharacters(in: .whitespaces)) == false)
        }
    }

    @Test("https is allowed to any host")
    func https() throws {
        try CitrusCredentials.checkBaseURL(URL(string: "https://citrusmobile.com/api/v2/reseller")!)
    }

    @Test("http is allowed to loopback hosts", arguments: [
        "http://127.0.0.1:8080/api/v2/reseller", "http://127.8.9.10/api", "http://localhost:1/x", "http://[::1]:9/api",
    ])
    func httpLoopback(url: String) throws {
        try CitrusCredentials.checkBaseURL(URL(string: url)!)
    }

    @Test("http to other hosts is rejected with the fix", arguments: [
        "http://citrusmobile.com/api/v2/reseller", "http://10.0.0.5/api", "http://128.0.0.1/api",
        "http://localhost.example.com/api", "http://[::2]/api", "http://127.0.0.1.nip.io/api",
    ])
    func httpRemote(url: String) {
        let error = #expect(throws: CredentialsError.self) {
            try CitrusCredentials.checkBaseURL(URL(string: url)!)
        }
        #expect(error?.message.contains(url) == true)
        #expect(error?.message.contains("https://") == true)
    }

    @Test("other schemes and relative URLs are rejected", arguments: ["ftp://citrusmobile.com/x", "file:///etc/passwd", "citrusmobile.com/api"])
    func otherSchemes(url: String) {
        #expect(throws: CredentialsError.self) {
            try CitrusCredentials.checkBaseURL(URL(string: url)!)
        }
    }

    @Test("a client with a remote http base URL refuses every call")
    func clientRefusesRemoteHTTP() async {
        let configuration = CitrusClientConfiguration(baseURL: URL(string: "http://citrusmobile.com/api/v2/reseller")!, apiKey: key)
        #expect(throws: CitrusError.self) { try CitrusClient(validating: configuration) }
        let client = CitrusClient(configuration: configuration)
        let error = await #expect(throws: CitrusError.self) { try await client.walletBalance() }
        #expect(error?.description.contains("http://citrusmobile.com") == true)
    }

    @Test("configuration description and dump hide the key")
    func configurationHidesKey() {
        let configuration = CitrusClientConfiguration(baseURL: URL(string: "https://citrusmobile.com/api/v2/reseller")!, apiKey: key)
        #expect(!configuration.description.contains(key))
        #expect(!String(reflecting: configuration).contains(key))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(key))
        #expect(dumped.contains("citrusmobile.com"))
    }

    @Test("user agent names the product and version")
    func userAgent() {
        #expect(CitrusClient.defaultUserAgent.hasPrefix("citrus-fleet/\(CitrusClient.version)"))
    }
}
