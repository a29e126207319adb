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
}
