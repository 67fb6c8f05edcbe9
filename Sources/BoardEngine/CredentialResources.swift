import BoardCore
import BoardSpec
import BoardSupport

/// Each board's credential is a resource too, `<board>.credential.<name>`: its fields' keyed
/// fingerprints, so a rotated value shows in the plan as `(sensitive value changed)` and apply
/// records it without a platform call. The value itself never enters a plan or state.
struct CredentialResources {
  var desired: [DesiredResource] = []
  /// What state recorded, standing in for live (no platform holds these).
  var live: [LiveResource] = []

  init(workspace: CheckedWorkspace, connected: ConnectedBoards, prior: [Address: StateRecord]) {
    for board in workspace.config.boards {
      guard let name = board.credential, workspace.platforms[board.platform]?.descriptor.needsCredential == true
      else { continue }
      let address = OpenedCredential.address(board: board.name, credential: name)
      let recorded = prior[address]
      if let recorded, recorded.status == .open {
        live.append(LiveResource(address: address, attributes: recorded.attributes))
      }
      var attributes: Attributes
      if let opened = connected.credentials[board.name] {
        attributes = [:]
        for (field, fingerprint) in opened.fingerprints { attributes[field] = .sensitive(fingerprint: fingerprint) }
      } else if let recorded {
        attributes = recorded.attributes  // not opened here: assume unchanged
      } else {
        continue
      }
      // Where the board sends it, so a pull request that changes an endpoint shows in the plan.
      if let destinations = workspace.platforms[board.platform]?.credentialDestinations(of: board) {
        attributes.set(
          "sent_to", destinations.destinations.map { CredentialHosts.describe($0.url) }.joined(separator: ", "))
      }
      desired.append(
        DesiredResource(
          address: address, platform: board.platform, attributes: attributes, onRemove: .delete,
          source: board.source.location(of: "credential"),
          origin: "the board uses this credential; state keeps a keyed fingerprint of each field, never the value"))
    }
  }

  /// The state record apply writes for a credential resource (nil when it is removed).
  static func record(for change: PlannedChange, desired: DesiredResource?, now: String) -> StateRecord? {
    guard let desired, change.after != nil else { return nil }
    return StateRecord(
      address: desired.address, platform: desired.platform, attributes: desired.attributes, status: .open,
      onRemove: .delete, updatedAt: now)
  }
}
