import MailFlowModel

/// The knowledge base compiled into the binary from `Assets/`.
public enum BuiltinKnowledge {
  /// The embedded files, by name, exactly as they are in `Assets/`.
  public static var files: [String: String] {
    Dictionary(uniqueKeysWithValues: BuiltinAssets.files.map { ($0.name, $0.text) })
  }

  /// Loads and validates the embedded knowledge base. It is validated by the test suite, so a failure
  /// here means a broken build, reported like any other knowledge-base error.
  public static func load() throws(KnowledgeBaseError) -> KnowledgeBase {
    try KnowledgeBaseLoader.load(files: files)
  }
}
