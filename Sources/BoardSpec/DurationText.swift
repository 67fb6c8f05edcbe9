/// Durations as configuration and options write them: `500ms`, `30s`, `2m`, `1h`, or a bare
/// number of seconds.
public enum DurationText {
  /// Seconds, or nil when `text` is not a non-negative duration.
  public static func seconds(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      guard let number = Double(text.dropLast(suffix.count)), number >= 0, number.isFinite else { return nil }
      return number * factor
    }
    return Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
  }
}
