import ArgumentParser
import Testing

@testable import MailFlowCLI

/// `MailflowCommand.parseCommand` parses a named command alone (faster to start) and must give exactly
/// what the whole tree gives: the same command with the same values, and for help, `--version` and
/// every mistake the same request or error, with the same words.
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
    // Commands without subcommands are parsed alone; the rest by the tree.
    let parsedAlone = MailflowCommand.parseAlone(arguments) != nil
    let named = arguments.first.map { !$0.hasPrefix("-") && $0 != "assets" } ?? false
    #expect(parsedAlone == named)
    let alone = try MailflowCommand.parseCommand(arguments)
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
    // None of these is taken by a command alone: the tree answers, in its words.
    #expect(MailflowCommand.parseAlone(arguments) == nil)
    let alone = Self.outcome { try MailflowCommand.parseCommand(arguments) }
    let tree = Self.outcome { try MailflowCommand.parseAsRoot(arguments) }
    #expect(alone == tree)
  }

  /// What the user would see: the message of a thrown error, or the command that was parsed (a help
  /// request parses into ArgumentParser's help command, whose dump holds the commands it names).
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
