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

  /// The lookup walks up a name and stops at the first tail no entry ends with: a rule whose parents
  /// are not rules themselves (`a.b.c` without `b.c` or `c`; a wildcard or an exception below an
  /// unlisted top-level name) is still found, and parents do not count as rules.
  @Test func deepRulesAreFoundThroughParentsThatAreNotRules() throws {
    let list = try PublicSuffixList("a.b.c\n*.d.e\n!x.y.z\nz.w\n")
    #expect(list.ruleCount == 4)
    #expect(list.organizationalDomain(of: "mail.host.a.b.c") == "host.a.b.c")
    #expect(list.organizationalDomain(of: "a.b.c") == nil)
    #expect(list.organizationalDomain(of: "b.c") == "b.c")
    #expect(list.organizationalDomain(of: "m.n.d.e") == "m.n.d.e")
    #expect(list.organizationalDomain(of: "m.x.y.z") == "x.y.z")
    #expect(list.organizationalDomain(of: "q.z.w") == "q.z.w")
  }

  /// Every name built from the installed list's rules gets the answer of the algorithm as
  /// publicsuffix.org writes it (every rule checked, the longest winning, an exception first), which
  /// the lookup's early stop must not change.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: PublicSuffixList.systemPath)))
  func theWalkAgreesWithCheckingEveryRule() throws {
    let text = try String(contentsOfFile: PublicSuffixList.systemPath, encoding: .utf8)
    let list = try PublicSuffixList(text)
    var rules = Set<String>()
    var wildcards = Set<String>()
    var exceptions = Set<String>()
    for line in text.split(whereSeparator: \.isNewline) {
      let rule = line.split(separator: " ").first.map(String.init) ?? ""
      guard !rule.isEmpty, !rule.hasPrefix("//"), rule.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
      if rule.hasPrefix("!") {
        exceptions.insert(String(rule.dropFirst()))
      } else if rule.hasPrefix("*.") {
        wildcards.insert(String(rule.dropFirst(2)))
      } else {
        rules.insert(rule)
      }
    }
    func reference(_ name: String) -> String? {
      let labels = name.split(separator: ".").map(String.init)
      var longest = 1
      for count in 1...labels.count {
        let key = labels.suffix(count).joined(separator: ".")
        if exceptions.contains(key) {
          longest = count - 1
          break
        }
        if rules.contains(key) { longest = max(longest, count) }
        if count < labels.count && wildcards.contains(key) { longest = max(longest, count + 1) }
      }
      return labels.count > longest ? labels.suffix(longest + 1).joined(separator: ".") : nil
    }
    var checked = 0
    for rule in (rules.union(wildcards).union(exceptions)).sorted() {
      for name in [rule, "a." + rule, "b.a." + rule, "c.b.a." + rule, rule + ".x", "a." + rule + ".com"] {
        #expect(list.organizationalDomain(of: name) == reference(name), "\(name)")
        checked += 1
      }
    }
    #expect(checked > 30_000)
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
