import TerminalUI

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Pretty-printed JSON with sorted keys (stable output to diff) and a final newline, for every `--json` output.
enum JSONOutput {
  static func render<T: Encodable>(_ value: T) throws(CLIError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return escapingTerminalControls(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
    } catch {
      throw CLIError("cannot encode JSON: \(error)", status: .internalFailure)
    }
  }

  /// One compact line (JSON Lines), keys sorted, without its newline.
  static func line<T: Encodable>(_ value: T) throws(CLIError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return escapingTerminalControls(String(decoding: try encoder.encode(value), as: UTF8.self))
    } catch {
      throw CLIError("cannot encode JSON: \(error)", status: .internalFailure)
    }
  }

  /// A string as a JSON string literal, quotes included.
  static func quoted(_ text: String) -> String {
    (try? String(decoding: JSONEncoder().encode(text), as: UTF8.self)) ?? "\"\""
  }

  /// JSON stays exact, but `jq` or `cat` on a terminal must not run what a server sent: the encoder
  /// escapes C0 controls already; DEL, C1 controls (U+009B is a CSI on many terminals), bidirectional
  /// overrides and line separators are escaped here as `\u009b`, which every JSON reader decodes back.
  /// They can only occur inside strings, so rewriting them anywhere in the document is safe.
  static func escapingTerminalControls(_ json: String) -> String {
    guard json.unicodeScalars.contains(where: TerminalSafe.isUnsafe) else { return json }
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      // The encoder's own newlines and indentation are layout, not content.
      guard TerminalSafe.isUnsafe(scalar), scalar != "\n" else {
        out.append(scalar)
        continue
      }
      let hex = String(scalar.value, radix: 16)
      out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
    }
    return String(out)
  }
}
