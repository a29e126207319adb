import Testing

@testable import MailFlowProbe

@Suite("MTA-STS and TLS-RPT records")
struct MTASTSTests {
  @Test func theRecord() throws {
    #expect(try MTASTS.record(from: ["v=STSv1; id=20261129T000000;"]) == MTASTS.Record(id: "20261129T000000"))
    #expect(try MTASTS.record(from: ["v=spf1 -all", "v=STSv1; id=abc"]) == MTASTS.Record(id: "abc"))
  }

  @Test(arguments: [
    ([String](), MTASTS.ParseError.noRecord),
    (["v=STSv1; id=a", "v=STSv1; id=b"], .multipleRecords(2)),
    (["v=STSv1;"], .badRecord("no id")),
    (["v=STSv1; id=has-dash"], .badRecord("id must be 1 to 32 letters and digits, got 'has-dash'")),
  ])
  func brokenRecords(texts: [String], error: MTASTS.ParseError) {
    #expect(throws: error) { try MTASTS.record(from: texts) }
  }

  @Test func aPolicyFile() throws {
    let policy = try MTASTS.policy(
      from:
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.net\r\nmx: *.mail.example.net\r\nmax_age: 604800\r\nextension: ignored\r\n"
    )
    #expect(
      policy == MTASTS.Policy(mode: .enforce, mx: ["mx1.example.net", "*.mail.example.net"], maxAge: 604_800))
    #expect(policy.allows("MX1.example.net."))
    #expect(policy.allows("a.mail.example.net"))
    #expect(!policy.allows("a.b.mail.example.net"))
    #expect(!policy.allows("mail.example.net"))
    #expect(!policy.allows("mx2.example.net"))
  }

  @Test(arguments: [
    ("mode: enforce\nmx: a\nmax_age: 1", "the policy is invalid: version must be STSv1"),
    (
      "version: STSv1\nmode: strict\nmx: a\nmax_age: 1",
      "the policy is invalid: mode must be enforce, testing or none, got 'strict'"
    ),
    (
      "version: STSv1\nmode: enforce\nmax_age: 1",
      "the policy is invalid: no mx pattern (required unless mode is none)"
    ),
    (
      "version: STSv1\nmode: testing\nmx: a\nmax_age: 99999999",
      "the policy is invalid: max_age must be 0 to 31557600 seconds, got '99999999'"
    ),
    ("<html>not a policy</html>", "the policy is invalid: '<html>not a policy</html>' is not key: value"),
  ])
  func brokenPolicies(text: String, message: String) {
    do {
      _ = try MTASTS.policy(from: text)
      Issue.record("accepted: \(text)")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func modeNoneNeedsNoMX() throws {
    #expect(try MTASTS.policy(from: "version: STSv1\nmode: none\nmax_age: 86400").mode == .none)
  }

  @Test func tlsRPT() {
    #expect(
      TLSRPTRecord.parse("v=TLSRPTv1; rua=mailto:tls@example.net,https://r.example.net/v1")
        == TLSRPTRecord(rua: ["mailto:tls@example.net", "https://r.example.net/v1"]))
    #expect(TLSRPTRecord.parse("v=TLSRPTv1;") == nil)
    #expect(TLSRPTRecord.parse("v=spf1 -all") == nil)
  }
}
