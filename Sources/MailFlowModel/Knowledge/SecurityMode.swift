/// How a connection on a hop is protected, and therefore how it is rated: cleartext, opportunistic
/// STARTTLS, STARTTLS enforced by DANE or MTA-STS, implicit TLS, or internal handling.
public struct SecurityMode: Sendable, Equatable, Identifiable {
  public var id: String
  public var name: String
  /// Completes "SMTP 25 …" in a hop table, e.g. `with STARTTLS`.
  public var phrase: String
  /// A word or two for narrow tables, e.g. `DANE`; empty when the protocol's name already says it
  /// (`IMAPS 993`) or there is nothing to add (cleartext).
  public var short: String
  public var rating: Rating
  /// Why the mode earns its rating: what an attacker can and cannot do against it.
  public var why: String
  public var rfcs: [Int]

  public init(
    id: String, name: String, phrase: String, short: String = "", rating: Rating, why: String, rfcs: [Int]
  ) {
    self.id = id
    self.name = name
    self.phrase = phrase
    self.short = short
    self.rating = rating
    self.why = why
    self.rfcs = rfcs
  }
}

extension SecurityMode {
  /// The modes mailflow itself names when it builds journeys from measurements (a probe, a trace). An
  /// edited knowledge base must keep them: the loader refuses one that renames or drops any, with a
  /// clear error, rather than let a journey step lose its mode silently.
  public enum Known: String, Sendable, CaseIterable {
    case cleartext
    case starttls
    case starttlsDANE = "starttls-dane"
    case starttlsMTASTS = "starttls-mta-sts"
    case implicitTLS = "implicit-tls"
    case `internal`
  }
}
