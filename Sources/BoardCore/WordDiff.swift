/// Word-level diff for long text, so a reviewer sees the words that changed in a description
/// rather than two whole paragraphs.
public enum WordDiff {
  public enum Piece: Hashable, Sendable {
    case same(String)
    case removed(String)
    case added(String)
  }

  /// The pieces turning `old` into `new`; whitespace runs are tokens too, so joining the
  /// `same` and `added` pieces gives back `new`.
  public static func diff(_ old: String, _ new: String) -> [Piece] {
    let a = tokens(old)
    let b = tokens(new)
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
      suffix += 1
    }
    let midA = Array(a[prefix..<(a.count - suffix)])
    let midB = Array(b[prefix..<(b.count - suffix)])
    var pieces: [Piece] = a[0..<prefix].map { .same($0) }
    pieces += lcsDiff(midA, midB)
    pieces += a[(a.count - suffix)...].map { .same($0) }
    return merge(pieces)
  }

  /// Renders the diff as `[-removed-]{+added+}` with `context` words around each change; long
  /// unchanged stretches become `…`.
  public static func render(
    _ pieces: [Piece], context: Int = 6, removed: (String) -> String = { "[-\($0)-]" },
    added: (String) -> String = { "{+\($0)+}" }
  ) -> String {
    var out = ""
    for (index, piece) in pieces.enumerated() {
      switch piece {
      case .removed(let text): out += removed(text)
      case .added(let text): out += added(text)
      case .same(let text):
        let words = tokens(text)
        let isFirst = index == 0
        let isLast = index == pieces.count - 1
        let keep = context * 2  // words and the spaces between them
        if words.count <= keep * 2 || (isFirst && isLast) {
          out += text
        } else if isFirst {
          out += "…" + words.suffix(keep).joined()
        } else if isLast {
          out += words.prefix(keep).joined() + "…"
        } else {
          out += words.prefix(keep).joined() + " … " + words.suffix(keep).joined()
        }
      }
    }
    return out
  }

  static func tokens(_ text: String) -> [String] {
    var result: [String] = []
    var current = ""
    var inSpace: Bool?
    for ch in text {
      let space = ch.isWhitespace
      if inSpace != nil, inSpace != space {
        result.append(current)
        current = ""
      }
      current.append(ch)
      inSpace = space
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  private static func lcsDiff(_ a: [String], _ b: [String]) -> [Piece] {
    if a.isEmpty { return b.map { .added($0) } }
    if b.isEmpty { return a.map { .removed($0) } }
    // Too large for the quadratic table: show it as a whole replacement.
    if a.count * b.count > 4_000_000 { return a.map { .removed($0) } + b.map { .added($0) } }
    let n = a.count
    let m = b.count
    var table = [Int](repeating: 0, count: (n + 1) * (m + 1))
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        table[i * (m + 1) + j] =
          a[i] == b[j]
          ? table[(i + 1) * (m + 1) + j + 1] + 1 : max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1])
      }
    }
    var pieces: [Piece] = []
    var i = 0
    var j = 0
    while i < n, j < m {
      if a[i] == b[j] {
        pieces.append(.same(a[i]))
        i += 1
        j += 1
      } else if table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1] {
        pieces.append(.removed(a[i]))
        i += 1
      } else {
        pieces.append(.added(b[j]))
        j += 1
      }
    }
    pieces += a[i...].map { .removed($0) }
    pieces += b[j...].map { .added($0) }
    return pieces
  }

  /// Joins neighbours of the same kind, and folds whitespace-only `same` runs between two changes
  /// into them, so a rewritten phrase reads as one change.
  private static func merge(_ pieces: [Piece]) -> [Piece] {
    var out: [Piece] = []
    for piece in pieces {
      switch (out.last, piece) {
      case (.same(let a)?, .same(let b)): out[out.count - 1] = .same(a + b)
      case (.removed(let a)?, .removed(let b)): out[out.count - 1] = .removed(a + b)
      case (.added(let a)?, .added(let b)): out[out.count - 1] = .added(a + b)
      default: out.append(piece)
      }
    }
    return out
  }
}
