// swift-tools-version: 6.2
import PackageDescription

/// Our own code compiles in Swift 6 mode with every warning an error; dependencies are unaffected.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

#if canImport(Glibc)
  import Glibc

  /// Packed relative relocations (DT_RELR) need glibc 2.36 or newer to start (Debian 12, Ubuntu 24.04):
  /// lld marks the binary as requiring it, so on an older system it is linked the usual way.
  let packedRelocations: [LinkerSetting] = {
    var text = [CChar](repeating: 0, count: 64)  // "glibc 2.36"
    _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count)
    let version =
      String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      .split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
    guard version.count >= 2, (version[0], version[1]) >= (2, 36) else { return [] }
    return [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]
  }()
#else
  let packedRelocations: [LinkerSetting] = []
#endif

let package = Package(
  name: "mailflow",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "mailflow", targets: ["mailflow"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
    .package(url: "https://github.com/apple/swift-certificates.git", from: "1.10.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-asn1.git", from: "1.3.0"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
  ],
  targets: [
    // Pure values: the knowledge base, its loader and validator, ratings.
    .target(name: "MailFlowModel", swiftSettings: strict),
    // The built-in knowledge base (Assets/), compiled into the binary by the EmbedAssets plugin.
    .target(
      name: "MailFlowAssets",
      dependencies: ["MailFlowModel"],
      swiftSettings: strict,
      plugins: ["EmbedAssets"]
    ),
    // Terminal-independent text layout: display widths, wrapping, cells.
    .target(name: "TerminalUI", swiftSettings: strict),
    // libunbound, for DNS with DNSSEC validation done locally.
    .systemLibrary(
      name: "CUnbound", pkgConfig: "libunbound", providers: [.apt(["libunbound-dev"])]),
    // DNS lookups with their DNSSEC status (libunbound) and record-data decoding.
    .target(
      name: "MailFlowDNS", dependencies: ["CUnbound", "MailFlowModel", "MailFlowReport"],
      swiftSettings: strict),
    // The probe report's schema: pure values shared by the probe, the commands and the explorer.
    .target(name: "MailFlowReport", dependencies: ["MailFlowModel"], swiftSettings: strict),
    // The live probe: SMTP, IMAP and POP3 sessions on SwiftNIO with STARTTLS or implicit TLS,
    // certificates, DANE, MTA-STS and autoconfig over HTTPS, discovery and the rating rules.
    .target(
      name: "MailFlowProbe",
      dependencies: [
        "MailFlowDNS", "MailFlowModel", "MailFlowReport",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    // Pure: reads a message's header section and reconstructs the journey from its Received fields.
    .target(name: "MailFlowTrace", dependencies: ["MailFlowModel"], swiftSettings: strict),
    // The interactive explorer: state, keymap, reducer and views. Pure: renders into buffers.
    .target(
      name: "MailFlowExplorer",
      dependencies: ["MailFlowModel", "MailFlowTrace", "MailFlowReport", "TerminalUI"],
      swiftSettings: strict),
    // ncursesw for Swift: the wide API plus C functions for macros and signal flags.
    .target(name: "CNcursesw", linkerSettings: [.linkedLibrary("ncursesw")]),
    // The only importer of ncurses: draws buffers, reads keys, mouse and resizes.
    .target(name: "TerminalCurses", dependencies: ["CNcursesw", "TerminalUI"], swiftSettings: strict),
    // The scriptable commands and their text/JSON output.
    .target(
      name: "MailFlowCLI",
      dependencies: [
        "MailFlowModel", "MailFlowAssets", "TerminalUI", "MailFlowExplorer", "TerminalCurses",
        "MailFlowTrace", "MailFlowDNS", "CUnbound", "MailFlowProbe", "MailFlowReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "X509", package: "swift-certificates"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "mailflow", dependencies: ["MailFlowCLI"], swiftSettings: strict,
      // Linked by the toolchain's lld with packed relative relocations where glibc allows: the
      // position-independent binary's 93,000 relocations take 18 KB instead of 2.2 MB, which the loader
      // read at every start (about 1 ms of `--version`, 2.4 MB of the installed binary).
      linkerSettings: packedRelocations),

    // Build-time tool and plugin that embed Assets/*.json as Swift string literals.
    .executableTarget(name: "AssetEmbedder", swiftSettings: strict),
    .plugin(name: "EmbedAssets", capability: .buildTool(), dependencies: ["AssetEmbedder"]),

    // The README's pictures (`make screenshots`), checked current by a test.
    .executableTarget(
      name: "mailflow-screenshots",
      dependencies: [
        "MailFlowExplorer", "MailFlowAssets", "MailFlowModel", "MailFlowReport", "MailFlowTrace",
        "TerminalUI",
      ],
      path: "Tools/Screenshots", swiftSettings: strict),
    // Benchmarks (not tests): `swift run -c release mailflow-render-benchmark`.
    .executableTarget(
      name: "mailflow-render-benchmark",
      dependencies: ["MailFlowExplorer", "MailFlowAssets", "MailFlowModel", "MailFlowTrace", "TerminalUI"],
      path: "Benchmarks/RenderBenchmark",
      swiftSettings: strict
    ),

    .executableTarget(
      name: "mailflow-probe-benchmark",
      dependencies: [
        "MailFlowDNS", "MailFlowProbe", "MailFlowTestSupport",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
      ],
      path: "Benchmarks/ProbeBenchmark",
      swiftSettings: strict
    ),

    .executableTarget(
      name: "mailflow-explorer-probe-benchmark",
      dependencies: [
        "MailFlowCLI", "MailFlowExplorer", "MailFlowAssets", "MailFlowDNS", "MailFlowProbe", "MailFlowReport",
        "MailFlowTestSupport", "TerminalUI",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
      ],
      path: "Benchmarks/ExplorerProbeBenchmark",
      swiftSettings: strict
    ),

    .target(
      name: "MailFlowTestSupport",
      dependencies: [
        "MailFlowDNS", "MailFlowModel", "MailFlowProbe", "MailFlowReport",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      path: "Tests/MailFlowTestSupport",
      swiftSettings: strict),
    .testTarget(
      name: "MailFlowModelTests", dependencies: ["MailFlowModel", "MailFlowAssets"], swiftSettings: strict),
    .testTarget(
      name: "MailFlowExplorerTests",
      dependencies: [
        "MailFlowExplorer", "MailFlowModel", "MailFlowAssets", "MailFlowReport", "MailFlowTrace",
        "TerminalUI",
        "MailFlowTestSupport",
      ],
      exclude: ["__Snapshots__"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "MailFlowTraceTests",
      dependencies: ["MailFlowTrace", "MailFlowModel", "MailFlowAssets", "MailFlowTestSupport"],
      exclude: ["Corpus", "RealCorpus", "__Snapshots__"], swiftSettings: strict),
    .testTarget(
      name: "MailFlowDNSTests", dependencies: ["MailFlowDNS", "MailFlowTestSupport"], exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "MailFlowProbeTests",
      dependencies: [
        "MailFlowProbe", "MailFlowModel", "MailFlowDNS", "MailFlowReport", "MailFlowTestSupport",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
      ],
      swiftSettings: strict
    ),
    .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"], swiftSettings: strict),
    .testTarget(
      name: "MailFlowCLITests",
      dependencies: ["MailFlowCLI", "MailFlowModel", "MailFlowAssets", "MailFlowTestSupport"],
      exclude: ["__Snapshots__"],
      swiftSettings: strict
    ),
  ]
)
