import MailFlowModel
import TerminalUI

/// The colourer: which style role shows a rating. One place, tested with a table of cases.
public enum RatingStyle {
  public static func role(_ rating: Rating) -> StyleRole {
    switch rating {
    case .secure: .ratingSecure
    case .weak: .ratingWeak
    case .insecure: .ratingInsecure
    case .broken: .ratingBroken
    case .internal, .none: .internal
    case .unknown: .pending
    }
  }

  /// The symbol of a rating as a styled span, padded to two columns so lists line up.
  public static func span(_ rating: Rating, ascii: Bool, padded: Bool = true) -> StyledLine.Span {
    let symbol = rating.symbol(ascii: ascii)
    let text = padded ? TextWrapper.pad(symbol, to: 2) : symbol
    return StyledLine.Span(text, role(rating))
  }
}
