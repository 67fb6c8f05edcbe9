import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Timestamps as state writes them.
public enum StateTime {
  /// Now, ISO 8601 in UTC with seconds (`2026-11-21T10:00:00Z`). Formatted by hand: a formatter
  /// per call dominated journalling thousands of actions. Such strings sort as times do.
  public static func timestamp(_ date: Date = Date()) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
      "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }

  /// `timestamp` of now plus `duration`.
  public static func timestamp(after duration: Duration) -> String {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return timestamp(Date().addingTimeInterval(seconds))
  }
}
