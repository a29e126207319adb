/// Word wrapping and padding by display width (not by `Character` count), shared by the command-line
/// output and the explorer's panes.
public enum TextWrapper {
  /// Wraps `text` into lines of at most `width` columns. Line breaks in the text start new lines;
  /// words longer than a line are cut. Always returns at least one line.
  public static func wrap(_ text: String, width: Int) -> [String] {
    let width = max(1, width)
    // A short line of printable ASCII (no line break, nothing wide) is its own wrapping.
    if text.utf8.count <= width && PrintableASCII.check(text) && !text.hasPrefix(" ") && !text.hasSuffix(" ")
    {
      return [text]
    }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let firstLine = lines.count
      // The current line is a slice of the paragraph (no string building per word): from the first
      // word's start to the last word's end.
      var lineStart: Substring.Index?
      var lineEnd = paragraph.startIndex
      var lineWidth = 0
      for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
        var word = word
        var wordWidth = DisplayWidth.of(word)
        if lineStart != nil && lineWidth + 1 + wordWidth <= width {
          lineEnd = word.endIndex
          lineWidth += 1 + wordWidth
          continue
        }
        if let start = lineStart {
          lines.append(String(paragraph[start..<lineEnd]))
          lineStart = nil
        }
        while wordWidth > width {
          let (head, rest) = split(word, atWidth: width)
          lines.append(String(head))
          word = rest
          wordWidth -= DisplayWidth.of(head)  // not re-measuring the rest keeps long words linear
        }
        if !word.isEmpty {
          lineStart = word.startIndex
          lineEnd = word.endIndex
          lineWidth = wordWidth
        }
      }
      if let start = lineStart {
        lines.append(String(paragraph[start..<lineEnd]))
      } else if lines.count == firstLine {
        lines.append("")
      }
    }
    return lines
  }

  /// `text` cut to at most `width` columns, with `…` when something was cut.
  public static func truncate(_ text: String, width: Int) -> String {
    guard width > 0 else { return "" }
    if DisplayWidth.of(text) <= width { return text }
    let (head, _) = split(Substring(text), atWidth: width - 1)
    return head + "…"
  }

  /// `text` padded with spaces to exactly `width` columns (truncated when longer).
  public static func pad(_ text: String, to width: Int) -> String {
    let textWidth = DisplayWidth.of(text)
    if textWidth <= width { return text + String(repeating: " ", count: width - textWidth) }
    let fitted = truncate(text, width: width)
    return fitted + String(repeating: " ", count: max(0, width - DisplayWidth.of(fitted)))
  }

  /// The longest prefix of `text` that fits in `width` columns, and the rest.
  public static func split(_ text: Substring, atWidth width: Int) -> (Substring, Substring) {
    var used = 0
    var index = text.startIndex
    while index < text.endIndex {
      let w = DisplayWidth.of(text[index])
      if used + w > width { break }
      used += w
      index = text.index(after: index)
    }
    if index == text.startIndex && index < text.endIndex && width > 0 {
      index = text.index(after: index)  // never return nothing for a non-empty line
    }
    return (text[text.startIndex..<index], text[index...])
  }
}
