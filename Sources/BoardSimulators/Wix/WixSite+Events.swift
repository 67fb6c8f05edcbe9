import BoardSupport
import Foundation

/// The site reports what changed to the webhook queue as it happens, in order, without waiting.
extension WixSite {
  /// Reports `entity` as it is now; nothing while the site is being set up or without webhooks.
  func announce(_ kind: WixEvent.Kind, _ entity: Object) {
    guard announcing, let events else { return }
    let time = (kind == .contactUpdated ? entity["updatedDate"] : entity["createdDate"])?.string ?? now()
    events.yield(WixEvent(id: newID(), kind: kind, entity: entity, time: time))
  }
}
