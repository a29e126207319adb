import ArgumentParser

/// The `mailflow` command: how an e-mail travels, hop by hop, and how well each hop is protected.
public struct MailflowCommand: ParsableCommand {
  public static let exitStatusHelp = """
    Exit status:
      0  success
      1  internal failure (a bug in mailflow)
      2  bad input: usage, an invalid argument, an unreadable or invalid file or knowledge base
    """

  public static let configuration = CommandConfiguration(
    commandName: "mailflow",
    abstract: "Explore how an e-mail travels, hop by hop, and how well each hop is protected in transit.",
    discussion: """
      Ratings: ✔ (OK) protected — implicit TLS, or STARTTLS enforced by DANE or MTA-STS;
      ✘ (X) opportunistic STARTTLS, which an on-path attacker can strip; ✘✘ (XX) cleartext.

      \(exitStatusHelp)
      """,
    version: "0.1.0",
    subcommands: [
      ExploreCommand.self, TableCommand.self, RFCCommand.self, ProbeCommand.self, DiffCommand.self,
      TraceCommand.self, ScanCommand.self, AssetsCommand.self,
    ],
    defaultSubcommand: ExploreCommand.self
  )

  public init() {}

  /// The command the arguments ask for: parsed by the named command alone when it accepts them, else by
  /// the whole tree (no command named, help, `--version`, any mistake), so that messages and help are
  /// the same either way. Why: building the whole tree reflects every command and checks its types'
  /// conformances at run time, a few milliseconds of every start.
  static func parseCommand(_ arguments: [String]) throws -> any ParsableCommand {
    try parseAlone(arguments) ?? parseAsRoot(arguments)
  }

  /// A command without subcommands named first, with arguments it accepts, parsed by that command alone;
  /// `nil` for anything else.
  static func parseAlone(_ arguments: [String]) -> (any ParsableCommand)? {
    guard let name = arguments.first,
      let command = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
      command.configuration.subcommands.isEmpty,
      let parsed = try? command.parseAsRoot(Array(arguments.dropFirst())),
      // `--help` and the other built-in requests parse "successfully" into ArgumentParser's own
      // commands, whose help would then name this command without `mailflow`.
      type(of: parsed) == command
    else { return nil }
    return parsed
  }
}
