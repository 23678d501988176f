import Foundation

/// Finds, or builds once per test run, the `citrus-fleet` executable.
///
/// `swift test` builds every product of the package before it runs tests,
/// so the executable normally sits next to the test binary, from the same
/// build. Only when it is missing (a test binary run by hand, or a build
/// that skipped products) does this run `swift build --product citrus-fleet`
/// from the package root (found through `#filePath`). That build uses its own
/// scratch path inside the test's build directory, because the running
/// `swift test` holds the lock on its scratch path until the tests end, and
/// a nested build there would wait forever.
enum CitrusFleetBinary {
    /// The limit for a build, in seconds: on a cold cache it compiles the whole package.
    static let buildTimeout: TimeInterval = 1200

    private static let result: Result<URL, E2EError> = Result { try locateOrBuild() }.mapError {
        $0 as? E2EError ?? E2EError("\($0)")
    }

    static func path() throws -> URL {
        try result.get()
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func locateOrBuild() throws -> URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let sibling = testBinary.deletingLastPathComponent().appendingPathComponent("citrus-fleet")
        if FileManager.default.isExecutableFile(atPath: sibling.path) {
            return sibling
        }
        return try build(scratch: try scratchPath(of: testBinary).appendingPathComponent("end-to-end"))
    }

    private static func build(scratch: URL) throws -> URL {
        let arguments = ["swift", "build", "--package-path", packageRoot.path, "--scratch-path", scratch.path, "--product", "citrus-fleet"]
        let build = try ProcessRunner.run(arguments, timeout: buildTimeout)
        guard build.status == 0 else {
            throw E2EError("\(arguments.joined(separator: " ")) failed with status \(build.status):\n\(build.output)")
        }

        let binPath = try ProcessRunner.run(arguments + ["--show-bin-path"], timeout: 120)
        let directory = binPath.output.split(separator: "\n").last.map(String.init) ?? ""
        let binary = URL(fileURLWithPath: directory).appendingPathComponent("citrus-fleet")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw E2EError("swift build succeeded, but \(binary.path) is not an executable. swift build --show-bin-path printed:\n\(binPath.output)")
        }
        return binary
    }

    /// Returns the scratch path of the test binary, which lives in
    /// `<scratch>/<triple>/debug/`.
    private static func scratchPath(of testBinary: URL) throws -> URL {
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("build.db").path)
                || FileManager.default.fileExists(atPath: directory.appendingPathComponent("workspace-state.json").path) {
                return directory
            }
            directory = directory.deletingLastPathComponent()
        }
        throw E2EError("Could not find the build directory of \(testBinary.path): no build.db or workspace-state.json in the directories above it.")
    }
}
