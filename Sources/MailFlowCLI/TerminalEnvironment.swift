#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Facts about the process's terminal and locale, read once at the edge and passed on as values.
public struct TerminalEnvironment: Sendable {
  public var variables: [String: String]
  public var stdoutIsTerminal: Bool
  /// The locale's character set, e.g. `UTF-8`.
  public var codeset: String
  /// Columns of the terminal on stdout, when it is one.
  public var columns: Int?

  public static func current() -> TerminalEnvironment {
    setlocale(LC_ALL, "")
    let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? "ANSI_X3.4-1968"
    let isTerminal = isatty(STDOUT_FILENO) == 1
    let variables = ProcessInfo.processInfo.environment
    var columns: Int?
    if isTerminal {
      var size = winsize()
      if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { columns = Int(size.ws_col) }
    }
    if columns == nil, let text = variables["COLUMNS"], let value = Int(text), value > 0 { columns = value }
    return TerminalEnvironment(
      variables: variables, stdoutIsTerminal: isTerminal, codeset: codeset, columns: columns)
  }

  public func style(asciiFlag: Bool, colorChoice: OutputStyle.ColorChoice) -> OutputStyle {
    OutputStyle.detect(
      asciiFlag: asciiFlag, colorChoice: colorChoice, environment: variables, isTerminal: stdoutIsTerminal,
      codeset: codeset)
  }
}
