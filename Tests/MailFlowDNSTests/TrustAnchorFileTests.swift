import Foundation
import MailFlowDNS
import MailFlowTestSupport
import Testing

@Suite("Trust-anchor files")
struct TrustAnchorFileTests {
  @Test func theFixtureAnchorAndTheRootKeyAreAccepted() throws {
    let fixture = try String(contentsOf: dnsFixtures.appendingPathComponent("example.ds"), encoding: .utf8)
    #expect(try TrustAnchorFile.check(fixture) == 1)
    if let root = try? String(contentsOfFile: "/usr/share/dns/root.key", encoding: .utf8) {
      #expect(try TrustAnchorFile.check(root) >= 1)
    }
    let multiline = """
      ; a comment
      $TTL 3600
      example. 3600 IN DNSKEY 257 3 13 (
          mdsswUyr3DPW132mOi8V9xESWE8jTo0d
          xCjjnopKl+GqJxpVXckHAeF+KkxLbxIL )
      example. IN DS 2371 13 2 1F987CC6583E92DF0890718C42
      """
    #expect(try TrustAnchorFile.check(multiline) == 2)
    // What unbound also reads: TTL units, algorithm mnemonics, other record types skipped.
    let loose = "example. 1h IN DS 2371 ECDSAP256SHA256 2 1F98\nexample. 3600 RRSIG DNSKEY 13 1 3600 x y z\n"
    #expect(try TrustAnchorFile.check(loose) == 1)
  }

  @Test(arguments: [
    ("", "no DS or DNSKEY record"),
    ("hello world\n", "line 1: not a DS or DNSKEY record"),
    ("\u{0}\u{0}\u{0}", "line 1: not a DS or DNSKEY record"),
    ("example. IN DS 1 13 2 xyz\n", "line 1: the digest is not hexadecimal"),
    ("example. IN DS 1 13\n", "line 1: a DS record needs key tag, algorithm, digest type and digest"),
    ("example. IN DNSKEY 257 3 13 (abc\n", "line 1: '(' never closed"),
    ("example. IN DNSKEY 257 3 13 a*b\n", "line 1: the key is not base64"),
    ("\n\nexample. A 192.0.2.1\n", "no DS or DNSKEY record"),
    ("DNSKEY 257 3 8 AwEAAa\n", "line 1: not a DS or DNSKEY record"),
    ("DS 1 13 2 ab\n", "line 1: not a DS or DNSKEY record"),
    ("$INCLUDE /etc/passwd\nexample. DS 1 13 2 ab\n", "line 1: $INCLUDE is not allowed"),
    ("example. IN DS 1 13 2 ４５\n", "line 1: the digest is not hexadecimal"),
  ])
  func garbageIsRefusedWithTheLine(text: String, message: String) {
    #expect(throws: TrustAnchorFile.Problem.self) { try TrustAnchorFile.check(text) }
    do {
      _ = try TrustAnchorFile.check(text)
    } catch {
      #expect(error.description.hasPrefix(message), "\(error.description)")
    }
  }
}
