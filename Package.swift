// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "citrus-fleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "citrus-fleet", targets: ["citrus-fleet"]),
        .executable(name: "citrus-sim", targets: ["citrus-sim"]),
        .executable(name: "fleet-bench", targets: ["fleet-bench"]),
    ],
    targets: [
        // ncurses, linked as the wide-character library. The shim header wraps
        // the macros and globals that Swift cannot import.
        .systemLibrary(
            name: "CNcurses",
            path: "Sources/CNcurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "CitrusAPI"),
        .target(name: "QREncoding"),
        .target(name: "CitrusSimulator", dependencies: ["CitrusAPI", "QREncoding"]),
        .target(name: "FleetCore", dependencies: ["CitrusAPI"]),
        .target(name: "FleetUI", dependencies: ["FleetCore", "CitrusAPI", "CNcurses", "QREncoding"]),
        .executableTarget(
            name: "citrus-fleet",
            dependencies: ["FleetUI", "FleetCore", "CitrusAPI", "CitrusSimulator"]
        ),
        .executableTarget(name: "citrus-sim", dependencies: ["CitrusSimulator"]),
        .executableTarget(
            name: "fleet-bench",
            dependencies: ["CitrusSimulator", "CitrusAPI", "FleetCore"]
        ),
        .testTarget(name: "QREncodingTests", dependencies: ["QREncoding"]),
        .testTarget(name: "CitrusAPITests", dependencies: ["CitrusAPI", "CitrusSimulator"]),
        .testTarget(name: "CitrusSimulatorTests", dependencies: ["CitrusSimulator", "CitrusAPI", "QREncoding"]),
        .testTarget(name: "FleetCoreTests", dependencies: ["FleetCore", "CitrusAPI", "CitrusSimulator"]),
        .testTarget(name: "FleetUITests", dependencies: ["FleetUI", "FleetCore", "CitrusAPI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["CitrusSimulator", "CitrusAPI", "QREncoding"]),
    ]
)
