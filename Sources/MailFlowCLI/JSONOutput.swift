import Foundation

/// Pretty-printed JSON with sorted keys (stable output to diff) and a final newline, for every `--json` output.
enum JSONOutput {
  static func render<T: Encodable>(_ value: T) throws(CLIError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    } catch {
      throw CLIError("cannot encode JSON: \(error)", status: .internalFailure)
    }
  }
}
