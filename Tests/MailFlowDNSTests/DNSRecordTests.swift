import Testing

@testable import MailFlowDNS

@Suite("DNS record data")
struct DNSRecordTests {
  static let mxData: [UInt8] =
    [0, 10, 2, 0x6d, 0x78, 7] + Array("example".utf8) + [3] + Array("net".utf8) + [0]

  @Test func mx() throws {
    #expect(try DNSRecord.parse(.mx, Self.mxData) == .mx(preference: 10, exchange: "mx.example.net."))
    #expect(try DNSRecord.parse(.mx, [0, 0, 0]) == .mx(preference: 0, exchange: "."))
  }

  @Test func addresses() throws {
    #expect(try DNSRecord.parse(.a, [192, 0, 2, 1]) == .a("192.0.2.1"))
    #expect(
      try DNSRecord.parse(.aaaa, [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        == .aaaa("2001:db8::1"))
    #expect(try DNSRecord.parse(.aaaa, Array(repeating: 0, count: 15) + [1]) == .aaaa("::1"))
    #expect(
      try DNSRecord.parse(.aaaa, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])
        == .aaaa("2001:db8:0:1::1"))
  }

  @Test func tlsaSRVTXTAndCNAME() throws {
    #expect(
      try DNSRecord.parse(.tlsa, [3, 1, 1, 0xab, 0xcd])
        == .tlsa(usage: 3, selector: 1, matchingType: 1, data: [0xab, 0xcd]))
    #expect(
      try DNSRecord.parse(.srv, [0, 5, 0, 1, 1, 0xd1, 0])
        == .srv(priority: 5, weight: 1, port: 465, target: "."))
    #expect(try DNSRecord.parse(.txt, [3] + Array("a=b".utf8) + [0]) == .txt(["a=b", ""]))
    #expect(try DNSRecord.parse(.cname, [1, 0x61, 0]) == .cname("a."))
    #expect(DNSRecord.tlsa(usage: 3, selector: 1, matchingType: 1, data: [0x0a, 0xff]).text == "3 1 1 0aff")
  }

  @Test(arguments: [
    (RecordType.a, [UInt8]([1, 2, 3]), DNSRecord.ParseError.wrongLength(.a, 3)),
    (.mx, [0], .truncated(.mx)),
    (.mx, [0, 1, 5, 0x61], .truncated(.mx)),
    (.mx, [0, 1, 0xc0, 0x0c], .badName(.mx)),
    (.mx, [0, 1, 0, 9], .wrongLength(.mx, 4)),
    (.txt, [5, 0x61], .truncated(.txt)),
    (.tlsa, [3, 1], .truncated(.tlsa)),
  ])
  func malformedDataIsAnErrorNotACrash(type: RecordType, bytes: [UInt8], error: DNSRecord.ParseError) {
    #expect(throws: error) { try DNSRecord.parse(type, bytes) }
  }

  @Test func oddLabelsAreEscaped() throws {
    #expect(try DNSRecord.parse(.cname, [3, 0x61, 0x20, 0x2e, 0]) == .cname("a\\032\\046."))
  }

  @Test func survivesRandomBytes() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<5000 {
      let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
        UInt8.random(in: 0...255, using: &generator)
      }
      for type in RecordType.allCases { _ = try? DNSRecord.parse(type, bytes) }
    }
  }
}

@Suite("Resolver addresses")
struct ResolverAddressTests {
  @Test(arguments: [
    ("127.0.0.1", "127.0.0.1", 53), ("127.0.0.1@5353", "127.0.0.1", 5353), ("::1", "::1", 53),
    ("::1@53", "::1", 53), ("2001:db8::53@853", "2001:db8::53", 853),
  ])
  func parses(text: String, address: String, port: Int) throws {
    #expect(try ResolverAddress.parse(text) == ResolverAddress(address: address, port: port))
  }

  @Test(arguments: [
    "", "localhost", "1.2.3", "1.2.3.4@", "1.2.3.4@0", "1.2.3.4@70000", "300.1.1.1", "1:::2", "::g", "a@b@c",
  ])
  func refuses(text: String) {
    #expect(throws: ResolverAddress.ParseError.invalid(text)) { try ResolverAddress.parse(text) }
  }
}

@Suite("Domain names")
struct DomainNameTests {
  @Test(arguments: [
    ("example.net", "example.net.", nil), ("Example.NET.", "example.net.", nil),
    ("bücher.example", "xn--bcher-kva.example.", "bücher.example"),
    ("münchen.de", "xn--mnchen-3ya.de.", "münchen.de"), ("例え.jp", "xn--r8jz45g.jp.", "例え.jp"),
  ])
  func normalises(text: String, ascii: String, unicode: String?) throws {
    let name = try DomainName(text)
    #expect(name.ascii == ascii)
    #expect(name.unicode == unicode)
  }

  @Test(arguments: [
    ("", DomainName.ParseError.empty), ("a..b", .emptyLabel("a..b")), (".a", .emptyLabel(".a")),
    (String(repeating: "a", count: 64) + ".example", .labelTooLong(String(repeating: "a", count: 64))),
    ("exa mple.com", .badCharacter("exa mple.com", " ")), ("-a.example", .hyphenAtEdge("-a")),
    ("a/b.example", .badCharacter("a/b.example", "/")),
    // Bidi overrides, C1 controls and zero-width characters are in no IDNA label.
    ("evil\u{202E}.example", .badCharacter("evil\u{202E}.example", "\u{202E}")),
    ("a\u{9B}b.example", .badCharacter("a\u{9B}b.example", "\u{9B}")),
    ("a\u{200B}b.example", .badCharacter("a\u{200B}b.example", "\u{200B}")),
  ])
  func refuses(text: String, error: DomainName.ParseError) {
    #expect(throws: error) { try DomainName(text) }
  }

  @Test func refusesNamesOver253Characters() {
    let long = Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: ".")
    #expect(throws: DomainName.ParseError.nameTooLong(304)) { try DomainName(long) }
  }
}
