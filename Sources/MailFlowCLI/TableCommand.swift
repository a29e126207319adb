import ArgumentParser

/// `mailflow table`: the seed's hop table, as text or JSON.
struct TableCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "table",
    abstract: "Print the hop table: each hop of the journey with its protocols, ports and ratings.",
    discussion: MailflowCommand.exitStatusHelp
  )

  @OptionGroup var global: GlobalOptions

  @Flag(
    help:
      "Print JSON: hops[] with id, index, from, to and options[] (protocol, port, security, rating, rfcs).")
  var json = false

  func run() throws {
    let base = try global.knowledgeBase()
    if json {
      print(try JSONOutput.render(KnowledgeJSON.table(base)), terminator: "")
    } else {
      let style = global.style(.current())
      print(HopTableFormatter.render(base, style: style), terminator: "")
    }
  }
}
