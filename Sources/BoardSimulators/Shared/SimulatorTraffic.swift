import BoardSupport
import Foundation

/// What a simulator has seen of its clients: requests counted on arrival (in all and per endpoint
/// pattern), rate-limit windows per caller, the busiest window, named counters (`throttled`,
/// `server_errors`, …), and the faults in force, which `PUT /_sim/faults` replaces.
actor SimulatorTraffic {
  private(set) var faults: SimulatorFaults
  private var counters: [String: Int] = [:]
  private var byEndpoint: [String: Int] = [:]
  private var admitted: [String: [ContinuousClock.Instant]] = [:]
  private var busiestWindow = 0

  init(faults: SimulatorFaults) { self.faults = faults }

  /// Counts a request to `endpoint` and says whether `caller`'s window has room for it.
  func admit(endpoint: String, caller: String, limit: Int, window: Duration) -> Bool {
    let now = ContinuousClock.now
    var times = admitted[caller, default: []]
    times.removeAll { $0 <= now - window }
    counters["requests", default: 0] += 1
    byEndpoint[endpoint, default: 0] += 1
    guard times.count < limit else {
      admitted[caller] = times
      return false
    }
    times.append(now)
    admitted[caller] = times
    busiestWindow = max(busiestWindow, times.count)
    return true
  }

  func setFaults(_ faults: SimulatorFaults) { self.faults = faults }

  func count(_ key: String) { counters[key, default: 0] += 1 }

  /// `counters`, `requests_by_endpoint` and `busiest_window`, as every simulator's stats carry them.
  func stats() -> [String: JSONValue] {
    [
      "counters": .object(counters.mapValues { .number(Double($0)) }),
      "requests_by_endpoint": .object(byEndpoint.mapValues { .number(Double($0)) }),
      "busiest_window": .number(Double(busiestWindow)),
    ]
  }
}
