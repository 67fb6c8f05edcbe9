/// Where a document came from: its file and its value tree, so later passes (templates, board
/// rules) can point at the exact key they are about.
public struct DocumentSource: Sendable, Hashable {
  public var file: String
  public var root: YAMLValue

  public init(file: String, root: YAMLValue) {
    self.file = file
    self.root = root
  }

  /// The position of the value at a dotted key path (`salary.currency`, `overrides.indeed.title`),
  /// or of the deepest part of the path that exists.
  public func location(of path: String) -> SourceLocation {
    var current = root
    for key in path.split(separator: ".") {
      guard let next = current[String(key)] else { break }
      current = next
    }
    return current.location
  }

  /// The position of the key itself at a dotted path, or of the document if the key is absent.
  public func keyLocation(of path: String) -> SourceLocation {
    var current = root
    var location = root.location
    for key in path.split(separator: ".") {
      guard let pair = current.pair(String(key)) else { break }
      location = pair.keyLocation
      current = pair.value
    }
    return location
  }
}
