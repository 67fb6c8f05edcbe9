/// Fixture text with inline position markers, so tests name positions instead of counting
/// columns: `title: ⟨1⟩[unclosed` marks line 1, column 8 as `1`.
public struct MarkedText: Sendable {
  /// The text with every marker removed.
  public let text: String
  /// Each marker's 1-based (line, column), counted in Unicode scalars as libyaml does.
  public let markers: [String: (line: Int, column: Int)]

  public init(_ marked: String) {
    var text = ""
    var markers: [String: (line: Int, column: Int)] = [:]
    var line = 1
    var column = 1
    var scalars = Array(marked.unicodeScalars)[...]
    while let scalar = scalars.first {
      if scalar == "⟨", let close = scalars.firstIndex(of: "⟩") {
        let name = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
        markers[name] = (line, column)
        scalars = scalars[scalars.index(after: close)...]
        continue
      }
      text.unicodeScalars.append(scalar)
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
      scalars = scalars.dropFirst()
    }
    self.text = text
    self.markers = markers
  }

  /// `file:line:column` of a marker.
  public func location(_ marker: String, file: String) -> String {
    guard let position = markers[marker] else { return "\(file):?:? (no marker \(marker))" }
    return "\(file):\(position.line):\(position.column)"
  }
}
