extension Duration {
  /// Whole milliseconds, rounded down, for APIs that take integers.
  var milliseconds: Int64 {
    components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
  }

  /// How a person reads a wait or a window: "43 s" (rounded up, so a wait is never understated),
  /// "2 min 5 s", or "0.5 s" below a second.
  var spoken: String {
    let milliseconds = max(self.milliseconds, 0)
    if milliseconds < 1000 {
      let tenths = max((milliseconds + 99) / 100, 1)
      return tenths >= 10 ? "1 s" : "0.\(tenths) s"
    }
    let seconds = (milliseconds + 999) / 1000
    if seconds < 120 { return "\(seconds) s" }
    return seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds / 60) min \(seconds % 60) s"
  }
}
