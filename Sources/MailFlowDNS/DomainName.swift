import MailFlowModel

/// A domain name typed by a user, checked and converted for DNS: labels of 1–63 letters, digits and
/// hyphens, at most 253 characters, U-labels (`bücher`) turned into A-labels (`xn--bcher-kva`) with
/// Punycode (RFC 3492). Case is folded; full UTS #46 mapping is not applied.
public struct DomainName: Sendable, Equatable, CustomStringConvertible {
  /// The ASCII form with a trailing dot, as DNS uses it.
  public let ascii: String
  /// The form the user typed (lower-cased), when it differs from the ASCII one.
  public let unicode: String?

  public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case emptyLabel(String)
    case labelTooLong(String)
    case nameTooLong(Int)
    case badCharacter(String, Character)
    case hyphenAtEdge(String)

    public var description: String {
      switch self {
      case .empty: "the domain is empty"
      case .emptyLabel(let name): "'\(name)' has an empty label (two dots in a row, or a leading dot)"
      case .labelTooLong(let label): "the label '\(label.prefix(20))…' is longer than 63 characters"
      case .nameTooLong(let length): "the domain is \(length) characters long; at most 253 are allowed"
      case .badCharacter(let name, let character):
        "'\(name)' contains '\(character)', which a domain cannot hold"
      case .hyphenAtEdge(let label): "the label '\(label)' starts or ends with a hyphen"
      }
    }
  }

  public init(_ text: String) throws(ParseError) {
    var name = text.lowercased()
    if name.hasSuffix(".") { name.removeLast() }
    guard !name.isEmpty else { throw .empty }
    var asciiLabels: [String] = []
    for label in name.split(separator: ".", omittingEmptySubsequences: false) {
      guard !label.isEmpty else { throw .emptyLabel(text) }
      var ascii = String(label)
      // No IDNA label holds controls, format characters (bidi overrides, zero-width) or spaces.
      if let bad = label.unicodeScalars.first(where: {
        !$0.isASCII
          && ([
            .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator,
            .privateUse, .surrogate, .unassigned,
          ].contains($0.properties.generalCategory))
      }) {
        throw .badCharacter(text, Character(bad))
      }
      if !label.unicodeScalars.allSatisfy(\.isASCII) {
        guard let encoded = Punycode.encode(String(label)) else { throw .badCharacter(text, label.first!) }
        ascii = "xn--" + encoded
      }
      if let bad = ascii.first(where: {
        !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_"))
      }) {
        throw .badCharacter(text, bad)
      }
      guard ascii.count <= 63 else { throw .labelTooLong(ascii) }
      guard !ascii.hasPrefix("-"), !ascii.hasSuffix("-") else { throw .hyphenAtEdge(ascii) }
      asciiLabels.append(ascii)
    }
    let joined = asciiLabels.joined(separator: ".")
    guard joined.count <= 253 else { throw .nameTooLong(joined.count) }
    ascii = joined + "."
    unicode = joined == name ? nil : name
  }

  public var description: String {
    let plain = String(ascii.dropLast())
    return unicode.map { "\($0) (\(plain))" } ?? plain
  }
}
