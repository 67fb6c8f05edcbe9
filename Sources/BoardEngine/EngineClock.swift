import BoardSpec
import BoardState
import Foundation

/// Today and now, in UTC; `BOARDCTL_NOW` (ISO 8601) pins them for reproducible runs and tests.
public struct EngineClock: Sendable {
  public var today: CalendarDate
  public var now: String

  public init(today: CalendarDate, now: String) {
    self.today = today
    self.now = now
  }

  public static var current: EngineClock {
    var date = Date()
    if let pinned = ProcessInfo.processInfo.environment["BOARDCTL_NOW"], !pinned.isEmpty {
      let formatter = ISO8601DateFormatter()
      if let parsed = formatter.date(from: pinned) { date = parsed }
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return EngineClock(
      today: CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!), now: StateTime.timestamp(date))
  }
}
