import Foundation

/// Reads the platforms' ISO 8601 change times, to compare times from two platforms
/// (`newest_wins`); the cursor compares one platform's times as text and needs none of this.
enum SyncTime {
  static func seconds(_ text: String) -> Double? {
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = fractional.date(from: text) { return date.timeIntervalSince1970 }
    let plain = ISO8601DateFormatter()
    plain.formatOptions = [.withInternetDateTime]
    return plain.date(from: text)?.timeIntervalSince1970
  }
}
