// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "boardctl",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "boardctl", targets: ["boardctl"]),
    .executable(name: "boardctl-sim", targets: ["boardctl-sim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
    .package(url: "https://github.com/JohnSundell/Ink.git", exact: "0.6.0"),
    .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
    .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
    .package(url: "https://github.com/vapor/jwt-kit.git", exact: "5.8.0"),
    // Property tests of the sync planner (test targets only).
    .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
  ],
  targets: [
    // What every module shares: one Sendable JSON value, content digests (swift-crypto), Parallel.
    .target(
      name: "BoardSupport",
      dependencies: [.product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: strict
    ),
    // Config model, YAML loading, schema and diagnostics.
    .target(
      name: "BoardSpec",
      dependencies: ["BoardSupport", .product(name: "Yams", package: "Yams")],
      swiftSettings: strict
    ),
    // Resolution of postings, the three-way diff, the plan and its renderers. Pure: no I/O.
    .target(
      name: "BoardCore",
      dependencies: ["BoardSupport", "BoardSpec", .product(name: "Mustache", package: "swift-mustache")],
      swiftSettings: strict
    ),
    // State behind async protocols (resources, lock, journal) and its backends: SQLite (GRDB),
    // an orphan git branch (the git binary), PostgreSQL (postgres-nio).
    .target(
      name: "BoardState",
      dependencies: [
        "BoardSupport", "BoardSpec", "BoardCore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: strict
    ),
    // libsodium, from the system (apt: libsodium-dev).
    .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
    // Keys, sealing and the redacting Secret type.
    .target(
      name: "BoardSecrets", dependencies: ["CSodium", "BoardSupport", "BoardSpec", "BoardCore"], swiftSettings: strict),
    // The HTTP layer every remote adapter shares: a runtime a command owns (pooled clients, a
    // request budget per token, counters per board), retries with backoff, rate-limit waits,
    // pagination, authenticators, redacted logging. Depends on no module of ours.
    .target(
      name: "BoardHTTP",
      dependencies: [
        "BoardSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    // Loopback simulators of the platforms' APIs (Hummingbird), shipped as boardctl-sim; Wix's
    // webhooks go out as RS256 JWTs (jwt-kit).
    .target(
      name: "BoardSimulators",
      dependencies: [
        "BoardSupport", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "JWTKit", package: "jwt-kit"), .product(name: "CryptoExtras", package: "swift-crypto"),
      ],
      swiftSettings: strict),
    .executableTarget(name: "boardctl-sim", dependencies: ["BoardSimulators"], swiftSettings: strict),
    // Platform adapters: the file boards (careers-site, indeed-feed) and the remote ones (manatal).
    .target(
      name: "BoardPlatforms",
      dependencies: [
        "BoardCore", "BoardHTTP", "BoardSync",
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Ink", package: "Ink"),
      ],
      swiftSettings: strict
    ),
    // The pure sync planner: a rule, records read from both sides, links and a cursor → what to
    // do for each record. No I/O; the engine reads, applies and keeps state around it.
    .target(
      name: "BoardSync",
      dependencies: ["BoardSpec", "BoardSupport", .product(name: "Mustache", package: "swift-mustache")],
      swiftSettings: strict
    ),
    // The engine a command or a server calls: the project's layout, loading and checking a
    // workspace, connecting boards, planning, applying, state access, sealing; typed errors.
    .target(
      name: "BoardEngine",
      dependencies: [
        "BoardSpec", "BoardCore", "BoardState", "BoardPlatforms", "BoardSecrets", "BoardHTTP", "BoardSync",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    // Thin commands over the engine: options, output, and the one place errors become messages
    // and exit codes; `preview` serves the careers site on loopback (Hummingbird).
    .target(
      name: "BoardCLI",
      dependencies: [
        "BoardSpec", "BoardCore", "BoardState", "BoardPlatforms", "BoardSecrets", "BoardHTTP", "BoardEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        // `boardctl preview`'s local web server.
        .product(name: "Hummingbird", package: "hummingbird"),
      ],
      swiftSettings: strict
    ),
    // Test helpers shared by every test target: marked fixtures, temporary folders.
    .target(
      name: "BoardTesting",
      dependencies: [
        "BoardSupport", "BoardCore", "BoardState", "BoardHTTP", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: strict),
    .executableTarget(name: "boardctl", dependencies: ["BoardCLI"], swiftSettings: strict),
    .executableTarget(
      name: "boardctl-bench-gen", dependencies: [], path: "Benchmarks/Generator", swiftSettings: strict),
    .testTarget(name: "BoardSupportTests", dependencies: ["BoardSupport"], swiftSettings: strict),
    .testTarget(name: "BoardSpecTests", dependencies: ["BoardSpec", "BoardTesting"], swiftSettings: strict),
    .testTarget(
      name: "BoardCoreTests", dependencies: ["BoardCore", "BoardSpec", "BoardTesting"],
      exclude: ["Golden"], swiftSettings: strict),
    .testTarget(
      name: "BoardPlatformsTests",
      dependencies: ["BoardPlatforms", "BoardCore", "BoardSpec", "BoardTesting", "BoardHTTP", "BoardSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "BoardSyncTests",
      dependencies: [
        "BoardSync", "BoardSpec", "BoardTesting", .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "BoardSecretsTests", dependencies: ["BoardSecrets", "BoardTesting"], swiftSettings: strict),
    .testTarget(
      name: "BoardHTTPTests",
      dependencies: [
        "BoardHTTP", "BoardSupport", "BoardTesting", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "BoardSimulatorsTests", dependencies: ["BoardSimulators", "BoardHTTP", "BoardSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "BoardStateTests", dependencies: ["BoardState", "BoardCore", "BoardSpec", "BoardSupport", "BoardTesting"],
      swiftSettings: strict),
    .testTarget(
      name: "BoardEngineTests",
      dependencies: ["BoardEngine", "BoardCore", "BoardSpec", "BoardState", "BoardPlatforms", "BoardTesting"],
      swiftSettings: strict),
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "boardctl", "boardctl-sim", "BoardState", "BoardCore", "BoardSupport", "BoardTesting", "BoardHTTP",
      ],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
