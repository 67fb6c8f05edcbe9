import Foundation

/// Where the Wix simulator delivers its events and how it misbehaves doing so, as Wix may: late,
/// out of order, twice, and again after a failure (FACTS.md, Wix "Webhooks").
public struct WixWebhookSettings: Sendable {
  /// The receiver: every event is POSTed here, the whole body a JWT.
  public var url: URL
  /// The share of events delivered twice (a seeded draw), as Wix's redundant servers may.
  public var duplicateRate = 0.0
  /// Events are held this long after the first of a burst, then sent together.
  public var delay: Duration = .zero
  /// The deliveries of a burst go out in a random (seeded) order.
  public var shuffle = false
  /// Every retry delay is multiplied by this (0.001 turns Wix's hours into seconds).
  public var retryScale = 1.0
  /// How long an answer may take; Wix waits 1250 ms, then counts the attempt as failed.
  public var timeout: Duration = .milliseconds(1250)
  /// The app the site installed (`identity.appId`) and its instance on the site (`instanceId`).
  public var appID = "0c6f1a5e-5a1b-4c5e-9f7e-51a7e0b0a9d1"
  public var instanceID = "3b8f7d2c-9a4e-4f6b-8c1d-2e5a7b9c0d4f"

  /// Wix's resend policy: about 12 more attempts over the 48 hours after the event [P]; this
  /// spread (1 min to 10 h apart, 47.85 h in all) is the simulator's choice.
  public static let retryDelays: [Duration] = [
    60, 300, 900, 1800, 3600, 7200, 14_400, 21_600, 28_800, 28_800, 28_800, 36_000,
  ].map { .seconds($0) }

  /// A burst is held at least this long when shuffled, so there is something to shuffle.
  static let shuffleWindow: Duration = .milliseconds(200)

  public init(url: URL) { self.url = url }

  /// How long the deliveries of a burst are held before they go out.
  var window: Duration { shuffle ? max(delay, Self.shuffleWindow) : delay }
}
