import ArgumentParser
import MailFlowModel
import MailFlowProbe
import MailFlowTrace

/// Options every command accepts: which knowledge base, and how to draw ratings.
public struct GlobalOptions: ParsableArguments {
  @Option(
    name: .customLong("assets"),
    help: ArgumentHelp("Load the knowledge base from DIR instead of the built-in one.", valueName: "DIR"))
  public var assetsDirectory: String?

  @Flag(help: "Use OK/X/XX and ASCII lines instead of ✔/✘/✘✘ (automatic when the locale is not UTF-8).")
  public var ascii = false

  @Option(help: "Colour output: auto (a terminal without NO_COLOR), always or never.")
  public var color: OutputStyle.ColorChoice = .auto

  public init() {}

  func knowledgeBase() throws(CLIError) -> KnowledgeBase {
    try KnowledgeSource.load(directory: assetsDirectory)
  }

  /// Who runs which mail hosts, for tracing: the knowledge base's provider families and the system's
  /// Public Suffix List (read only here, when a message is traced).
  static func organisations(_ base: KnowledgeBase) -> Organisations {
    Organisations(providers: base.providers, suffixes: PublicSuffixList.system)
  }

  func style(_ terminal: TerminalEnvironment) -> OutputStyle {
    terminal.style(asciiFlag: ascii, colorChoice: color)
  }
}

extension OutputStyle.ColorChoice: ExpressibleByArgument {}
