import MailFlowModel
import Testing

@Suite struct RatingTests {
  @Test func symbolsFollowTheSeed() {
    #expect(Rating.secure.symbol(ascii: false) == "✔")
    #expect(Rating.weak.symbol(ascii: false) == "✘")
    #expect(Rating.insecure.symbol(ascii: false) == "✘✘")
    #expect(Rating.secure.symbol(ascii: true) == "OK")
    #expect(Rating.weak.symbol(ascii: true) == "X")
    #expect(Rating.insecure.symbol(ascii: true) == "XX")
  }

  @Test(arguments: [
    ([Rating.secure, .weak, .insecure], Rating?.some(.insecure)),
    ([.secure, .internal, .weak], .weak),
    ([.secure, .unknown, .none], .secure),
    ([.internal, .unknown], nil),
    ([.insecure, .broken, .secure], .broken),  // an outage ranks below cleartext
  ])
  func weakestIgnoresUnratedHops(ratings: [Rating], expected: Rating?) {
    #expect(Rating.weakest(ratings) == expected)
  }

  /// The hop that limits a journey is the first with the weakest rating.
  @Test func firstWeakestIsTheFirstOccurrence() {
    #expect(Rating.firstWeakest([Rating.secure, .weak, .unknown, .weak, .secure]) == 1)
    #expect(Rating.firstWeakest([Rating.internal, .secure, .insecure, .broken, .broken]) == 3)
    #expect(Rating.firstWeakest([Rating.internal, .unknown, .none]) == nil)
    #expect(Rating.firstWeakest([Rating]()) == nil)
  }

  @Test func rawValuesAreTheJSONVocabulary() {
    #expect(
      Rating.allCases.map(\.rawValue) == [
        "secure", "weak", "insecure", "broken", "internal", "none", "unknown",
      ])
  }
}

@Suite struct EditDistanceTests {
  @Test func countsEditsAndTranspositions() {
    #expect(EditDistance.distance("MTA", "MTA") == 0)
    #expect(EditDistance.distance("MTA", "MTX") == 1)
    #expect(EditDistance.distance("3207", "3270") == 1)
    #expect(EditDistance.distance("", "abc") == 3)
  }

  @Test func suggestsOnlyPlausibleTypos() {
    #expect(EditDistance.suggestion(for: "form", among: ["from", "to", "id"]) == "from")
    #expect(EditDistance.suggestion(for: "zzzz", among: ["from", "to"]) == nil)
  }
}
