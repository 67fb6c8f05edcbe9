import Foundation

/// The remote that holds the state branch: a remote name of the user's repository (resolved by
/// git there, with its URL rewrites and credentials), or a URL or path used as is.
struct GitRemote: Sendable, Hashable {
  /// What git is given.
  let argument: String

  init(_ argument: String) {
    self.argument = argument
  }

  /// Whether it names a remote of the repository rather than giving a URL or a path.
  var isName: Bool {
    !argument.isEmpty && !argument.contains("/") && !argument.contains(":") && !argument.contains("\\")
      && !argument.hasPrefix(".")
  }

  /// For messages: credentials embedded in a URL are hidden.
  var display: String { Self.redactingCredentials(in: argument) }

  /// `text` with the user information of every URL in it replaced by `***`
  /// (`https://user:token@host/x` becomes `https://***@host/x`), for git's own messages too.
  static func redactingCredentials(in text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let scheme = rest.range(of: "://") {
      result += rest[..<scheme.upperBound]
      let after = rest[scheme.upperBound...]
      let end =
        after.firstIndex { $0 == "/" || $0 == "'" || $0 == "\"" || $0 == ">" || $0 == "<" || $0.isWhitespace }
        ?? after.endIndex
      if let at = after[..<end].lastIndex(of: "@") {
        result += "***"
        rest = after[at...]
      } else {
        rest = after
      }
    }
    return result + rest
  }
}
