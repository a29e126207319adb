import MailFlowModel
import MailFlowReport

/// A small, strict XML reader for the autoconfig documents a probe fetches: elements, attributes, text,
/// CDATA, comments, the five predefined entities and character references. No DTDs and no external
/// entities (nothing a hostile server could use to make the probe fetch or expand), a depth bound, and
/// errors that say at which line the document went wrong.
public struct XMLNode: Sendable, Equatable {
  public var name: String
  public var attributes: [String: String]
  public var children: [XMLNode]
  public var text: String

  /// Children with this name (namespace prefixes are not used by autoconfig and are compared as written).
  public func elements(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
  public func element(_ name: String) -> XMLNode? { children.first { $0.name == name } }

  public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var problem: String
    public var description: String { "line \(line): \(problem)" }
  }

  public static let maximumDepth = 32

  /// The document's root element.
  public static func parse(_ text: String) throws(ParseError) -> XMLNode {
    var reader = Reader(bytes: Array(text.utf8))
    return try reader.document()
  }

  private struct Reader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var line: Int { bytes[..<min(index, bytes.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } }

    func fail(_ problem: String) -> ParseError { ParseError(line: line, problem: problem) }

    func starts(_ prefix: String) -> Bool {
      let p = Array(prefix.utf8)
      return bytes.count - index >= p.count && Array(bytes[index..<index + p.count]) == p
    }

    mutating func skip(past terminator: String, what: String) throws(ParseError) {
      let t = Array(terminator.utf8)
      while index + t.count <= bytes.count {
        if Array(bytes[index..<index + t.count]) == t {
          index += t.count
          return
        }
        index += 1
      }
      throw fail("unterminated \(what)")
    }

    mutating func skipSpace() {
      while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// Prolog, comments and processing instructions around the one root element.
    mutating func document() throws(ParseError) -> XMLNode {
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
      var root: XMLNode?
      while true {
        skipSpace()
        if index >= bytes.count { break }
        if starts("<?") {
          try skip(past: "?>", what: "processing instruction")
        } else if starts("<!--") {
          try skip(past: "-->", what: "comment")
        } else if starts("<!DOCTYPE") || starts("<!doctype") {
          throw fail("DOCTYPE declarations are not accepted")
        } else if starts("<") && root == nil {
          root = try element(depth: 0)
        } else {
          throw fail(root == nil ? "expected an element" : "content after the root element")
        }
      }
      guard let root else { throw fail("no root element") }
      return root
    }

    mutating func name() throws(ParseError) -> String {
      let start = index
      while index < bytes.count {
        let b = bytes[index]
        let isName =
          (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2D
          || b == 0x5F || b == 0x2E || b == 0x3A || b >= 0x80
        if !isName { break }
        index += 1
      }
      guard index > start else { throw fail("expected a name") }
      return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func element(depth: Int) throws(ParseError) -> XMLNode {
      guard depth < XMLNode.maximumDepth else {
        throw fail("elements nested deeper than \(XMLNode.maximumDepth)")
      }
      index += 1  // <
      var node = XMLNode(name: try name(), attributes: [:], children: [], text: "")
      while true {
        skipSpace()
        guard index < bytes.count else { throw fail("unterminated tag <\(node.name)>") }
        if starts("/>") {
          index += 2
          return node
        }
        if bytes[index] == 0x3E {
          index += 1
          break
        }
        let attribute = try name()
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x3D else {
          throw fail("attribute \(attribute) has no value")
        }
        index += 1
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x22 || bytes[index] == 0x27 else {
          throw fail("attribute \(attribute) is not quoted")
        }
        let quote = bytes[index]
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != quote { index += 1 }
        guard index < bytes.count else { throw fail("unterminated value of attribute \(attribute)") }
        node.attributes[attribute] = try decode(bytes[start..<index])
        index += 1
      }
      // Content.
      var text: [UInt8] = []
      while true {
        guard index < bytes.count else { throw fail("element <\(node.name)> is not closed") }
        if starts("</") {
          index += 2
          let closing = try name()
          guard closing == node.name else { throw fail("</\(closing)> closes <\(node.name)>") }
          skipSpace()
          guard index < bytes.count, bytes[index] == 0x3E else { throw fail("unterminated </\(closing)>") }
          index += 1
          node.text = try decode(text[...]).trimmingCharacters(in: " \t\r\n")
          return node
        } else if starts("<!--") {
          try skip(past: "-->", what: "comment")
        } else if starts("<![CDATA[") {
          index += 9
          let start = index
          try skip(past: "]]>", what: "CDATA section")
          // CDATA is literal: escape its ampersands so that decoding leaves them as they were.
          for byte in bytes[start..<index - 3] {
            text += byte == 0x26 ? Array("&amp;".utf8) : [byte]
          }
        } else if starts("<?") {
          try skip(past: "?>", what: "processing instruction")
        } else if bytes[index] == 0x3C {
          node.children.append(try element(depth: depth + 1))
        } else {
          text.append(bytes[index])
          index += 1
        }
      }
    }

    func decode(_ raw: ArraySlice<UInt8>) throws(ParseError) -> String {
      guard raw.contains(0x26) else { return String(decoding: raw, as: UTF8.self) }
      var result = ""
      var text = String(decoding: raw, as: UTF8.self)[...]
      while let amp = text.firstIndex(of: "&") {
        result += text[..<amp]
        guard let semi = text[amp...].firstIndex(of: ";"), text.distance(from: amp, to: semi) <= 10 else {
          throw fail("a bare & (write &amp;)")
        }
        let entity = text[text.index(after: amp)..<semi]
        switch entity {
        case "lt": result += "<"
        case "gt": result += ">"
        case "amp": result += "&"
        case "quot": result += "\""
        case "apos": result += "'"
        default:
          let value: UInt32? =
            entity.hasPrefix("#x")
            ? UInt32(entity.dropFirst(2), radix: 16)
            : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
          guard let value, let scalar = Unicode.Scalar(value) else {
            throw fail("unknown entity &\(entity);")
          }
          result.unicodeScalars.append(scalar)
        }
        text = text[text.index(after: semi)...]
      }
      return result + text
    }
  }
}
