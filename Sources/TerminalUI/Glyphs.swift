/// The line-drawing and symbol characters of one terminal: Unicode box drawing, or plain ASCII for
/// terminals and locales without UTF-8.
public struct Glyphs: Sendable, Equatable {
  public var horizontal: Character
  public var vertical: Character
  public var topLeft: Character
  public var topRight: Character
  public var bottomLeft: Character
  public var bottomRight: Character
  /// A heavier horizontal line, for the hop that is selected.
  public var heavyHorizontal: Character
  public var arrowRight: Character
  public var arrowLeft: Character
  public var ellipsis: String
  public var spinner: [Character]
  public var bullet: Character

  public static let unicode = Glyphs(
    horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
    heavyHorizontal: "━", arrowRight: "►", arrowLeft: "◄", ellipsis: "…",
    spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"], bullet: "•")

  public static let ascii = Glyphs(
    horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
    heavyHorizontal: "=", arrowRight: ">", arrowLeft: "<", ellipsis: "...", spinner: ["|", "/", "-", "\\"],
    bullet: "*")
}
