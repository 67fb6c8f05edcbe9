import BoardSpec

/// The three-way diff: for every field of every resource, desired (D) against last applied (S)
/// against live (L). A pure function of its input.
///
/// | D vs S | L vs S | meaning                       | plan                                 |
/// |--------|--------|-------------------------------|--------------------------------------|
/// | equal  | equal  | nothing to do                 | —                                    |
/// | differ | equal  | our change                    | `~ field: old -> new`                |
/// | equal  | differ | drift                         | drift note, then revert (or keep if platform-owned) |
/// | differ | differ | conflict (unless L already = D) | refused unless `--force`           |
public enum Diff {
  public static func plan(_ input: DiffInput) -> Plan {
    var prior: [Address: StateRecord] = [:]
    prior.reserveCapacity(input.prior.count)
    for record in input.prior { prior[record.address] = record }
    var live: [Address: LiveResource] = [:]
    live.reserveCapacity(input.live.count)
    for resource in input.live { live[resource.address] = resource }
    var wanted = Set<Address>(minimumCapacity: input.desired.count)
    for resource in input.desired { wanted.insert(resource.address) }

    // Every address once: desired first, then state-only, then live-only. The plan is sorted by
    // address at the end, which is cheaper than sorting every address when most have no change.
    var rows: [(Address, DesiredResource?)] = input.desired.map { ($0.address, $0) }
    for record in input.prior where !wanted.contains(record.address) { rows.append((record.address, nil)) }
    for resource in input.live where !wanted.contains(resource.address) && prior[resource.address] == nil {
      rows.append((resource.address, nil))
    }

    var plan = Plan()
    for (address, d) in rows {
      let s = prior[address]
      let refreshed = input.refreshedBoards.contains(address.board)
      // Unrefreshed boards: assume the board still holds what state says.
      let l: LiveResource? =
        refreshed
        ? live[address]
        : s.flatMap {
          $0.status == .open ? LiveResource(address: address, attributes: $0.attributes, digest: $0.digest) : nil
        }
      let owned = input.platformOwned[address.board] ?? []
      let replaceable = input.replaceFields[address.board]?[address.object] ?? []

      switch (d, s) {
      case (let d?, let s?) where s.status == .importing:
        if let l {
          let fields = fieldChanges(from: l.attributes, to: d.attributes, ignoring: owned, replace: [])
          plan.changes.append(
            PlannedChange(
              address: address, platform: d.platform, action: .import, before: l.attributes, after: d.attributes,
              fields: fields,
              reason: "named by boardctl import (remote id \(s.remoteID ?? "?")); it will be adopted and tagged"))
        } else {
          plan.warnings.append(
            "\(address): boardctl import named remote id \(s.remoteID ?? "?"), which the board does not have; run `boardctl state rm \(address)` and import the right id"
          )
        }
      case (nil, let s?) where s.status == .importing:
        plan.warnings.append(
          "\(address): imported with boardctl import, but no posting places it on this board; run `boardctl state rm \(address)` to drop the import"
        )
      case (let d?, nil):
        if let l {
          let fields = fieldChanges(from: l.attributes, to: d.attributes, ignoring: owned, replace: [])
          plan.changes.append(
            PlannedChange(
              address: address, platform: d.platform, action: .import, before: l.attributes, after: d.attributes,
              fields: fields, reason: "found on the board with boardctl's tag but not in state; it will be adopted",
              contentChanged: fields.isEmpty && d.renderKey != nil))
        } else {
          plan.changes.append(
            PlannedChange(
              address: address, platform: d.platform, action: .create, before: nil, after: d.attributes,
              fields: fieldChanges(from: [:], to: d.attributes, ignoring: [], replace: []),
              reason: d.origin))
          if let cost = input.costs[address.board], cost.amount > 0 {
            plan.cost[cost.currency, default: 0] += cost.amount
          }
        }
      case (let d?, let s?) where s.status == .closed:
        if let l {
          plan.drift.append(DriftEntry(address: address, kind: .reopened))
          compareOpen(d: d, s: s, l: l, owned: owned, replaceable: replaceable, into: &plan)
        } else {
          plan.changes.append(
            PlannedChange(
              address: address, platform: d.platform, action: .create, before: nil, after: d.attributes,
              fields: fieldChanges(from: [:], to: d.attributes, ignoring: [], replace: []),
              reason: "reopened: the posting lists this board again"))
          if let cost = input.costs[address.board], cost.amount > 0 {
            plan.cost[cost.currency, default: 0] += cost.amount
          }
        }
      case (let d?, let s?):
        if let l {
          compareOpen(d: d, s: s, l: l, owned: owned, replaceable: replaceable, into: &plan)
        } else {
          plan.drift.append(DriftEntry(address: address, kind: .deleted))
          plan.changes.append(
            PlannedChange(
              address: address, platform: d.platform, action: .create, before: nil, after: d.attributes,
              fields: fieldChanges(from: [:], to: d.attributes, ignoring: [], replace: []),
              reason: "deleted outside boardctl; it will be published again"))
        }
      case (nil, let s?):
        removal(s: s, l: l, expired: input.expired[address], into: &plan)
      case (nil, nil):
        if let l { plan.drift.append(DriftEntry(address: address, kind: .unmanaged, details: l.details)) }
      }
    }
    // A desired resource's note goes with whatever change it gets.
    var notes: [Address: String] = [:]
    for resource in input.desired { if let note = resource.note { notes[resource.address] = note } }
    if !notes.isEmpty {
      for index in plan.changes.indices {
        if let note = notes[plan.changes[index].address] { plan.changes[index].reason += "; " + note }
      }
    }
    plan.changes = stableSorted(plan.changes, by: \.address)
    plan.drift = stableSorted(plan.drift, by: \.address)
    plan.conflicts = stableSorted(plan.conflicts, by: \.address)
    return plan
  }

