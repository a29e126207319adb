import Foundation
import MailFlowTestSupport
import Testing

/// The probe inside the explorer, end to end: the real binary in tmux against the fixture DNS zones and
/// a fixture SMTP server (probe.example: one MX with a matching DANE-EE record).
@Suite("Explorer probing a domain (tmux, hermetic)", .serialized)
struct ExplorerProbeEndToEndTests {
  let state = FileManager.default.temporaryDirectory.appendingPathComponent(
    "mailflow-state-\(UUID().uuidString)")

  func start(_ arguments: [String], smtpPort: Int) throws -> TmuxSession {
    let quoted =
      (arguments + ["--port", "smtp=\(smtpPort)", "--port", "https=9", "--timeout", "15"]
      + (try ProbeCommandTests().fixtureArguments())).map { "'\($0)'" }.joined(separator: " ")
    let command = "'\(mailflowExecutable.path)' explore \(quoted); echo \"EXIT=$?\"; echo END; sleep 60"
    return try TmuxSession(
      width: 110, height: 40, command: command,
      environment: ["LANG": "C.UTF-8", "TERM": "tmux-256color", "XDG_STATE_HOME": state.path])
  }

  /// A hostile server's banner, EHLO reply and certificate in a real terminal: shown as visible escapes,
  /// and the terminal obeys none of them (its title stays, its screen is not cleared).
  @Test func aHostileServerCannotDriveTheTerminal() async throws {
    let hostile = "evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}txt"
    let pki = try TestPKI(leafName: "mx.probe.example", caName: hostile, leafCommonName: hostile)
    let server = try await FixtureSMTPServer(
      .hostile(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let tmux = try start(["probe.example", "--hop", "relay"], smtpPort: server.port)
    let before = try tmux.run(["display-message", "-p", "-t", tmux.name, "#{pane_title}"])
    #expect(try tmux.waitFor("measured at probe.example", seconds: 30).found)
    try tmux.send("3", "Enter")
    let (details, screen) = try tmux.waitFor(#"CN=evil\x1B]0"#)
    #expect(details, "\(screen)")
    try tmux.send("t")
    let (transcript, transcriptScreen) = try tmux.waitFor(#"S: 220 evil\x1B]0;pwned\x07\x1B[2J\u{9B}31m"#)
    #expect(transcript, "\(transcriptScreen)")
    #expect(transcriptScreen.contains(#"\u{202E}txt\xFFend ESMTP"#), "\(transcriptScreen)")
    let after = try tmux.run(["display-message", "-p", "-t", tmux.name, "#{pane_title}"])
    #expect(!after.contains("pwned"))
    #expect(after == before)
    try tmux.send("Escape")
    try tmux.send("q")
    #expect(try tmux.waitFor("EXIT=0").found)
    await server.close()
  }

  @Test func typeADomainSeeTheRatingsSaveAndReopenTheReport() async throws {
    let server = try await FixtureSMTPServer(
      .starttls(chain: try RelayProbeTests.leafChain, keyPEM: try RelayProbeTests.keyPEM))
    let saved = state.appendingPathComponent("probe.json").path
    try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)

    let tmux = try start([], smtpPort: server.port)
    #expect(try tmux.waitFor("q quit").found)
    try tmux.send("p")
    #expect(try tmux.waitFor("Domain to probe:").found)
    try tmux.send("probe.example", "Enter")
    // The header says "so far … every measured hop secure" while the last lookups finish: wait for
    // the finished form.
    let (rated, screen) = try tmux.waitFor("mailflow · probe.example ✔ secure · every measured", seconds: 30)
    #expect(rated, "\(screen)")
    #expect(screen.contains("mailflow · probe.example ✔ secure · every measured hop secure"), "\(screen)")
    #expect(screen.contains("Diagram · measured at probe.example"))
    #expect(screen.contains("3… ✔"))
    #expect(screen.contains("measured: ✔  every MX offers STARTTLS and DANE validates"), "\(screen)")

    try tmux.send("3", "Enter")
    let (details, detailsScreen) = try tmux.waitFor("DANE: valid")
    #expect(details, "\(detailsScreen)")
    #expect(detailsScreen.contains("Measured at probe.example"))
    #expect(detailsScreen.contains("smtp mx.probe.example [127.0.0.1]"))

    try tmux.send("t")
    #expect(try tmux.waitFor("Transcript · 3… Relay").found)
    #expect(try tmux.waitFor("C: STARTTLS").found)
    try tmux.send("Escape")

    try tmux.send("s")
    #expect(try tmux.waitFor("Save the report to:").found)
    try tmux.send("C-u", saved, "Enter")
    #expect(try tmux.waitFor("saved the report to").found)
    try tmux.send("q")
    let (ended, after) = try tmux.waitFor("END")
    #expect(ended && after.contains("EXIT=0"), "\(after)")
    await server.close()

    #expect(FileManager.default.fileExists(atPath: saved))
    let history = try String(contentsOf: state.appendingPathComponent("mailflow/history"), encoding: .utf8)
    #expect(history == "probe.example\n")

    // Offline: the saved report, marked with its date, no server needed.
    let reopened = try start(["--report", saved], smtpPort: 9)
    let (shown, offline) = try reopened.waitFor("report of")
    #expect(shown, "\(offline)")
    // A long file name leaves no room for the words on the weakest link: the rating and date stay.
    #expect(offline.contains("probe.example ✔ secure · report of 20"), "\(offline)")
    #expect(offline.contains("3… ✔"))
    try reopened.send("J")
    #expect(try reopened.waitFor("Probed: probe.example").found)
    try reopened.send("q")
  }

  @Test func aDomainOnTheCommandLineIsProbedAtOnceAndEscCancels() async throws {
    // A server that never answers: the probe runs until Esc.
    let server = try await FixtureSMTPServer(.tarpit)
    let tmux = try start(["probe.example"], smtpPort: server.port)
    let (probing, screen) = try tmux.waitFor("Esc cancel probe")  // the footer: the whole frame is drawn
    #expect(probing, "\(screen)")
    #expect(screen.contains("probing…"))
    // The interface stays responsive meanwhile.
    try tmux.send("Right", "Right")
    #expect(try tmux.waitFor("Details: 3… Relay").found)
    try tmux.send("Escape")
    #expect(try tmux.waitFor("probe of probe.example cancelled").found)
    #expect(try tmux.waitFor("cancelled after").found)
    try tmux.send("q")
    #expect(try tmux.waitFor("EXIT=0").found)
    await server.close()
  }

  @Test(arguments: [
    (["explore", "--report", "/nonexistent/report.json"], "cannot read report '/nonexistent/report.json'"),
    (["explore", "tabel"], "'tabel' is neither a command nor a domain (did you mean 'table'?)"),
    (["explore", "bad..example"], "invalid domain: 'bad..example' has an empty label"),
    (["explore", "x.example", "--report", "r.json"], "give a domain to probe or --report, not both"),
    (["explore", "--report", "/dev/zero"], "cannot read report '/dev/zero': not a regular file"),
    (["explore", "--report", "/tmp"], "cannot read report '/tmp': it is a folder"),
  ])
  func badInputExitsTwoBeforeTheScreen(arguments: [String], message: String) throws {
    let result = try runMailflow(arguments)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("mailflow: error: \(message)"), "\(result.stderr)")
  }

  @Test func aReportFromANewerMailflowIsRefusedClearly() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-newer-\(UUID().uuidString).json")
    try #"{"schemaVersion": 99, "domain": "x.example"}"#.write(to: file, atomically: true, encoding: .utf8)
    let result = try runMailflow(["explore", "--report", file.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("schema version 99, newer than this mailflow reads (2): update mailflow"))
    try #"{"schemaVersion": 1.5, "domain": "x.example"}"#.write(to: file, atomically: true, encoding: .utf8)
    let fraction = try runMailflow(["explore", "--report", file.path])
    #expect(
      fraction.stderr.contains("has schemaVersion 1.5, which is not a version number"), "\(fraction.stderr)")
    // A sparse 9 MiB file: refused by its size, before anything is read.
    let handle = try FileHandle(forWritingTo: file)
    try handle.truncate(atOffset: 17 * 1_048_576)
    try handle.close()
    let huge = try runMailflow(["explore", "--report", file.path])
    #expect(huge.stderr.contains("is 17 MiB, more than one can be (at most 16 MiB)"), "\(huge.stderr)")
    for (text, message) in [
      (#"{"schemaVersion": 0}"#, "has schemaVersion 0.0, which is not a version number"),
      (#"{"schemaVersion": "2"}"#, "has a schemaVersion that is not a number"),
    ] {
      try text.write(to: file, atomically: true, encoding: .utf8)
      let refused = try runMailflow(["explore", "--report", file.path])
      #expect(refused.stderr.contains(message), "\(refused.stderr)")
    }
    try "not json".write(to: file, atomically: true, encoding: .utf8)
    let garbage = try runMailflow(["explore", "--report", file.path])
    #expect(garbage.stderr.contains("is not JSON, so not a mailflow probe report"))
    try #"{"domain": "x.example"}"#.write(to: file, atomically: true, encoding: .utf8)
    let other = try runMailflow(["explore", "--report", file.path])
    #expect(other.stderr.contains("is not a mailflow probe report (no schemaVersion"))
  }
}
