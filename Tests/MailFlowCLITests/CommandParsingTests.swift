import ArgumentParser
import Testing

@testable import MailFlowCLI

/// `MailflowCommand.parse` parses a named command alone (faster to start) and must give exactly what
/// the whole tree gives: the same command with the same values, and for help, `--version` and every
/// mistake the same request or error, with the same words.
@Suite("Command-line parsing")
struct CommandParsingTests {
  @Test(arguments: [
    ["table"],
    ["table", "--json", "--ascii", "--color", "never"],
    ["rfc", "8314"],
    ["probe", "example.org", "--hop", "relay", "--json", "--transcript"],
    ["probe", "--fail-on", "weak", "example.org", "--no-fixes", "--checks"],
    ["trace", "message.eml", "--jsonl", "--since", "2026-01-01"],
    ["diff", "before.json", "after.json"],
    ["scan", "domains.txt", "--output", "out.jsonl", "--shard", "1/4", "--concurrency", "8"],
    ["explore", "--ascii"],
    ["--ascii"],
    ["assets", "export", "/tmp/x"],
  ])
  func aNamedCommandParsesAsTheWholeTreeParsesIt(arguments: [String]) throws {
    let alone = try MailflowCommand.parse(arguments)
    let tree = try MailflowCommand.parseAsRoot(arguments)
    #expect(type(of: alone) == type(of: tree))
    #expect(Self.dumped(alone) == Self.dumped(tree))
  }

  @Test(arguments: [
    ["probe", "--help"],
    ["trace", "-h"],
    ["scan", "--help"],
    ["table", "--bogus"],
    ["table", "--color", "pink"],
    ["rfc", "1", "2", "3"],
    ["probe"],
    ["probe", "--version"],
    ["trace", "--generate-completion-script", "bash"],
    ["assets", "--help"],
    ["--help"],
    ["help", "probe"],
  ])
  func requestsAndMistakesAreAnsweredAsTheWholeTreeAnswersThem(arguments: [String]) throws {
    let alone = Self.outcome { try MailflowCommand.parse(arguments) }
    let tree = Self.outcome { try MailflowCommand.parseAsRoot(arguments) }
    #expect(alone == tree)
    // The words name the command as `mailflow …`, as the tree does.
    if alone.contains("USAGE:") { #expect(alone.contains("USAGE: mailflow")) }
  }

  /// What the user would see: the help or the message of a thrown error, or a help command's text.
  static func outcome(_ parse: () throws -> any ParsableCommand) -> String {
    do {
      let command = try parse()
      return "parsed \(type(of: command)): " + dumped(command)
    } catch {
      return
        "exit \(MailflowCommand.exitCode(for: error).rawValue): \(MailflowCommand.fullMessage(for: error))"
    }
  }

  static func dumped(_ command: any ParsableCommand) -> String {
    var text = ""
    dump(command, to: &text)
    return text
  }
}
