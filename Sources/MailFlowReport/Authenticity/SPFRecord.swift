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
      let (name, argument, cidr) = Self.split(body)
      if let cidr {
        // Only a and mx take a CIDR length without a domain.
        guard ["a", "mx"].contains(name.lowercased()), Self.isDualCIDR(cidr) else {
          throw SyntaxError(term: term, reason: "'\(cidr)' is not a valid CIDR length here")
        }
      }
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
        guard let address = argument, Self.isIPv6Network(address) else {
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

  /// `a/24`, `mx:example.org/24//64`, `ip4:192.0.2.0/24`: the name, the argument after ':', and any
  /// CIDR suffix of a name without one (a or mx for the domain itself).
  static func split(_ body: Substring) -> (String, String?, String?) {
    guard let end = body.firstIndex(where: { $0 == ":" || $0 == "/" }) else {
      return (String(body), nil, nil)
    }
    let name = String(body[..<end])
    if body[end] == ":" { return (name, String(body[body.index(after: end)...]), nil) }
    return (name, nil, String(body[end...]))
  }

  /// A dual CIDR length (RFC 7208 §5.6): `/n` (IPv4, 0…32), `//m` (IPv6, 0…128) or both.
  static func isDualCIDR(_ text: String) -> Bool {
    var rest = Substring(text)
    if rest.hasPrefix("/") && !rest.hasPrefix("//") {
      rest = rest.dropFirst()
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      guard isLength(digits, upTo: 32) else { return false }
      rest = rest.dropFirst(digits.count)
    }
    if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      guard isLength(digits, upTo: 128) else { return false }
      rest = rest.dropFirst(digits.count)
    }
    return rest.isEmpty && !text.isEmpty
  }

  /// A prefix length: digits without a leading zero (except `0` itself), at most `maximum`.
  static func isLength(_ digits: Substring, upTo maximum: Int) -> Bool {
    guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      digits == "0" || digits.first != "0", let value = Int(digits)
    else {
      return false
    }
    return value <= maximum
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
    guard isIPv4(parts[0]) else { return false }
    return parts.count == 1 || isLength(parts[1], upTo: 32)
  }

  /// Four decimal octets, no signs, no leading zeros.
  static func isIPv4(_ text: Substring) -> Bool {
    let octets = text.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets.allSatisfy { isLength($0, upTo: 255) }
  }

  /// An IPv6 address (RFC 4291 §2.2: up to eight groups of 1–4 hex digits, one `::`, an IPv4 tail)
  /// with an optional prefix length of 0…128.
  static func isIPv6Network(_ text: String) -> Bool {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    if parts.count == 2 && !isLength(parts[1], upTo: 128) { return false }
    let address = parts[0]
    let halves = address.split(separator: "::", omittingEmptySubsequences: false)
    guard halves.count <= 2 else { return false }
    var groups = 0
    for (index, half) in halves.enumerated() where !half.isEmpty {
      var pieces = half.split(separator: ":", omittingEmptySubsequences: false)
      if index == halves.count - 1, let last = pieces.last, last.contains(".") {
        guard isIPv4(last) else { return false }
        pieces.removeLast()
        groups += 2
      }
      for piece in pieces {
        guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit) else { return false }
        groups += 1
      }
    }
    return halves.count == 2 ? groups < 8 : groups == 8
  }
}
