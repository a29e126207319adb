import MailFlowModel

/// The JSON documents of `mailflow table --json` and `mailflow rfc --json`. Optional values are written
/// as `null` rather than left out, so scripts can rely on every key being present.
public enum KnowledgeJSON {
  /// Bumped when a field changes meaning or disappears; adding fields keeps the version.
  /// 2 added the rating `broken` (the `enforcement-failing` mode).
  public static let schemaVersion = 2

  public struct Table: Encodable {
    public var schemaVersion = KnowledgeJSON.schemaVersion
    public var hops: [HopEntry]
  }

  public struct HopEntry: Encodable {
    var id: String
    var index: Int
    var label: String
    var title: String
    var from: String
    var to: String
    var fromRoles: [String]
    var toRoles: [String]
    var direction: String
    var repeatable: Bool
    var rating: Rating
    var options: [OptionEntry]
    var rfcs: [Int]
  }

  public struct OptionEntry: Encodable {
    @NullEncodable var `protocol`: String?
    @NullEncodable var port: Int?
    var security: String
    var rating: Rating
    var description: String
    var rfcs: [Int]
  }

  public struct Catalogue: Encodable {
    public var schemaVersion = KnowledgeJSON.schemaVersion
    public var rfcs: [RFCDocument]
  }

  public struct RFCDocument: Encodable {
    var number: Int
    var title: String
    var year: Int
    var status: String
    var summary: String
    var concerns: Concerns
    var obsoletedBy: [Int]
    var url: String

    struct Concerns: Encodable {
      var roles: [String]
      var hops: [String]
      var modes: [String]
      var protocols: [String]
    }
  }

  public static func table(_ base: KnowledgeBase) -> Table {
    Table(
      hops: base.hops.enumerated().map { i, hop in
        HopEntry(
          id: hop.id, index: i + 1, label: hop.label, title: hop.title, from: hop.fromLabel, to: hop.toLabel,
          fromRoles: hop.fromRoles, toRoles: hop.toRoles, direction: hop.direction.rawValue,
          repeatable: hop.repeatable, rating: base.bestRating(of: hop),
          options: hop.options.map { option in
            OptionEntry(
              protocol: option.protocolID, port: option.protocolID.flatMap(base.mailProtocol)?.port,
              security: option.modeID, rating: base.rating(of: option), description: base.describe(option),
              rfcs: base.rfcs(of: option))
          },
          rfcs: hop.rfcs)
      })
  }

  public static func rfc(_ entry: RFCEntry) -> RFCDocument {
    RFCDocument(
      number: entry.number, title: entry.title, year: entry.year, status: entry.status,
      summary: entry.summary,
      concerns: RFCDocument.Concerns(
        roles: entry.concerns.roles, hops: entry.concerns.hops, modes: entry.concerns.modes,
        protocols: entry.concerns.protocols),
      obsoletedBy: entry.obsoletedBy, url: "https://www.rfc-editor.org/rfc/rfc\(entry.number)")
  }
}
