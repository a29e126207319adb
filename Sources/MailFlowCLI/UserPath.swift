#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

#if canImport(Glibc)
  import Glibc
#endif

/// Paths typed in the explorer's prompts and the files mailflow keeps, resolved as a shell user
/// expects: no shell expands a prompt, so `~` and `~/…` are done here, from `$HOME`.
enum UserPath {
  /// `~` and `~/rest` with `home` put in; anything else (`~user`, relative and absolute paths) as typed.
  static func expand(_ path: String, home: String) -> String {
    if path == "~" { return home }
    if path.hasPrefix("~/") {
      return (home.hasSuffix("/") ? String(home.dropLast()) : home) + path.dropFirst()
    }
    return path
  }

  /// `$HOME`, or the account's home directory when it is unset or empty.
  static func home(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (getpwuid(getuid()).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } } ?? "/")
  }

  /// Where mailflow keeps state: `$XDG_STATE_HOME/mailflow`, used only when absolute (the XDG base
  /// directory spec says a relative one is invalid and must be ignored), else `$HOME/.local/state/mailflow`.
  static func stateDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String
  {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return FilePath.join(state, "mailflow")
    }
    return FilePath.join(home(environment), ".local/state/mailflow")
  }
}
