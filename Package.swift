// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "trailscan",
    products: [
        .executable(name: "trailscan", targets: ["trailscan"]),
        .library(name: "EventPatterns", targets: ["EventPatterns"]),
        .library(name: "TrailscanCore", targets: ["TrailscanCore"]),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(name: "CByteScan"),
        .target(name: "CInflate"),
        .target(name: "EventPatterns"),
        .target(
            name: "TrailscanCore",
            dependencies: ["EventPatterns", "CByteScan", "CInflate", "CZlib", "CSQLite"]
        ),
        .executableTarget(
            name: "trailscan",
            dependencies: ["TrailscanCore", "EventPatterns"]
        ),
        .executableTarget(
            name: "trailscan-bench",
            dependencies: ["TrailscanCore"]
        ),
        .testTarget(
            name: "EventPatternsTests",
            dependencies: ["EventPatterns"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TrailscanCoreTests",
            dependencies: ["TrailscanCore", "EventPatterns", "CInflate", "CZlib", "CSQLite"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["trailscan", "CSQLite", "CZlib"]
        ),
    ]
)

// libFuzzer targets, declared only when TRAILSCAN_FUZZ is set: they call into
// libFuzzer, which only `-sanitize=fuzzer` links, so a normal build could not
// link them. Fuzz/README.md gives the build and run commands.
if Context.environment["TRAILSCAN_FUZZ"] != nil {
    package.targets.append(.systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"))
    for name in ["FuzzJSONScanner", "FuzzRecordReader", "FuzzPatternParser"] {
        package.products.append(.executable(name: name, targets: [name]))
        package.targets.append(
            .executableTarget(
                name: name,
                dependencies: ["TrailscanCore", "EventPatterns", "CLibFuzzer"],
                path: "Fuzz/\(name)"
            ))
    }
}
