import MailFlowAssets
import MailFlowModel

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where the knowledge base comes from: the copy built into the binary, or a folder given with
/// `--assets`. The only place that reads knowledge-base files from disk.
public enum KnowledgeSource {
  public static func load(directory: String?) throws(CLIError) -> KnowledgeBase {
    guard let directory else {
      do {
        return try BuiltinKnowledge.load()
      } catch {
        throw CLIError("built-in knowledge base is broken: \(error)", status: .internalFailure)
      }
    }
    let files = try read(directory: directory)
    do {
      return try KnowledgeBaseLoader.load(files: files)
    } catch {
      var located = error
      located.file = FilePath.join(directory, error.file)
      throw CLIError("knowledge base: \(located)")
    }
  }

  /// The knowledge-base files present in `directory`; missing ones are left out and reported by the
  /// loader with their name.
  /// The built-in files are at most 60 KiB; an edited one ten times that is still far below this.
  static let fileLimit = 4 * 1_048_576

  static func read(directory: String) throws(CLIError) -> [String: String] {
    let kind = FilePath.kind(directory)
    guard kind != .missing else {
      throw CLIError("knowledge base folder '\(directory)' does not exist")
    }
    guard kind == .directory else { throw CLIError("knowledge base '\(directory)' is not a folder") }
    var files: [String: String] = [:]
    for name in KnowledgeBaseLoader.fileNames {
      let path = FilePath.join(directory, name)
      guard FileManager.default.fileExists(atPath: path) else { continue }
      let data = try BoundedFile.read(path, what: "knowledge-base file", limit: fileLimit)
      guard let text = String(data: data, encoding: .utf8) else {
        throw CLIError("knowledge base: \(path): not valid UTF-8 text")
      }
      files[name] = text
    }
    return files
  }

  /// Writes the built-in files into `directory` for editing, refusing to overwrite unless `force`.
  public static func export(to directory: String, force: Bool) throws(CLIError) -> [String] {
    let manager = FileManager.default
    do {
      try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      // FoundationEssentials has no localizedDescription; say what is in the way in words.
      let why =
        switch FilePath.kind(directory) {
        case .directory: "\(error)"
        case .other: "a file of that name is in the way"
        case .missing: "its parent cannot be written to or is not a folder"
        }
      throw CLIError("cannot create folder '\(directory)': \(why)")
    }
    let files = BuiltinAssets.files
    let paths = files.map { FilePath.join(directory, $0.name) }
    if !force, let existing = paths.first(where: manager.fileExists(atPath:)) {
      throw CLIError("'\(existing)' already exists; use --force to overwrite")
    }
    for (file, path) in zip(files, paths) {
      guard manager.createFile(atPath: path, contents: Data(file.text.utf8)) else {
        throw CLIError("cannot write '\(path)'")
      }
    }
    return paths
  }
}
