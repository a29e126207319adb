import ArgumentParser
import MailFlowModel

/// `mailflow rfc [NUMBER]`: the RFC catalogue, or one entry with what it concerns.
struct RFCCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rfc",
    abstract: "List the RFC catalogue, or show one RFC and the roles, hops and modes it concerns.",
    discussion: MailflowCommand.exitStatusHelp
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "An RFC number such as 8314 (also accepted: RFC8314).")
  var number: String?

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    let base = try global.knowledgeBase()
    let terminal = TerminalEnvironment.current()
    let style = global.style(terminal)
    guard let number else {
      if json {
        print(
          try JSONOutput.render(KnowledgeJSON.Catalogue(rfcs: base.rfcs.map(KnowledgeJSON.rfc))),
          terminator: "")
      } else {
        print(RFCFormatter.list(base, style: style, width: terminal.columns), terminator: "")
      }
      return
    }
    let entry = try Self.lookup(number, in: base)
    if json {
      print(try JSONOutput.render(KnowledgeJSON.rfc(entry)), terminator: "")
    } else {
      print(
        RFCFormatter.detail(entry, in: base, style: style, width: terminal.columns ?? 80),
        terminator: "")
    }
  }

  /// Finds an RFC by the number as typed, with a "did you mean" for near misses.
  static func lookup(_ text: String, in base: KnowledgeBase) throws(CLIError) -> RFCEntry {
    var digits = Substring(text.trimmingCharacters(in: " \t"))
    if digits.lowercased().hasPrefix("rfc") { digits = digits.dropFirst(3).drop { $0 == " " || $0 == "-" } }
    guard let number = Int(digits), number > 0 else {
      throw CLIError("'\(text)' is not an RFC number (try 'mailflow rfc 8314')")
    }
    if let entry = base.rfc(number) { return entry }
    var message = "RFC \(number) is not in the catalogue"
    let near = base.rfcsNear(number).map { "RFC \($0.number)" }
    if !near.isEmpty { message += " (did you mean \(near.joined(separator: " or "))?)" }
    message += "; 'mailflow rfc' lists all \(base.rfcs.count)"
    throw CLIError(message)
  }
}