  /// Sorted by address, keeping the order of entries for the same address.
  static func stableSorted<T>(_ items: [T], by address: KeyPath<T, Address>) -> [T] {
    items.enumerated().sorted { a, b in
      let (x, y) = (a.element[keyPath: address], b.element[keyPath: address])
      return x == y ? a.offset < b.offset : x < y
    }.map(\.element)
  }

  /// A posting that left the configuration (or stopped listing a board).
  private static func removal(s: StateRecord, l: LiveResource?, expired: String?, into plan: inout Plan) {
    if let expired, s.status != .closed {
      // An expired posting comes down whatever on_remove says: it ended, it was not removed.
      let gone = l == nil ? " (already gone from the board)" : ""
      plan.changes.append(
        PlannedChange(
          address: s.address, platform: s.platform, action: .close, before: l?.attributes ?? s.attributes,
          after: nil, reason: "expired on \(expired) (valid_through); it is unpublished and kept in state\(gone)"))
      return
    }
    if s.status == .closed {
      guard let l else { return }
      plan.drift.append(DriftEntry(address: s.address, kind: .reopened, details: l.details))
      plan.changes.append(
        PlannedChange(
          address: s.address, platform: s.platform, action: .close, before: l.attributes, after: nil,
          reason: "closed earlier but published again outside boardctl; it will be closed again"))
      return
    }
    let before = l?.attributes ?? s.attributes
    let gone = l == nil ? " (already gone from the board)" : ""
    switch s.onRemove {
    case .close:
      plan.changes.append(
        PlannedChange(
          address: s.address, platform: s.platform, action: .close, before: before, after: nil,
          reason: "removed from boards.d; lifecycle.on_remove is close, so it is unpublished and kept in state\(gone)"))
    case .delete:
      plan.changes.append(
        PlannedChange(
          address: s.address, platform: s.platform, action: .delete, before: before, after: nil,
          reason: "removed from boards.d with lifecycle.on_remove: delete\(gone)"))
    case .keep:
      plan.changes.append(
        PlannedChange(
          address: s.address, platform: s.platform, action: .forget, before: before, after: nil,
          reason: "removed from boards.d with lifecycle.on_remove: keep; it stays on the board unmanaged"))
    }
  }

  /// Field-by-field comparison of a published resource.
  private static func compareOpen(
    d: DesiredResource, s: StateRecord, l: LiveResource, owned: Set<String>, replaceable: Set<String>,
    into plan: inout Plan
  ) {
    // The common case at scale: nothing changed anywhere.
    if d.attributes == s.attributes && l.attributes == s.attributes && l.digest == s.digest
      && d.renderKey == s.renderKey
    {
      return
    }
    var changes: [FieldChange] = []
    var drifted: [FieldChange] = []
    var kept: [String] = []
    let keys = Set(d.attributes.keys).union(s.attributes.keys).union(l.attributes.keys).sorted()
    for key in keys {
      let dv = d.attributes[key]
      let sv = s.attributes[key]
      let lv = l.attributes[key]
      if dv == sv && lv == sv { continue }
      if lv != sv {
        drifted.append(FieldChange(key: key, before: sv, after: lv))
        if owned.contains(key) {
          kept.append(key)
          continue
        }
        if dv != sv && lv != dv {
          plan.conflicts.append(Conflict(address: d.address, key: key, lastApplied: sv, desired: dv, live: lv))
        }
      }
      if owned.contains(key) && dv == sv { continue }
      if lv != dv {
        changes.append(FieldChange(key: key, before: lv, after: dv, forcesReplacement: replaceable.contains(key)))
      }
    }
    let contentDrift = l.digest != s.digest && s.digest != nil
    // Platform-owned edits are never drift on their own; beside other drift they are listed as kept.
    drifted.removeAll { owned.contains($0.key) }
    if !drifted.isEmpty || contentDrift {
      plan.drift.append(
        DriftEntry(
          address: d.address, kind: .changed, fields: drifted, details: contentDrift ? l.details : [], kept: kept))
    }
    let contentChanged = changes.isEmpty && (contentDrift || d.renderKey != s.renderKey)
    guard !changes.isEmpty || contentChanged else { return }
    let replace = changes.contains { $0.forcesReplacement }
    let ours = changes.contains { d.attributes[$0.key] != s.attributes[$0.key] }
    let reverts = changes.contains { d.attributes[$0.key] == s.attributes[$0.key] } || contentDrift
    let reason: String
    if replace {
      reason = "\(changes.filter(\.forcesReplacement).map(\.key).joined(separator: ", ")) cannot change in place"
    } else if ours && reverts {
      reason = "boards.d changed, and edits made outside boardctl will be reverted"
    } else if ours {
      reason = "boards.d changed"
    } else if reverts {
      reason = "edited outside boardctl; it will be restored"
    } else {
      reason = "the rendered output changed (layout or boardctl version)"
    }
    plan.changes.append(
      PlannedChange(
        address: d.address, platform: d.platform, action: replace ? .replace : .update, before: l.attributes,
        after: d.attributes, fields: changes, reason: reason, contentChanged: contentChanged))
  }

  static func fieldChanges(from before: Attributes, to after: Attributes, ignoring: Set<String>, replace: Set<String>)
    -> [FieldChange]
  {
    Set(before.keys).union(after.keys).sorted().compactMap { key in
      guard before[key] != after[key], !ignoring.contains(key) else { return nil }
      return FieldChange(key: key, before: before[key], after: after[key], forcesReplacement: replace.contains(key))
    }
  }
}
