import Foundation
import MailFlowTestSupport
import Testing

/// `mailflow probe` as a user runs it, against the fixture zones and a fixture SMTP server.
@Suite("mailflow probe (binary, hermetic)", .serialized)
struct ProbeCommandTests {
  /// Options pointing the real binary at the fixture zones instead of the Internet.
  func fixtureArguments() throws -> [String] {
    let config = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-probe-\(UUID().uuidString).conf")
    try """
    server:
      module-config: "validator iterator"
    auth-zone:
      name: "example."
      zonefile: "\(dnsFixtures.appendingPathComponent("example.zone.signed").path)"
      for-upstream: yes
      for-downstream: no
      fallback-enabled: no
    """.write(to: config, atomically: true, encoding: .utf8)
    return [
      "--dns-config", config.path, "--trust-anchor", dnsFixtures.appendingPathComponent("example.ds").path,
      "--replace-root-anchor", "--ca-file", dnsFixtures.appendingPathComponent("fixture-ca.pem").path, "-4",
    ]
  }

  @Test func jsonReportForADANEDomain() async throws {
    // The fixture server runs on NIO's threads; the binary runs as a child process meanwhile.
    let server = try await FixtureSMTPServer(
      .starttls(chain: try RelayProbeTests.leafChain, keyPEM: try RelayProbeTests.keyPEM))
    let result = try runMailflow(
      ["probe", "probe.example", "--json", "--port", "smtp=\(server.port)", "--timeout", "15"]
        + fixtureArguments())
    await server.close()
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["schemaVersion"] as? Int == 2)
    #expect(object?["domain"] as? String == "probe.example")
    let hops = object?["hops"] as? [[String: Any]] ?? []
    #expect(hops.map { $0["id"] as? String } == ["submission", "outbound", "relay", "delivery", "retrieval"])
    let relay = hops.first { $0["id"] as? String == "relay" }
    #expect(relay?["rating"] as? String == "secure")
    let endpoint = (relay?["endpoints"] as? [[String: Any]])?.first
    #expect(endpoint?["starttls"] as? Bool == true)
    #expect((endpoint?["dane"] as? [String: Any])?["status"] as? String == "valid")
    #expect((endpoint?["tls"] as? [String: Any])?["pkixValid"] as? Bool == true)
    #expect((endpoint?["tls"] as? [String: Any])?.keys.contains("cipher") == true)
    let overall = object?["overall"] as? [String: Any]
    #expect(overall?["rating"] as? String == "secure")
    #expect(overall?["limitedBy"] as? String == "relay")
  }

  /// The SHA-256 of a PEM certificate's SubjectPublicKeyInfo as openssl computes it (the reference the
  /// proposed TLSA records are held against).
  func opensslSPKIDigest(_ pem: URL) throws -> String {
    let result = try runMailflow(
      ["-c", "openssl x509 -in '\(pem.path)' -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum"],
      executable: URL(fileURLWithPath: "/bin/sh"))
    return String(result.stdout.prefix(64))
  }

  @Test func fixesProposeTheTLSARecordsOfTheServedCertificate() async throws {
    let server = try await FixtureSMTPServer(
      .starttls(chain: try RelayProbeTests.leafChain, keyPEM: try RelayProbeTests.keyPEM))
    let result = try runMailflow(
      [
        "probe", "probe.example", "--json", "--hop", "relay", "--port", "smtp=\(server.port)", "--timeout",
        "15",
      ]
        + fixtureArguments())
    let text = try runMailflow(
      ["probe", "probe.example", "--hop", "relay", "--color", "never", "--port", "smtp=\(server.port)"]
        + fixtureArguments())
    let quiet = try runMailflow(
      ["probe", "probe.example", "--hop", "relay", "--no-fixes", "--checks", "--port", "smtp=\(server.port)"]
        + fixtureArguments())
    #expect(quiet.stdout.contains("Checklist"))
    #expect(quiet.stdout.contains("DANE for mx.probe.example"))
    await server.close()
    #expect(result.status == 0, "\(result.stderr)")
    let leaf = try opensslSPKIDigest(dnsFixtures.appendingPathComponent("fixture-leaf.pem"))
    let issuer = try opensslSPKIDigest(dnsFixtures.appendingPathComponent("fixture-ca.pem"))
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let relay = (object?["hops"] as? [[String: Any]])?.first { $0["id"] as? String == "relay" }
    let tls = ((relay?["endpoints"] as? [[String: Any]])?.first?["tls"] as? [String: Any])
    #expect(tls?["leafSPKISHA256"] as? String == leaf)
    #expect(tls?["issuerSPKISHA256"] as? String == issuer)
    // The zone publishes one 3 1 1 and no partner: the fix is the issuer's 2 1 1, ready to publish.
    let fixes = relay?["fixes"] as? [[String: Any]] ?? []
    let rollover = fixes.first { $0["kind"] as? String == "dane-rollover" }
    #expect(rollover?["severity"] as? String == "warning")
    let items = rollover?["items"] as? [[String: Any]] ?? []
    #expect(items.first?["name"] as? String == "_25._tcp.mx.probe.example.")
    #expect(items.first?["value"] as? String == "2 1 1 \(issuer)")
    #expect(text.stdout.contains("How to fix: relay"))
    #expect(text.stdout.contains("_25._tcp.mx.probe.example. IN TLSA 2 1 1 \(issuer)"))
    #expect(!quiet.stdout.contains("How to fix"))
    // The checklist: in the JSON always, in the text with --checks.
    let checks = object?["checks"] as? [[String: Any]] ?? []
    #expect(
      checks.contains { $0["id"] as? String == "dane.mx.probe.example" && $0["status"] as? String == "pass" })
    #expect(!text.stdout.contains("Checklist"))
  }

  @Test func failOnExitsThreeAtItsLevelAndNotBelow() async throws {
    let server = try await FixtureSMTPServer(.plain)
    // twomx.example publishes no TLSA records: a server without STARTTLS makes the relay cleartext.
    let base =
      ["probe", "twomx.example", "--hop", "relay", "--port", "smtp=\(server.port)", "--timeout", "3"]
      + (try fixtureArguments())
    var statuses: [String: Int32] = [:]
    for level in ["broken", "insecure", "weak", "warn"] {
      statuses[level] = try runMailflow(base + ["--fail-on", level]).status
    }
    let json = try runMailflow(base + ["--fail-on", "insecure", "--json"])
    await server.close()
    #expect(statuses == ["broken": 0, "insecure": 3, "weak": 3, "warn": 3])
    #expect(json.status == 3)
    #expect(json.stderr.contains("--fail-on insecure: relay is insecure"), "\(json.stderr)")
    #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil)
    // A probe that cannot run is bad input, not a finding.
    let invalid = try runMailflow(["probe", "bad..example", "--fail-on", "warn"])
    #expect(invalid.status == 2)
    let level = try runMailflow(["probe", "probe.example", "--fail-on", "sometimes"])
    #expect(level.status == 2)
  }

  @Test func diffNamesAChangedCertificateAndSaysNothingOfTheSameReport() async throws {
    let server = try await FixtureSMTPServer(
      .starttls(chain: try RelayProbeTests.leafChain, keyPEM: try RelayProbeTests.keyPEM))
    let result = try runMailflow(
      ["probe", "probe.example", "--json", "--hop", "relay", "--port", "smtp=\(server.port)"]
        + fixtureArguments())
    await server.close()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let old = directory.appendingPathComponent("old.json")
    try result.stdout.write(to: old, atomically: true, encoding: .utf8)
    let same = try runMailflow(["diff", old.path, old.path, "--fail-on", "warn"])
    #expect(same.status == 0, "\(same.stderr)")
    #expect(same.stdout.contains("nothing changed"))
    // The same server with another certificate (a new key) and a lost DANE match.
    let new = directory.appendingPathComponent("new.json")
    try result.stdout.replacingOccurrences(
      of: "983decd07bafcc3ec618f2a0e0131cd90eef1af3d150627dcc14e573cff3eb04",
      with: String(repeating: "ab", count: 32)
    )
    .replacingOccurrences(of: "\"status\" : \"valid\"", with: "\"status\" : \"mismatch\"")
    .replacingOccurrences(of: "\"rating\" : \"secure\"", with: "\"rating\" : \"broken\"")
    .write(to: new, atomically: true, encoding: .utf8)
    let changed = try runMailflow(["diff", old.path, new.path, "--color", "never"])
    #expect(changed.status == 0)
    #expect(changed.stdout.contains("relay: rating secure → broken (worse)"), "\(changed.stdout)")
    #expect(changed.stdout.contains("certificate"), "\(changed.stdout)")
    #expect(changed.stdout.contains("DANE valid"), "\(changed.stdout)")
    let failing = try runMailflow(["diff", old.path, new.path, "--fail-on", "broken", "--json"])
    #expect(failing.status == 3)
    let object = try JSONSerialization.jsonObject(with: Data(failing.stdout.utf8)) as? [String: Any]
    #expect((object?["changes"] as? [[String: Any]])?.contains { $0["worse"] as? Bool == true } == true)
  }

  @Test func compareAddsWhatChangedSinceAnEarlierReport() async throws {
    let server = try await FixtureSMTPServer(
      .starttls(chain: try RelayProbeTests.leafChain, keyPEM: try RelayProbeTests.keyPEM))
    let arguments =
      ["probe", "probe.example", "--hop", "relay", "--port", "smtp=\(server.port)"] + (try fixtureArguments())
    let first = try runMailflow(arguments + ["--json"])
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let old = directory.appendingPathComponent("old.json")
    // The earlier report saw the relay weak: the new probe finds it secure again.
    try first.stdout.replacingOccurrences(of: "\"rating\" : \"secure\"", with: "\"rating\" : \"weak\"")
      .write(to: old, atomically: true, encoding: .utf8)
    let text = try runMailflow(arguments + ["--compare", old.path, "--color", "never"])
    let json = try runMailflow(arguments + ["--compare", old.path, "--json"])
    let missing = try runMailflow(
      arguments + ["--compare", directory.appendingPathComponent("none.json").path])
    await server.close()
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("What changed"))
    #expect(text.stdout.contains("relay: rating weak → secure"), "\(text.stdout)")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((object?["report"] as? [String: Any])?["domain"] as? String == "probe.example")
    #expect(((object?["compared"] as? [String: Any])?["changes"] as? [Any])?.isEmpty == false)
    #expect(missing.status == 2)  // checked before any lookup
  }

  @Test func humanOutputForANullMX() throws {
    let result = try runMailflow(["probe", "nullmx.example", "--color", "never"] + fixtureArguments())
    #expect(result.status == 0)
    #expect(result.stdout.contains("publishes a null MX (RFC 7505): it accepts no mail"))
    #expect(result.stdout.contains("nullmx.example. MX: secure  0 ."))
  }

  @Test(arguments: [
    (["probe", "bad..example"], "invalid domain: 'bad..example' has an empty label"),
    (["probe", "x.example", "--resolver", "not-an-ip"], "'not-an-ip' is not a resolver address"),
    (
      ["probe", "x.example", "--trust-anchor", "/nonexistent.ds"],
      "cannot read trust anchor '/nonexistent.ds': No such file or directory"
    ),
    (["probe", "x.example", "--trust-anchor", "/tmp"], "cannot read trust anchor '/tmp': it is a folder"),
    (
      ["probe", "x.example", "--trust-anchor", "/dev/zero"],
      "cannot read trust anchor '/dev/zero': not a regular file"
    ),
    (
      ["probe", "x.example", "--trust-anchor", "/etc/hostname"],
      "trust anchor '/etc/hostname' is not usable: line 1: not a DS or DNSKEY record"
    ),
    (
      ["explore", "x.example", "--trust-anchor", "/dev/zero"],
      "cannot read trust anchor '/dev/zero': not a regular file"
    ),
    (
      ["probe", "x.example", "--ca-file", "/dev/zero"], "cannot read CA file '/dev/zero': not a regular file"
    ),
    (["table", "--assets", "/dev"], "knowledge base"),
    (
      ["probe", "x.example", "--ca-file", "/nonexistent.pem"],
      "cannot read CA file '/nonexistent.pem': No such file"
    ),
    (["probe", "x.example", "--port", "smtp=0"], "--port expects SERVICE=PORT"),
    (["probe", "x.example", "-4", "-6"], "-4 and -6 cannot be used together"),
    (["probe", "x.example", "--imap", "imap..example"], "--imap expects HOST[:PORT], got 'imap..example'"),
    (
      ["probe", "x.example", "--pop3", "pop.example:99999"],
      "--pop3 expects HOST[:PORT], got 'pop.example:99999'"
    ),
    (
      ["probe", "x.example", "--port", "ftp=21"],
      "--port expects SERVICE=PORT with SERVICE one of smtp, submission"
    ),
    (["probe", "x.example", "--hop", "relay,mx"], "--hop expects submission, relay and/or retrieval"),
    (["probe", "x.example", "--imap", ":993"], "--imap expects HOST[:PORT], got ':993'"),
    (["probe", "x.example", "--timeout", "0"], "--timeout must be more than 0 and at most 600 seconds"),
  ])
  func badInputExitsTwo(arguments: [String], message: String) throws {
    let result = try runMailflow(arguments)
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("mailflow: error: \(message)"), "\(result.stderr)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
  }

  /// A FIFO nobody writes to, a huge CA file and a garbage trust anchor: one line each, at once.
  @Test func filesThatAreNotWhatTheySayFailAtOnce() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mailflow-files-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("anchor.fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let fifoResult = try runMailflow(["probe", "x.example", "--trust-anchor", fifo])
    #expect(fifoResult.status == 2)
    #expect(fifoResult.stderr == "mailflow: error: cannot read trust anchor '\(fifo)': not a regular file\n")
    let big = directory.appendingPathComponent("big.pem")
    #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
    let handle = try FileHandle(forWritingTo: big)
    try handle.truncate(atOffset: 9 * 1_048_576)  // sparse: 9 MiB of zeros, no disk used
    try handle.close()
    let bigResult = try runMailflow(["probe", "x.example", "--ca-file", big.path])
    #expect(bigResult.status == 2)
    #expect(
      bigResult.stderr.contains("is 9 MiB, more than one can be (at most 8 MiB)"), "\(bigResult.stderr)")
    let garbage = directory.appendingPathComponent("garbage.ds")
    try "example. IN DS 12345 13 2 not-hex\n".write(to: garbage, atomically: true, encoding: .utf8)
    let garbageResult = try runMailflow(["probe", "x.example", "--trust-anchor", garbage.path])
    #expect(garbageResult.status == 2)
    #expect(garbageResult.stderr.contains("line 1: the digest is not hexadecimal"), "\(garbageResult.stderr)")
  }

  /// A resolver that never answers ends the whole probe within about one lookup deadline, and every
  /// hop says why — not "no service", not "has no usable address".
  @Test func aSilentResolverFailsFastWithItsReason() throws {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try runMailflow([
      "probe", "x.example", "--resolver", "127.0.0.1@9", "--timeout", "1", "--json",
    ])
    #expect(clock.now - start < .seconds(6))
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let hops = object?["hops"] as? [[String: Any]] ?? []
    for id in ["submission", "relay", "retrieval"] {
      let hop = hops.first { $0["id"] as? String == id }
      #expect(hop?["rating"] as? String == "unknown")
      #expect(
        (hop?["summary"] as? String)?.contains("the resolver 127.0.0.1@9 did not answer") == true, "\(id)")
    }
  }

  @Test func unicodeDomainsAreConvertedAndShownBothWays() throws {
    let result = try runMailflow(
      ["probe", "bücher.example", "--color", "never", "--timeout", "1"] + fixtureArguments())
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("bücher.example (xn--bcher-kva.example)"))
  }

  /// All five hops of a domain whose mail user's servers are all published through SRV: fixture IMAP,
  /// POP3 and submission servers, the real binary, both outputs.
  @Test func everyHopOfASRVDomainInBothOutputs() async throws {
    let chain = try RelayProbeTests.leafChain
    let key = try RelayProbeTests.keyPEM
    let submissions = try await FixtureSMTPServer(.implicitTLS(chain: chain, keyPEM: key))
    let imaps = try await FixtureMailboxServer(.imaps(chain: chain, keyPEM: key))
    let imap = try await FixtureMailboxServer(.imapStartTLS(chain: chain, keyPEM: key, loginDisabled: true))
    let pop3s = try await FixtureMailboxServer(.pop3s(chain: chain, keyPEM: key))
    let pop3 = try await FixtureMailboxServer(.pop3Plain)
    let ports = [
      "--port", "submissions=\(submissions.port)", "--port", "imaps=\(imaps.port)", "--port",
      "imap=\(imap.port)",
      "--port", "pop3s=\(pop3s.port)", "--port", "pop3=\(pop3.port)", "--port", "https=9", "--port", "smtp=9",
      "--timeout", "15",
    ]
    let imapsPort = imaps.port
    let json = try runMailflow(["probe", "mail.example", "--json"] + ports + fixtureArguments())
    let text = try runMailflow(["probe", "mail.example", "--color", "never"] + ports + fixtureArguments())
    await submissions.close()
    for server in [imaps, imap, pop3s, pop3] { await server.close() }

    #expect(json.status == 0, "\(json.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let hops = object?["hops"] as? [[String: Any]] ?? []
    let ratings = Dictionary(
      uniqueKeysWithValues: hops.map { ($0["id"] as? String ?? "", $0["rating"] as? String ?? "") })
    // The committed fixture certificate is not for smtp.mail.example: 465 is weak; IMAPS has DANE.
    #expect(
      ratings == [
        "submission": "weak", "outbound": "internal", "relay": "unknown", "delivery": "internal",
        "retrieval": "secure",
      ])
    let retrieval = hops.first { $0["id"] as? String == "retrieval" }
    let endpoints = retrieval?["endpoints"] as? [[String: Any]] ?? []
    #expect(endpoints.map { $0["service"] as? String } == ["imaps", "imap", "pop3s", "pop3"])
    for field in [
      "service", "sources", "port", "tls", "starttls", "authBeforeTLS", "loginDisabled", "dane", "rating",
      "transcript", "startTLSInjection", "lookups",
    ] {
      #expect(endpoints.allSatisfy { $0.keys.contains(field) }, "\(field)")
    }
    #expect(endpoints[0]["sources"] as? [String] == ["srv"])
    // Lookups are kept where they belong: the hop's, and each endpoint's own (address, TLSA).
    let imapsLookups = (endpoints[0]["lookups"] as? [[String: Any]] ?? []).map {
      "\($0["name"]!) \($0["type"]!)"
    }
    #expect(imapsLookups.contains("imap.mail.example. A"), "\(imapsLookups)")
    #expect(imapsLookups.contains("_993._tcp.imap.mail.example. TLSA"), "\(imapsLookups)")
    let retrievalLookups = (retrieval?["lookups"] as? [[String: Any]] ?? []).map {
      "\($0["name"]!) \($0["type"]!)"
    }
    #expect(retrievalLookups.contains("_imaps._tcp.mail.example. SRV"), "\(retrievalLookups)")
    #expect(!retrievalLookups.contains { $0.hasPrefix("_submissions.") })
    #expect(endpoints[1]["loginDisabled"] as? Bool == true)
    #expect((endpoints[0]["dane"] as? [String: Any])?["status"] as? String == "valid")
    let relay = hops.first { $0["id"] as? String == "relay" }
    #expect(relay?.keys.contains("mtaSts") == true && relay?.keys.contains("tlsRpt") == true)
    let autoconfig = object?["autoconfig"] as? [String: Any]
    #expect((autoconfig?["attempts"] as? [[String: Any]])?.count == 2)
    let overall = object?["overall"] as? [String: Any]
    #expect(overall?["rating"] as? String == "weak")
    #expect(overall?["limitedBy"] as? String == "submission")

    #expect(text.status == 0)
    #expect(
      text.stdout.contains("imaps imap.mail.example [127.0.0.1]:\(imapsPort)  (from SRV _imaps._tcp)"),
      "\(text.stdout)")
    #expect(text.stdout.contains("LOGINDISABLED before TLS: yes (good)"))
    #expect(text.stdout.contains("password methods before TLS: USER SASL PLAIN"))
    #expect(
      text.stdout.contains(
        "https://autoconfig.mail.example/mail/config-v1.1.xml: autoconfig.mail.example has no usable address")
    )
  }

  @Test func onlyTheChosenHopsAreProbed() throws {
    let result = try runMailflow(
      ["probe", "nullmx.example", "--json", "--hop", "relay", "--timeout", "5"] + fixtureArguments())
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let hops = object?["hops"] as? [[String: Any]] ?? []
    let summaries = Dictionary(
      uniqueKeysWithValues: hops.map { ($0["id"] as? String ?? "", $0["summary"] as? String ?? "") })
    #expect(summaries["submission"] == "not probed (left out with --hop)")
    #expect(summaries["retrieval"] == "not probed (left out with --hop)")
    #expect(summaries["relay"]?.contains("null MX") == true)
    #expect(object?["autoconfig"] is NSNull)
  }
}

