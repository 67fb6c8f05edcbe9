/// Substring search over UTF-8 bytes, for the checks that run once per posting: Foundation's
/// `contains` and `localizedCaseInsensitiveContains` bridge to `NSString` on every call, which
/// a 10,000-posting plan pays for tens of thousands of times.
public enum TextSearch {
  /// Whether `needle` occurs in `text`; with `ignoringCase`, after both are lowercased (Unicode
  /// case mapping, not a locale's).
  public static func contains(_ needle: String, in text: String, ignoringCase: Bool = false) -> Bool {
    guard !needle.isEmpty else { return true }
    if ignoringCase { return contains(needle.lowercased(), in: text.lowercased()) }
    let found = text.utf8.withContiguousStorageIfAvailable { haystack in
      needle.utf8.withContiguousStorageIfAvailable { needle in contains(needle, in: haystack) }
    }
    if let found = found.flatMap({ $0 }) { return found }
    return contains(Array(needle.utf8)[...], in: Array(text.utf8)[...])
  }

  private static func contains<N: RandomAccessCollection<UInt8>, H: RandomAccessCollection<UInt8>>(
    _ needle: N, in haystack: H
  ) -> Bool where N.Index == Int, H.Index == Int {
    guard needle.count <= haystack.count, let first = needle.first else { return needle.isEmpty }
    var start = haystack.startIndex
    let last = haystack.endIndex - needle.count
    while start <= last {
      if haystack[start] == first && haystack[start..<start + needle.count].elementsEqual(needle) { return true }
      start += 1
    }
    return false
  }
}
