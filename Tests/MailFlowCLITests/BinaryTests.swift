import Foundation
import MailFlowTestSupport
import Testing

/// The real `mailflow` binary: exit statuses, one-line errors, and the knowledge base travelling inside it.
@Suite("The mailflow binary", .serialized)
struct BinaryTests {
  @Test func tableExitsZeroFromAnyFolder() throws {
    let result = try runMailflow(["table"], directory: "/")
    #expect(result.status == 0)
    #expect(result.stdout.contains("SMTP 25 STARTTLS enforced with DANE"))
    #expect(result.stderr.isEmpty)
  }

  @Test func noArgumentsWithoutATerminalSuggestsTheTable() throws {
    let result = try runMailflow([])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "mailflow: error: the explorer needs an interactive terminal (stdin and stdout); for text output use 'mailflow table'\n"
    )
  }

  @Test func nonUTF8LocaleFallsBackToASCII() throws {
    let result = try runMailflow(["table"], environment: ["LANG": "C"])
    #expect(result.stdout.contains("OK submissions 465 with implicit TLS"))
    #expect(!result.stdout.contains("✔"))
  }

  @Test func tableJSONParses() throws {
    let result = try runMailflow(["table", "--json"])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let hops = object?["hops"] as? [[String: Any]]
    #expect(
      hops?.map { $0["id"] as? String } == ["submission", "outbound", "relay", "delivery", "retrieval"])
  }

  @Test func rfcShowsOneEntry() throws {
    let result = try runMailflow(["rfc", "8314"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("RFC 8314: Cleartext Considered Obsolete"))
  }

  @Test(arguments: [
    (["rfc", "9999"], "mailflow: error: RFC 9999 is not in the catalogue; 'mailflow rfc' lists all 30\n"),
    (["rfc", "x"], "mailflow: error: 'x' is not an RFC number (try 'mailflow rfc 8314')\n"),
    (["--bogus"], "mailflow: error: Unknown option '--bogus' (see 'mailflow --help')\n"),
    (["table", "--color", "pink"], nil),
    (
      ["table", "--assets", "/nonexistent"],
      "mailflow: error: knowledge base folder '/nonexistent' does not exist\n"
    ),
  ])
  func badInputExitsTwoWithOneLine(arguments: [String], message: String?) throws {
    let result = try runMailflow(arguments)
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("mailflow: error: "))
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    if let message { #expect(result.stderr == message) }
  }

  /// `--version` alone is answered before the argument parser is built (the start-up floor); with
  /// anything beside it, by the parser — the same line either way.
  @Test(arguments: [["--version"], ["--version", "--ascii"], ["probe", "--version"]])
  func versionPrintsOneLine(arguments: [String]) throws {
    let result = try runMailflow(arguments)
    #expect(result.status == 0)
    #expect(result.stdout == "0.1.0\n")
    #expect(result.stderr.isEmpty)
  }

  /// The binary's relative relocations are packed (DT_RELR, Package.swift's linker settings): the loader
  /// reads 18 KB at start instead of a 2.2 MB table. Read from the ELF dynamic section.
  @Test(.enabled(if: glibcPacksRelocations)) func relocationsArePacked() throws {
    let file = try FileHandle(forReadingFrom: mailflowExecutable)
    defer { try? file.close() }
    func integer(at offset: UInt64, size: Int) throws -> UInt64 {
      try file.seek(toOffset: offset)
      let bytes = try #require(try file.read(upToCount: size))
      return bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }  // ELF64 little-endian
    }
    #expect(try integer(at: 0, size: 4) == 0x464C_457F)  // \x7fELF
    let (table, entrySize, count) = (
      try integer(at: 0x20, size: 8), try integer(at: 0x36, size: 2), try integer(at: 0x38, size: 2)
    )
    var tags: [UInt64: UInt64] = [:]
    for index in 0..<count where try integer(at: table + index * entrySize, size: 4) == 2 {  // PT_DYNAMIC
      let header = table + index * entrySize
      let (offset, size) = (try integer(at: header + 8, size: 8), try integer(at: header + 32, size: 8))
      for entry in stride(from: offset, to: offset + size, by: 16) {
        tags[try integer(at: entry, size: 8)] = try integer(at: entry + 8, size: 8)
      }
    }
    #expect(tags[36] != nil, "DT_RELR")
    #expect((tags[0x6fff_fff9] ?? 0) < 1000, "DT_RELACOUNT: relative relocations left unpacked")
  }

  @Test func helpDocumentsExitStatuses() throws {
    let result = try runMailflow(["--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("2  bad input"))
    let sub = try runMailflow(["rfc", "--help"])
    #expect(sub.status == 0)
    #expect(sub.stdout.contains("Exit status"))
  }

  @Test func exportedAssetsCanBeEditedAndLoaded() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let export = try runMailflow(["assets", "export", directory.path])
    #expect(export.status == 0)

    let again = try runMailflow(["assets", "export", directory.path])
    #expect(again.status == 2)
    #expect(again.stderr.contains("already exists; use --force"))

    let modes = directory.appendingPathComponent("modes.json")
    var text = try String(contentsOf: modes, encoding: .utf8)
    text = text.replacingOccurrences(
      of: "\"phrase\": \"with STARTTLS\"", with: "\"phrase\": \"with opportunistic STARTTLS\"")
    try text.write(to: modes, atomically: true, encoding: .utf8)
    let edited = try runMailflow(["table", "--assets", directory.path])
    #expect(edited.status == 0)
    #expect(edited.stdout.contains("SMTP 25 with opportunistic STARTTLS"))

    let check = try runMailflow(["assets", "check", directory.path])
    #expect(check.status == 0)
    #expect(check.stdout.contains("OK — 6 roles"))
  }

  @Test func brokenAssetsExitTwoNamingFileAndPath() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try runMailflow(["assets", "export", directory.path])
    let hops = directory.appendingPathComponent("hops.json")
    let text = try String(contentsOf: hops, encoding: .utf8)
    try text.replacingOccurrences(of: "\"from\": [\"MTA\"]", with: "\"from\": [\"MTQ\"]")
      .write(to: hops, atomically: true, encoding: .utf8)
    let result = try runMailflow(["table", "--assets", directory.path])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "mailflow: error: knowledge base: \(hops.path): hops[2].from[0]: unknown role \"MTQ\" (did you mean \"MTA\"?) (line 36, column 16)\n"
    )
  }

  /// An edited knowledge base is text from outside too: escapes in it reach `rfc` output, `table` and
  /// loader errors only visibly.
  @Test func escapesInAssetsAreShownVisibly() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try runMailflow(["assets", "export", directory.path])
    let rfcs = directory.appendingPathComponent("rfcs.json")
    let text = try String(contentsOf: rfcs, encoding: .utf8)
    let (escaped, count) = (
      text.replacingOccurrences(
        of: "Cleartext Considered Obsolete", with: #"Cleartext\u001b]0;pwned\u0007 Obsolete\u202e"#),
      text.components(separatedBy: "Cleartext Considered Obsolete").count - 1
    )
    #expect(count >= 1)
    try escaped.write(to: rfcs, atomically: true, encoding: .utf8)
    for arguments in [["rfc", "8314"], ["rfc"]] {
      let result = try runMailflow(arguments + ["--assets", directory.path, "--color", "never"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
      #expect(result.stdout.contains(#"Cleartext\x1B]0;pwned\x07 Obsolete\u{202E}"#), "\(result.stdout)")
    }
  }

  /// A mode the probe and trace journeys name cannot be renamed away silently: one clear line instead.
  @Test func aModeTheJourneysNeedCannotBeRenamed() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try runMailflow(["assets", "export", directory.path])
    let modes = directory.appendingPathComponent("modes.json")
    let journeys = directory.appendingPathComponent("journeys.json")
    for file in [modes, journeys] {
      let text = try String(contentsOf: file, encoding: .utf8)
      try text.replacingOccurrences(of: "\"starttls-dane\"", with: "\"dane-enforced\"")
        .write(to: file, atomically: true, encoding: .utf8)
    }
    let result = try runMailflow(["table", "--assets", directory.path])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "the mode \"starttls-dane\" is missing; mailflow's probe and trace journeys use it"),
      "\(result.stderr)")
  }

  @Test func aProtocolTheJourneysNeedCannotBeRenamed() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try runMailflow(["assets", "export", directory.path])
    for name in ["protocols.json", "hops.json", "journeys.json", "rfcs.json", "threats.json"] {
      let file = directory.appendingPathComponent(name)
      let text = try String(contentsOf: file, encoding: .utf8)
      try text.replacingOccurrences(of: "\"lmtp\"", with: "\"local-mtp\"")
        .write(to: file, atomically: true, encoding: .utf8)
    }
    let result = try runMailflow(["table", "--assets", directory.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("the protocol \"lmtp\" is missing"), "\(result.stderr)")
  }

  @Test func missingAssetFileIsNamed() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try runMailflow(["assets", "export", directory.path])
    try FileManager.default.removeItem(at: directory.appendingPathComponent("rfcs.json"))
    let result = try runMailflow(["assets", "check", directory.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("rfcs.json: file is missing"))
  }
}

