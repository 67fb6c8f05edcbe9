extension String {
  /// The string followed by spaces up to `width` characters (Foundation's `padding` is slow at scale).
  public func padded(to width: Int) -> String {
    let count = self.count
    return count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  /// Whether the string has any character that is not whitespace.
  public var hasVisibleText: Bool { contains { !$0.isWhitespace } }
}
