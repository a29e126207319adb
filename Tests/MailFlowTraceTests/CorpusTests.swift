import Foundation
import MailFlowAssets
import MailFlowModel
import MailFlowTestSupport
import Testing

@testable import MailFlowTrace

/// The corpus: realistic header sections of the major mail systems, written for these tests.
enum Corpus {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Corpus")

  static func bytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(name)))
  }

  static func report(_ name: String) throws -> TraceReport {
    try TraceAnalyzer.analyze(try HeaderSection.parse(try bytes(name)), organisations: organisations)
  }

  /// As the CLI traces: the built-in provider families and the system's Public Suffix List (installed
  /// with the test dependencies; a test says so when it is missing).
  static let organisations = Organisations(providers: providers, suffixes: systemSuffixes)
  static let providers = try! BuiltinKnowledge.load().providers
  static let systemSuffixes: PublicSuffixList? =
    (try? String(
      contentsOfFile: PublicSuffixList.systemPath, encoding: .utf8)).flatMap { try? PublicSuffixList($0) }

  static var names: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
  }
}

func json(_ report: TraceReport) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
}

@Suite("Trace corpus")
struct CorpusTests {
  @Test(arguments: Corpus.names)
  func matchesItsExpectedJSON(name: String) throws {
    let stem = name.split(separator: ".").first.map(String.init) ?? name
    assertSnapshot(try json(try Corpus.report(name)), named: "corpus-\(stem)", extension: "json")
  }

  @Test func postfix() throws {
    let report = try Corpus.report("postfix.eml")
    #expect(report.hops.map(\.step) == [.submission, .relay, .delivery])
    #expect(report.hops.map(\.rating) == [.secure, .secure, .internal])
    let relay = report.hops[1]
    #expect(
      relay.tls
        == TraceReport.TLS(
          version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", verified: "no client certificate requested"))
    #expect(
      relay.from
        == TraceReport.Endpoint(helo: "mail.example.org", host: "mail.example.org", address: "192.0.2.25"))
    #expect(relay.by == "mx.example.net")
    #expect(relay.with == "ESMTPS")
    #expect(relay.id == "4Xq1Lm2Kp9z3xYw")
    #expect(relay.for == "recipient@example.net")
    #expect(report.hops[0].from?.address == "198.51.100.7")
    #expect(report.hops.map(\.delaySeconds) == [2, 2, 1])
    #expect(report.totalSeconds == 5)
    #expect(report.message.subject == "Café on Friday?")
    #expect(report.authentication.results.map(\.method) == ["spf", "dkim", "dmarc"])
  }

  @Test func exim() throws {
    let report = try Corpus.report("exim.eml")
    #expect(report.hops.map(\.step) == [.submission, .relay, .delivery])
    #expect(report.hops[0].tls?.version == "TLSv1.3")
    #expect(report.hops[0].tls?.cipher == "TLS_AES_128_GCM_SHA256")
    #expect(report.hops[0].from?.helo == "[192.168.1.20]")
    #expect(report.hops[0].from?.address == "198.51.100.23")
    #expect(report.hops[1].with == "esmtps")
    #expect(report.hops[1].for == "bob@example.net")
  }

  @Test func sendmailVerifyIsExplainedNotOverRead() throws {
    let report = try Corpus.report("sendmail.eml")
    #expect(report.hops.map(\.rating) == [.insecure, .secure])
    #expect(report.hops[0].step == .submission)
    #expect(report.hops[1].tls?.verified == "verify=NO")
    #expect(report.hops[1].notes.contains { $0.contains("client certificate") })
    #expect(report.overall == TraceReport.Overall(rating: .insecure, limitedBy: 1))
  }

  @Test func gmail() throws {
    let report = try Corpus.report("gmail.eml")
    #expect(report.hops.map(\.step) == [.submission, .relay, .delivery])
    #expect(report.hops[0].tls?.version == "TLSv1.3")
    #expect(report.hops[1].with == "SMTPS")
    #expect(report.hops[1].rating == .secure)
    #expect(report.hops[1].notes.contains { $0.contains("without its version") })
    #expect(report.authentication.arcSets == 1)
    #expect(report.message.subject == "Grüße")
    // Date is 13:31:05 +0100, the first Received 04:31:07 -0800: two seconds apart in UTC.
    #expect(report.hops[0].delaySeconds == 2)
  }

  @Test func microsoft365() throws {
    let report = try Corpus.report("microsoft365.eml")
    #expect(report.hops.map(\.step) == [.submission, .outbound, .relay, .delivery])
    #expect(report.hops.map(\.rating) == [.internal, .internal, .secure, .internal])
    #expect(report.hops[1].with == "Microsoft SMTP Server")
    #expect(report.hops[1].tls?.version == "TLSv1.2")
    #expect(report.hops[2].tls?.cipher == "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
    #expect(report.hops[0].with == "mapi")
  }

  @Test func qmail() throws {
    let report = try Corpus.report("qmail.eml")
    // The oldest record already crosses into the recipient's system: where the message entered.
    #expect(report.hops.map(\.step) == [.submission, .delivery, .delivery])
    #expect(report.hops.map(\.rating) == [.insecure, .internal, .internal])
    #expect(
      report.hops[0].from == TraceReport.Endpoint(helo: "mail.example.org", host: nil, address: "192.0.2.77"))
    #expect(report.hops.allSatisfy { $0.parsed })
  }

  @Test func openSMTPD() throws {
    let report = try Corpus.report("opensmtpd.eml")
    // The first record is where the message entered: a program on the relay itself (over loopback).
    #expect(report.hops.map(\.step) == [.submission, .relay])
    #expect(report.hops[0].rating == .internal)
    #expect(
      report.hops[1].tls
        == TraceReport.TLS(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", verified: "verify=NO"))
  }

  @Test func cleartextAndOldTLS() throws {
    let report = try Corpus.report("cleartext-and-old-tls.eml")
    #expect(report.hops.map(\.step) == [.submission, .relay, .delivery])
    #expect(report.hops.map(\.rating) == [.weak, .insecure, .internal])
    #expect(report.hops[0].tls?.version == "TLSv1.0")
    #expect(report.authentication.tlsRequiredNo)
  }

  @Test func brokenFieldsAreKeptAndSkewIsShown() throws {
    let report = try Corpus.report("broken-and-skewed.eml")
    #expect(report.hops.count == 5)
    #expect(report.hops.map(\.parsed) == [false, true, true, false, true])
    #expect(report.hops[0].raw.hasPrefix("from truncated.example.org"))
    #expect(report.hops[3].raw == "garbage that is not a received field at all")
    #expect(report.hops[2].clockSkew)
    #expect(report.hops[2].delaySeconds == -100)
    #expect(report.hops[0].rating == .unknown)
  }

  @Test func mboxWithLatin1AndInvalidBytes() throws {
    let report = try Corpus.report("mbox-latin1.mbox")
    #expect(report.hops.count == 1)
    #expect(report.message.from == "René <rene@example.org>")
    #expect(report.message.subject == "caf\\xE9 \\xFF bytes")
  }

  @Test func carriageReturnLineEndings() throws {
    let report = try Corpus.report("cr-line-endings.eml")
    #expect(report.hops.count == 1)
    #expect(report.hops[0].rating == .insecure)
    #expect(report.hops[0].for == "sybil@example.net")
  }
}
