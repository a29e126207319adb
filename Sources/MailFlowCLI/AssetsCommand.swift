import ArgumentParser
import MailFlowModel
import TerminalUI

/// `mailflow assets`: get an editable copy of the knowledge base and check an edited one.
struct AssetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assets",
    abstract: "Export the built-in knowledge base for editing, or check an edited copy.",
    discussion: """
      The knowledge base is a set of JSON files (\(KnowledgeBaseLoader.fileNames.joined(separator: ", "))).
      Export them, edit them, check them, then run any command with --assets DIR.

      \(MailflowCommand.exitStatusHelp)
      """,
    subcommands: [Export.self, Check.self]
  )

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the built-in knowledge-base files into DIR.")

    @Argument(help: "Folder to write into (created if missing).")
    var directory: String

    @Flag(help: "Overwrite files that already exist.")
    var force = false

    func run() throws {
      let paths = try KnowledgeSource.export(to: directory, force: force)
      let shown = TerminalSafe.visible(directory)
      print("Wrote \(paths.count) files to \(shown).")
      print(
        "Edit them, check with 'mailflow assets check \(shown)', use with 'mailflow table --assets \(shown)'."
      )
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Load and validate a knowledge base (DIR, --assets DIR, or the built-in one).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Folder holding the knowledge-base files.")
    var directory: String?

    func run() throws {
      let source = directory ?? global.assetsDirectory
      let base = try KnowledgeSource.load(directory: source)
      print(
        "\(source.map(TerminalSafe.visible) ?? "built-in knowledge base"): OK — \(base.roles.count) roles, \(base.protocols.count) protocols, "
          + "\(base.modes.count) security modes, \(base.hops.count) hops, \(base.rfcs.count) RFCs, "
          + "\(base.threats.count) threats, \(base.journeys.count) journeys, \(base.providers.count) mail providers"
      )
    }
  }
}
