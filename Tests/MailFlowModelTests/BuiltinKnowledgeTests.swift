import MailFlowAssets
import MailFlowModel
import Testing

@Suite("The built-in knowledge base")
struct BuiltinKnowledgeTests {
  let base = try! BuiltinKnowledge.load()

  @Test func hasTheFiveHopsInJourneyOrder() {
    #expect(base.hops.map(\.id) == ["submission", "outbound", "relay", "delivery", "retrieval"])
    #expect(base.hops.map(\.label) == ["1", "2", "3…", "N-1", "N"])
  }

  @Test func hasTheRFC5598Roles() {
    for id in ["MUA", "MSA", "MTA", "MX", "MDA", "MS"] {
      #expect(base.role(id) != nil, "role \(id)")
    }
    #expect(base.role("MDA")!.definition.contains("LMTP"))
  }

  @Test(arguments: [
    ("smtp", 25, false), ("submission", 587, false), ("submissions", 465, true), ("imap", 143, false),
    ("imaps", 993, true), ("pop3", 110, false), ("pop3s", 995, true),
  ])
  func protocolsHaveTheirPorts(id: String, port: Int, implicitTLS: Bool) {
    let proto = base.mailProtocol(id)
    #expect(proto?.port == port)
    #expect(proto?.implicitTLS == implicitTLS)
  }

  @Test func lmtpHasNoRegisteredPort() {
    #expect(base.mailProtocol("lmtp")?.port == nil)
  }

  @Test func modesCarryTheSeedRatings() {
    #expect(base.mode("cleartext")?.rating == .insecure)
    #expect(base.mode("starttls")?.rating == .weak)
    #expect(base.mode("starttls-dane")?.rating == .secure)
    #expect(base.mode("starttls-mta-sts")?.rating == .secure)
    #expect(base.mode("implicit-tls")?.rating == .secure)
    #expect(base.mode("internal")?.rating == .internal)
  }

  /// Each row of the seed's table: (hop, sender, receiver, [(protocol, port, rating)]).
  @Test(arguments: [
    ("submission", "MUA", "MSA", [("submission", 587, Rating.weak), ("submissions", 465, .secure)]),
    (
      "relay", "MTA", "MTA (possibly MX)",
      [("smtp", 25, .insecure), ("smtp", 25, .weak), ("smtp", 25, .secure)]
    ),
    ("retrieval", "MS", "MUA", [("imap", 143, .weak), ("imaps", 993, .secure)]),
  ])
  func seedRowsArePresent(hopID: String, from: String, to: String, options: [(String, Int, Rating)]) throws {
    let hop = try #require(base.hop(hopID))
    #expect(hop.fromLabel == from)
    #expect(hop.toLabel == to)
    let present = hop.options.compactMap { option -> (String, Int, Rating)? in
      guard let id = option.protocolID, let port = base.mailProtocol(id)?.port else { return nil }
      return (id, port, base.rating(of: option))
    }
    for expected in options {
      #expect(present.contains { $0 == expected }, "\(hopID) lacks \(expected)")
    }
  }

  @Test func daneIsTheSeedsEnforcementOnTheRelayHop() throws {
    let relay = try #require(base.hop("relay"))
    #expect(relay.options.contains { $0.modeID == "starttls-dane" && $0.protocolID == "smtp" })
    #expect(relay.repeatable)
  }

  @Test(arguments: ["outbound", "delivery"])
  func internalHopsAreNotRated(hopID: String) throws {
    let hop = try #require(base.hop(hopID))
    #expect(hop.options.allSatisfy { base.rating(of: $0) == .internal })
    #expect(base.bestRating(of: hop) == .internal)
  }

  @Test func retrievalIsAPull() {
    #expect(base.hop("retrieval")?.direction == .pull)
    #expect(base.hops.filter { $0.direction == .pull }.count == 1)
  }

  @Test func catalogueHoldsTheRequiredRFCs() {
    let required = [
      5321, 5322, 6409, 3207, 8314, 7672, 6698, 7671, 5598, 8461, 8460, 8689, 3501, 9051, 1939, 2595, 6186,
      7505, 4954, 8446, 7817, 4033, 2033,
    ]
    for number in required {
      let entry = base.rfc(number)
      #expect(entry != nil, "RFC \(number)")
      #expect((entry?.summary.count ?? 0) > 80, "RFC \(number) summary")
    }
    #expect(base.rfc(8314)?.year == 2018)
    #expect(base.rfc(3501)?.obsoletedBy == [9051])
  }

  @Test func threatsNameTheModesThatStopThem() throws {
    let stripping = try #require(base.threats.first { $0.id == "starttls-stripping" })
    #expect(stripping.affects.contains("starttls"))
    #expect(Set(stripping.defendedBy) == ["starttls-dane", "starttls-mta-sts", "implicit-tls"])
    #expect(stripping.description.contains("250-STARTTLS"))
    for id in ["eavesdropping", "certificate-substitution", "mx-spoofing"] {
      let threat = try #require(base.threats.first { $0.id == id })
      #expect(!threat.defendedBy.isEmpty)
    }
    #expect(base.threats(on: base.hop("relay")!).count >= 4)
  }

  @Test func describesOptionsAsTheSeedDoes() throws {
    let relay = try #require(base.hop("relay"))
    #expect(base.describe(relay.options[1]) == "SMTP 25 with STARTTLS")
    let outbound = try #require(base.hop("outbound"))
    #expect(base.describe(outbound.options[0]) == "Internal delivery (same server with two roles)")
  }

  @Test func bestRatingOfAHopIsItsStrongestOption() {
    #expect(base.bestRating(of: base.hop("submission")!) == .secure)
  }

  @Test func nearRFCNumbersAreSuggested() {
    #expect(base.rfcsNear(3270).map(\.number) == [3207])
    #expect(base.rfcsNear(8315).map(\.number).contains(8314))
    #expect(base.rfcsNear(9999).isEmpty)
  }
}
