/// What the last render laid out: the panes on screen and how much of each scrolled text fits. The
/// render pass reports it back as an action, so the reducer pages, clamps and moves between RFC links
/// with the sizes the user sees, without laying anything out itself.
public struct ExplorerViewport: Sendable, Equatable {
  /// A scrolled text: its length, the lines that fit, and where its RFC links start.
  public struct Text: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
      public var number: Int
      /// The first line that belongs to the link.
      public var line: Int
    }

    public var total = 0
    public var visible = 0
    /// RFC links in order of appearance.
    public var links: [Link] = []
    /// Lines holding a match of the search, in order (only while a search is active).
    public var matches: [Int] = []

    public init(total: Int = 0, visible: Int = 0, links: [Link] = [], matches: [Int] = []) {
      self.total = total
      self.visible = visible
      self.links = links
      self.matches = matches
    }

    /// The first line shown for a requested scroll, kept within the text.
    public func clamped(_ scroll: Int) -> Int { Self.clamped(scroll, total: total, visible: visible) }

    public static func clamped(_ scroll: Int, total: Int, visible: Int) -> Int {
      max(0, min(scroll, total - visible))
    }
  }

  /// Panes on screen, in the order Tab visits them.
  public var panes: [ExplorerState.Pane] = [.diagram, .table, .details]
  public var details = Text()
  public var journey = Text()
  /// The help or transcript window, when one is open.
  public var overlay = Text()

  public init() {}
}
