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

  /// The command the arguments ask for. The usual case — a command without subcommands named first,
  /// arguments it accepts — is parsed by that command alone; everything else (no command named, help,
  /// `--version`, any mistake) by the whole tree, so its messages and help are the same either way.
  /// Why: building the whole tree reflects every command and checks its types' conformances at run
  /// time, a few milliseconds of every start.
  static func parse(_ arguments: [String]) throws -> any ParsableCommand {
    if let name = arguments.first,
      let command = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
      command.configuration.subcommands.isEmpty,
      let parsed = try? command.parseAsRoot(Array(arguments.dropFirst())),
      // `--help` and the other built-in requests parse "successfully" into ArgumentParser's own
      // commands, whose help would then name this command without `mailflow`.
      type(of: parsed) == command
    {
      return parsed
    }
    return try parseAsRoot(arguments)
  }
}
