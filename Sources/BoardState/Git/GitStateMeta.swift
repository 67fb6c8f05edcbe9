/// The branch's `meta` file: the format it is written in, the lineage and the serial.
///
///     boardctl-state 1
///     lineage 3f2a…
///     serial 12
///
/// Its first line is what makes a branch boardctl's: a branch without it is someone else's.
struct GitStateMeta: Sendable, Hashable {
  /// The format this build reads and writes; a branch with a higher one is neither read nor written.
  static let currentFormat = 1
  static let magic = "boardctl-state"

  var format: Int
  var lineage: String
  var serial: Int

  init(format: Int = currentFormat, lineage: String, serial: Int) {
    self.format = format
    self.lineage = lineage
    self.serial = serial
  }

  var encoded: String {
    "\(Self.magic) \(format)\nlineage \(lineage)\nserial \(serial)\n"
  }

  /// Nil when the text is not a boardctl `meta` file. A newer format decodes with its version
  /// only, so the caller can refuse it by name.
  static func decode(_ text: String) -> GitStateMeta? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    guard let first = lines.first else { return nil }
    let head = first.split(separator: " ")
    guard head.count == 2, head[0] == Self.magic, let format = Int(head[1]), format > 0 else { return nil }
    if format > currentFormat { return GitStateMeta(format: format, lineage: "", serial: 0) }
    var lineage: String?
    var serial: Int?
    for line in lines.dropFirst() {
      guard let space = line.firstIndex(of: " ") else { continue }
      let value = line[line.index(after: space)...]
      switch line[..<space] {
      case "lineage": lineage = String(value)
      case "serial": serial = Int(value)
      default: continue
      }
    }
    guard let lineage, !lineage.isEmpty, let serial, serial >= 0 else { return nil }
    return GitStateMeta(format: format, lineage: lineage, serial: serial)
  }
}