/// A hostile server's bytes never reach the terminal raw: banner, EHLO reply and certificate carry
/// terminal escapes, a C1 control, a bidi override and an invalid byte.
@Suite("Hostile servers and the terminal", .serialized)
struct HostileServerOutputTests {
  /// Characters that must never appear in text output as themselves.
  static func rawControls(in text: String) -> [String] {
    text.unicodeScalars.filter {
      ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}"
    }.map { String(format: "U+%04X", $0.value) }
  }

  @Test func textAndJSONOutputShowHostileBytesVisibly() async throws {
    let hostile = "evil\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{202E}txt"
    let pki = try TestPKI(leafName: "mx.probe.example", caName: hostile, leafCommonName: hostile)
    let server = try await FixtureSMTPServer(
      .hostile(chain: try pki.chain, keyPEM: pki.leafKey.pemRepresentation))
    let arguments =
      ["probe", "probe.example", "--hop", "relay", "--port", "smtp=\(server.port)", "--timeout", "15"]
      + (try ProbeCommandTests().fixtureArguments())
    let text = try runMailflow(arguments + ["--transcript", "--color", "always"])
    let json = try runMailflow(arguments + ["--json"])
    await server.close()

    #expect(text.status == 0, "\(text.stderr)")
    // Our own colours are the only escape sequences: SGR, ESC [ digits m.
    let withoutColours = text.stdout.replacing(#/\x1B\[[0-9;]*m/#, with: "")
    #expect(Self.rawControls(in: withoutColours).isEmpty, "\(withoutColours)")
    let shown = #"evil\x1B]0;pwned\x07\x1B[2J\u{9B}31m\u{202E}txt"#
    #expect(withoutColours.contains("S: 220 " + shown + #"\xFFend ESMTP"#), "\(withoutColours)")
    #expect(withoutColours.contains("X-" + shown), "EHLO line")
    // The subject as RFC 4514 writes it (`;` escaped), controls shown.
    #expect(
      withoutColours.contains(
        #"certificate: CN=evil\x1B]0\;pwned\x07\x1B[2J\u{9B}31m\u{202E}txt, issued by"#),
      "certificate subject")

    #expect(json.status == 0, "\(json.stderr)")
    #expect(Self.rawControls(in: json.stdout).isEmpty)
    #expect(
      json.stdout.contains(#"\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202etxt\\xFFend"#), "\(json.stdout)")
    // Exact once decoded: the JSON carries what the server sent (the invalid byte as \xFF).
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let relay = (object?["hops"] as? [[String: Any]])?.first { $0["id"] as? String == "relay" }
    let endpoint = (relay?["endpoints"] as? [[String: Any]])?.first
    let transcript = endpoint?["transcript"] as? [[String: Any]] ?? []
    #expect(transcript.first?["text"] as? String == "220 " + hostile + #"\xFFend ESMTP"#)
  }

  @Test func errorLinesShowArgumentsVisibly() throws {
    let result = try runMailflow(["probe", "x.example", "--ca-file", "/nonexistent\u{1B}[2J\u{202E}.pem"])
    #expect(result.status == 2)
    #expect(Self.rawControls(in: result.stderr).isEmpty, "\(result.stderr)")
    #expect(result.stderr.contains(#"/nonexistent\x1B[2J\u{202E}.pem"#))
  }
}
