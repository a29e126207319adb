/// An SPF record (RFC 7208) as published: its terms in order, or the first term that is not valid.
public struct SPFRecord: Sendable, Equatable {
  public enum Qualifier: Character, Sendable, Equatable {
    case pass = "+"
    case fail = "-"
    case softfail = "~"
    case neutral = "?"
  }

  public enum Mechanism: Sendable, Equatable {
    case all
    case include(String)
    case a(String?)
    case mx(String?)
    case ptr(String?)
    case ip4(String)
    case ip6(String)
    case exists(String)

    /// Mechanisms that cost a DNS lookup against the limit of ten (RFC 7208 §4.6.4).
    public var looksUp: Bool {
      switch self {
      case .include, .a, .mx, .ptr, .exists: true
      case .all, .ip4, .ip6: false
      }
    }
  }

  public enum Term: Sendable, Equatable {
    case mechanism(Qualifier, Mechanism)
    case redirect(String)
    case explanation(String)
    /// A modifier RFC 7208 §6 says to ignore (`name=value` of another name).
    case unknownModifier(String)
  }

  public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var term: String
    public var reason: String
    public var description: String { "'\(term)': \(reason)" }
  }

  public var terms: [Term]
  public var text: String

  /// Whether a TXT string is an SPF record at all: `v=spf1` alone or followed by a space (§4.5).
  public static func isSPF(_ text: String) -> Bool {
    let lower = text.lowercased()
    return lower == "v=spf1" || lower.hasPrefix("v=spf1 ")
  }

  public init(_ text: String) throws(SyntaxError) {
    self.text = text
    guard Self.isSPF(text) else {
      throw SyntaxError(term: String(text.prefix(10)), reason: "does not start with v=spf1")
    }
    var terms: [Term] = []
    var redirects = 0
    var explanations = 0
    for raw in text.split(separator: " ").dropFirst() {
      let term = String(raw)
      if let equals = term.firstIndex(of: "="), !term.contains(":") || term.firstIndex(of: ":")! > equals {
        let name = term[..<equals].lowercased()
        let value = String(term[term.index(after: equals)...])
        guard Self.isName(name) else { throw SyntaxError(term: term, reason: "not a valid modifier name") }
        switch name {
        case "redirect":
          redirects += 1
          guard !value.isEmpty else { throw SyntaxError(term: term, reason: "redirect needs a domain") }
          terms.append(.redirect(value))
        case "exp":
          explanations += 1
          terms.append(.explanation(value))
        default: terms.append(.unknownModifier(term))
        }
        continue
      }
      var body = Substring(term)
      var qualifier = Qualifier.pass
      if let first = body.first, let q = Qualifier(rawValue: first) {
        qualifier = q
        body = body.dropFirst()
      }
      let (name, argument) = Self.split(body)
      let mechanism: Mechanism
      switch name.lowercased() {
      case "all":
        guard argument == nil else { throw SyntaxError(term: term, reason: "all takes no argument") }
        mechanism = .all
      case "include":
        guard let domain = argument.flatMap(Self.domainSpec) else {
          throw SyntaxError(term: term, reason: "include needs a domain")
        }
        mechanism = .include(domain)
      case "a": mechanism = .a(try Self.optionalDomain(argument, term: term))
      case "mx": mechanism = .mx(try Self.optionalDomain(argument, term: term))
      case "ptr": mechanism = .ptr(try Self.optionalDomain(argument, term: term))
      case "ip4":
        guard let address = argument, Self.isIPv4Network(address) else {
          throw SyntaxError(term: term, reason: "ip4 needs an IPv4 address or network")
        }
        mechanism = .ip4(address)
      case "ip6":
        guard let address = argument, address.contains(":") else {
          throw SyntaxError(term: term, reason: "ip6 needs an IPv6 address or network")
        }
        mechanism = .ip6(address)
      case "exists":
        guard let domain = argument.flatMap(Self.domainSpec) else {
          throw SyntaxError(term: term, reason: "exists needs a domain")
        }
        mechanism = .exists(domain)
      default:
        throw SyntaxError(term: term, reason: "unknown mechanism")
      }
      terms.append(.mechanism(qualifier, mechanism))
    }
    guard redirects <= 1 else { throw SyntaxError(term: "redirect=", reason: "appears more than once") }
    guard explanations <= 1 else { throw SyntaxError(term: "exp=", reason: "appears more than once") }
    self.terms = terms
  }

  /// The qualifier of the `all` mechanism, when there is one.
  public var all: Qualifier? {
    for case .mechanism(let qualifier, .all) in terms { return qualifier }
    return nil
  }

  public var redirect: String? {
    for case .redirect(let domain) in terms { return domain }
    return nil
  }

  /// Macros are kept as written (`%{i}`): they are expanded per message, not here.
  public var usesMacros: Bool { text.contains("%{") }

  static func split(_ body: Substring) -> (String, String?) {
    // `a/24`, `mx:example.org/24`, `ip4:192.0.2.0/24`: the name ends at ':' or '/'.
    guard let end = body.firstIndex(where: { $0 == ":" || $0 == "/" }) else { return (String(body), nil) }
    let name = String(body[..<end])
    if body[end] == ":" { return (name, String(body[body.index(after: end)...])) }
    return (name, nil)  // a CIDR length on a (or mx) for the domain itself
  }

  static func optionalDomain(_ argument: String?, term: String) throws(SyntaxError) -> String? {
    guard let argument else { return nil }
    guard let domain = domainSpec(argument) else { throw SyntaxError(term: term, reason: "not a domain") }
    return domain
  }

  /// A domain-spec without its CIDR length; macros allowed.
  static func domainSpec(_ text: String) -> String? {
    let domain = String(text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0])
    guard !domain.isEmpty, !domain.contains(" ") else { return nil }
    return domain
  }

  static func isName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
    }
  }

  static func isIPv4Network(_ text: String) -> Bool {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
    guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
    if parts.count == 2 { return Int(parts[1]).map { (0...32).contains($0) } ?? false }
    return true
  }
}