@Suite("The README's pictures")
struct ScreenshotTests {
  /// The repository's root, from this file's place in it.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func arePreciselyWhatTheExplorerDrawsToday() throws {
    let result = try runMailflow(
      ["--check", "docs/screenshots"], directory: Self.root.path,
      executable: builtExecutable("mailflow-screenshots"))
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test func aPictureThatNoLongerMatchesIsNamed() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for name in ["explorer", "journey-observer", "probe", "trace"] {
      try FileManager.default.copyItem(
        at: Self.root.appendingPathComponent("docs/screenshots/\(name).svg"),
        to: directory.appendingPathComponent("\(name).svg"))
    }
    try "<svg/>".write(to: directory.appendingPathComponent("trace.svg"), atomically: true, encoding: .utf8)
    let result = try runMailflow(
      ["--check", directory.path], directory: Self.root.path,
      executable: builtExecutable("mailflow-screenshots"))
    #expect(result.status == 1)
    #expect(result.stderr.contains("trace.svg") && !result.stderr.contains("probe.svg"), "\(result.stderr)")
  }
}

/// Package.swift packs relocations only where glibc can start such a binary (2.36 or newer).
private let glibcPacksRelocations: Bool = {
  var text = [CChar](repeating: 0, count: 64)  // "glibc 2.36"
  _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count)
  let version =
    String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    .split(separator: " ").last?.split(separator: ".").compactMap { Int($0) } ?? []
  return version.count >= 2 && (version[0], version[1]) >= (2, 36)
}()
