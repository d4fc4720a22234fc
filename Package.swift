// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "blogsearch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BlogSearch", targets: ["BlogSearch"]),
        .executable(name: "blogsearch", targets: ["blogsearch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // SQLite extras in C: process-wide configuration (MEMSTATUS off), the BM25F ranking function registered
        // with FTS5, the multilingual tokenizer `blogsearch` on Snowball's stemmers (Debian: libstemmer-dev) and
        // ICU's word break (Debian: libicu-dev), whose headers are in the system include path; blogsearch's own
        // postings: their codec, the top-k evaluator, phrase and prefix postings, hit instances (include/topk.h
        // lists the files).
        .target(
            name: "CSQLiteExtras",
            linkerSettings: [.linkedLibrary("sqlite3"), .linkedLibrary("stemmer"), .linkedLibrary("icuuc")]
        ),
        // CommonMark's reference parser from the system (Debian: libcmark-dev): Markdown in linear time.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // The engine: corpus → index → search. No HTTP, no argument parsing, no printing.
        .target(
            name: "BlogSearch",
            dependencies: [
                "CSQLiteExtras",
                "CCmark",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP service: Hummingbird routes over the engine. Handlers parse, call the engine, encode.
        .target(
            name: "BlogSearchServer",
            dependencies: [
                "BlogSearch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Assets")]
        ),
        // The command line: a thin shell over the engine and the server.
        .executableTarget(
            name: "blogsearch",
            dependencies: [
                "BlogSearch",
                "BlogSearchServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The benchmarks' harness (Benchmarks/ calls it beside `blogsearch`): in-process timings (`search`, `spell`,
        // `read`) and the server with the hello-world baseline route (`serve`). Not part of the shipped `blogsearch`.
        .executableTarget(
            name: "blogsearch-bench",
            dependencies: [
                "BlogSearch",
                "BlogSearchServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the test targets share: the one copy of the fixtures, temporary folders, made-up posts, the fixture
        // blog built, damaged files. On the engine alone (no HummingbirdTesting), so its tests build without the server.
        .target(
            name: "BlogSearchTestSupport",
            dependencies: ["BlogSearch"],
            path: "Tests/BlogSearchTestSupport",
            resources: [.copy("Fixtures")]
        ),
        // The engine, in process.
        .testTarget(
            name: "BlogSearchTests",
            dependencies: ["BlogSearch", "BlogSearchTestSupport"]
        ),
        // The HTTP service, through Hummingbird's test client or on a live port.
        .testTarget(
            name: "BlogSearchServerTests",
            dependencies: [
                "BlogSearchServer",
                "BlogSearch",
                "BlogSearchTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // End to end: the `blogsearch` binary that `swift test` builds, run as a process.
        .testTarget(
            name: "BlogSearchCLITests",
            dependencies: ["BlogSearch", "BlogSearchTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
