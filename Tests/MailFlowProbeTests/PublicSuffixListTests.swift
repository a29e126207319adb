import Foundation
import MailFlowModel
import MailFlowReport
import Testing

@testable import MailFlowProbe

/// The Public Suffix List's algorithm (publicsuffix.org/list: the longest matching rule, wildcards,
/// exceptions, the default rule `*`) and DMARC's organisational domain from it (RFC 7489 §3.2).
@Suite("Public suffix list and the organisational domain")
struct PublicSuffixListTests {
  static let list = try! PublicSuffixList(
    """
    // ===BEGIN ICANN DOMAINS===
    com
    uk
    co.uk
    jp
    *.kawasaki.jp
    !city.kawasaki.jp
    // 食狮 (Unicode rule)
    食狮.中国
    // ===BEGIN PRIVATE DOMAINS===
    github.io
    """)

  @Test(
    arguments: [
      ("example.com", "example.com"), ("mail.example.com", "example.com"),
      ("a.b.example.co.uk", "example.co.uk"), ("example.co.uk", "example.co.uk"),
      ("a.b.c.kawasaki.jp", "b.c.kawasaki.jp"), ("www.city.kawasaki.jp", "city.kawasaki.jp"),
      ("user.github.io", "user.github.io"), ("www.user.github.io", "user.github.io"),
      ("a.b.unlisted", "b.unlisted"), ("Mail.Example.COM.", "example.com"),
      ("www.xn--85x722f.xn--fiqs8s", "www.xn--85x722f.xn--fiqs8s"), ("mail..Example.com", "example.com"),
      ("kawasaki.jp", "kawasaki.jp"), ("city.kawasaki.jp", "city.kawasaki.jp"),
      // Unicode: lowercased as Unicode (the Kelvin sign is a K), labels split as characters.
      ("mail.example.co.u\u{212A}", "example.co.uk"), ("a.b.Österreich", "b.österreich"),
      ("mail.\u{301}example.com", "mail.\u{301}example.com"),
    ])
  func organisationalDomains(domain: String, organisational: String) {
    #expect(Self.list.organizationalDomain(of: domain) == organisational)
  }

  /// A public suffix itself belongs to no organisation.
  @Test func aPublicSuffixHasNoOrganisationalDomain() {
    for suffix in ["com", "co.uk", "github.io", "c.kawasaki.jp", "xn--85x722f.xn--fiqs8s"] {
      #expect(Self.list.organizationalDomain(of: suffix) == nil, "\(suffix)")
    }
  }

  @Test func aFileWithoutRulesIsRefused() {
    #expect(throws: PublicSuffixListError.self) { try PublicSuffixList("// only a comment\n\n") }
  }

  /// Debian's list, when installed: the cases everyone gets wrong without one.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: PublicSuffixList.systemPath)))
  func theSystemListKnowsRealRegistries() throws {
    let list = try #require(PublicSuffixList.system)
    #expect(list.ruleCount > 5000)
    #expect(list.organizationalDomain(of: "mail.example.co.uk") == "example.co.uk")
    #expect(list.organizationalDomain(of: "www.example.com.au") == "example.com.au")
    #expect(list.organizationalDomain(of: "project.github.io") == "project.github.io")
  }

  /// With the list, a subdomain of `example.co.uk` without a record of its own finds
  /// `_dmarc.example.co.uk`; the last-two-labels stand-in would have asked `_dmarc.co.uk`.
  @Test func rfc7489_3_2_theListFindsTheOrganisationalRecord() async {
    let zone = AuthenticityTests.zone(["_dmarc.example.co.uk": ["v=DMARC1; p=reject"]])
    let report = await AuthenticityCheck.run(
      domain: "mail.example.co.uk", publicSuffixes: { Self.list }, lookup: zone)
    #expect(report.dmarc.foundAt == "_dmarc.example.co.uk")
    #expect(report.dmarc.organizationalDomain == "example.co.uk")
    #expect(report.dmarc.rating == .secure)
    let withoutList = await AuthenticityCheck.run(domain: "mail.example.co.uk", lookup: zone)
    #expect(withoutList.dmarc.foundAt == nil)
    #expect(withoutList.dmarc.organizationalDomain == "co.uk")
  }

  /// The list is not read when the domain has its own record.
  @Test func theListIsLoadedOnlyWhenNeeded() async {
    let loads = LoadCounter()
    let zone = AuthenticityTests.zone(["_dmarc.mail.example.co.uk": ["v=DMARC1; p=reject"]])
    _ = await AuthenticityCheck.run(
      domain: "mail.example.co.uk",
      publicSuffixes: {
        loads.count(); return Self.list
      }, lookup: zone)
    #expect(loads.value == 0)
  }
}

final class LoadCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var loads = 0
  func count() { lock.withLock { loads += 1 } }
  var value: Int { lock.withLock { loads } }
}
