import BoardSpec

/// The pure sync planner: a rule, the records read from both sides, the links and the day →
/// what to do for each record. No I/O, so it is exhaustively testable; `plan` shows its result,
/// `apply` carries it out, and `serve` will run it on webhooks.
///
/// Each mapped field of a linked pair is a three-way comparison, like the placements' diff: the
/// value the source maps to, the value the target holds, and the marks of both as last synced.
/// A side whose value no longer hashes to its mark changed; a side that did not is left alone.
public struct SyncPlanner: Sendable {
  public struct Input: Sendable {
    /// The source records to consider: those changed since the cursor, and for two-way rules the
    /// sources of target records that changed.
    public var sources: [SyncRecord]
    /// Target records: every one a link or the match key may name.
    public var targets: [SyncRecord]
    /// By source id.
    public var links: [String: SyncLink]
    /// Every source id that exists now, from the delete sweep; nil when the run did not sweep.
    public var present: Set<String>?
    /// Source ids whose person was forgotten (`forget person`, a retention purge), by the day:
    /// never synced again.
    public var forgotten: [String: String] = [:]
    /// Two-way: the target records that changed since the target's cursor. Those no source
    /// record links or matches are made on the source.
    public var changedTargets: Set<String> = []
    /// Target ids whose link was forgotten (a purge, `forget person`, an unlink): never made
    /// on the source.
    public var forgottenTargets: Set<String> = []
    /// Target ids that other rules reading the same source board link, by the rule: the person
    /// is already on that board (a form submission made the candidate), so a two-way rule does
    /// not make them there again.
    public var linkedByOtherRules: [String: String] = [:]
    /// Two-way: the rule's first run (its target read whole). Its unlinked records are then not
    /// made on the source: only those made or changed after it.
    public var firstTargetRead = false
    /// Records another rule erased (a retention purge, `forget person`), on this rule's source
    /// and target, with the rule that did: a link to one is forgotten, never written again.
    public var erasedSources: [String: String] = [:]
    public var erasedTargets: [String: String] = [:]
    public var today: CalendarDate

    public init(
      sources: [SyncRecord], targets: [SyncRecord], links: [String: SyncLink], present: Set<String>? = nil,
      today: CalendarDate
    ) {
      self.sources = sources
      self.targets = targets
      self.links = links
      self.present = present
      self.today = today
    }
  }

  public struct Result: Sendable {
    public var actions: [SyncAction]
    /// Links whose marks change with no write (both sides already agree); apply saves them.
    public var settled: [SyncLink]

    public init(actions: [SyncAction] = [], settled: [SyncLink] = []) {
      self.actions = actions
      self.settled = settled
    }
  }

  public let mapper: SyncMapper
  public var rule: SyncRule { mapper.rule }

  public init(mapper: SyncMapper) { self.mapper = mapper }

  public func plan(_ input: Input) -> Result {
    var actions: [SyncAction] = []
    var settled: [SyncLink] = []
    var targets: [String: SyncRecord] = [:]
    var byKey: [String: SyncRecord] = [:]
    for target in input.targets {
      targets[target.id] = target
      if let key = mapper.targetKey(target), byKey[key].map({ target.id < $0.id }) ?? true { byKey[key] = target }
    }
    // A create per key: a second record with the same key links to the first's new record.
    var creating: [String: Int] = [:]
    // Two-way rules link one to one: which source each linked target belongs to.
    var linkedTo: [String: String] = [:]
    for link in input.links.values.sorted(by: { $0.sourceID < $1.sourceID }) where linkedTo[link.targetID] == nil {
      linkedTo[link.targetID] = link.sourceID
    }
    var seen: Set<String> = []
    let sources = input.sources.sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
    for source in sources where seen.insert(source.id).inserted {
      if let link = input.links[source.id], erasure(link, input) != nil { continue }  // the sweep forgets it
      if let day = input.forgotten[source.id] {
        actions.append(
          SyncAction(kind: .skip, sourceID: source.id, reason: "forgotten on \(day); never synced again"))
        continue
      }
      if !mapper.consents(source) {
        let field = rule.consent?.field ?? ""
        actions.append(
          SyncAction(
            kind: .skip, sourceID: source.id, targetID: input.links[source.id]?.targetID,
            reason: "no consent: \(field) \(source[field] == nil ? "is empty" : "holds no consenting value")"))
        continue
      }
      if input.links[source.id] == nil, let waiting = mapper.unresolved(source) {
        var wait = SyncAction(kind: .skip, sourceID: source.id, reason: waiting.reason)
        wait.later = waiting.later
        actions.append(wait)
        continue
      }
      if let link = input.links[source.id], let target = targets[link.targetID] {
        let (pairActions, settledLink) = pair(source, target, link)
        actions += pairActions
        if let settledLink { settled.append(settledLink) }
        continue
      }
      let gone = input.links[source.id].map { " (its target record \($0.targetID) is gone)" } ?? ""
      let key = mapper.sourceKey(source)
      if rule.match != nil, key == nil, rule.match?.via == nil {
        actions.append(
          SyncAction(
            kind: .skip, sourceID: source.id,
            reason: "no \(rule.match!.source) to match on: creating a record could duplicate one"))
        continue
      }
      if let key, let target = byKey[key] {
        if rule.direction == .twoWay, let other = linkedTo[target.id], other != source.id {
          actions.append(oneToOne(source, other: other, target: target.id))
          continue
        }
        linkedTo[target.id] = source.id
        let (pairActions, _) = pair(source, target, nil)
        var write = pairActions.first { $0.kind == .update } ?? SyncAction(kind: .update, reason: "")
        write.kind = .link
        write.sourceID = source.id
        write.targetID = target.id
        write.key = key
        write.reason = "matched on \(rule.match!.target)\(gone)"
        actions.append(write)
        actions += pairActions.filter { $0.kind != .update }
        continue
      }
      if let via = rule.match?.via {
        actions.append(
          SyncAction(
            kind: .skip, sourceID: source.id,
            reason: "no \(rule.target.object) record that rule \(via) links to its \(rule.match!.source)\(gone)"))
        continue
      }
      let values = mapper.values(of: source)
      if let key, let index = creating[key], rule.direction == .twoWay {
        actions.append(oneToOne(source, other: actions[index].sourceID!, target: nil))
        continue
      }
      if let key, let index = creating[key] {
        actions[index].alsoLinks.append(source.id)
        for (field, value) in values {
          // A later record's value wins, but a note (say) of each is written.
          if mapper.appendFields.contains(field), let earlier = actions[index].values[field], earlier != value {
            actions[index].values[field] = earlier + "\n\n" + value
          } else {
            actions[index].values[field] = value
          }
        }
        continue
      }
      if let key { creating[key] = actions.count }
      actions.append(
        SyncAction(
          kind: .create, sourceID: source.id, values: values,
          reason: key == nil ? "new record\(gone)" : "no \(rule.target.object) record matches\(gone)", key: key))
    }
    if rule.direction == .twoWay {
      // Source records by key: one that holds a target's key (linked to another target, or
      // forgotten) means the target is not made on the source again.
      var sourceByKey: [String: String] = [:]
      var makingByKey: [String: String] = [:]
      for source in sources {
        if let key = mapper.sourceKey(source) { sourceByKey[key] = sourceByKey[key] ?? source.id }
      }
      for id in input.changedTargets.sorted() where linkedTo[id] == nil && !input.forgottenTargets.contains(id) {
        guard let target = targets[id] else { continue }
        // Another rule made it from a record on the source board: nothing to do, nothing to show.
        if input.linkedByOtherRules[id] != nil { continue }
        var action = createOnSource(target, firstTargetRead: input.firstTargetRead)
        if action.kind == .createSource, let key = action.key, let other = sourceByKey[key] {
          action = SyncAction(
            kind: .skip, targetID: id,
            reason:
              "\(rule.source.object) record \(other) has the same \(rule.match!.target) and \(input.forgotten[other] == nil ? "links to another \(rule.target.object) record" : "was forgotten"); a two_way rule links one record to one"
          )
        } else if action.kind == .createSource, let key = action.key, let first = makingByKey[key] {
          action = SyncAction(
            kind: .skip, targetID: id,
            reason:
              "\(rule.target.object) record \(first) has the same \(rule.match!.target) and is made on \(rule.source.board) in this run; a two_way rule links one record to one"
          )
        } else if action.kind == .createSource, let key = action.key {
          makingByKey[key] = id
        }
        actions.append(action)
      }
    }
    actions += sweep(input)
    return Result(actions: actions, settled: settled)
  }

  /// A target record no source record links or matches, in a two-way rule: made on the source
  /// with the fields that flow back, or a skip saying why not.
  private func createOnSource(_ target: SyncRecord, firstTargetRead: Bool) -> SyncAction {
    let source = rule.source.qualified
    var values: [String: String] = [:]
    for field in mapper.targetFields {
      guard let back = mapper.reverseField(of: field), let value = target[field] else { continue }
      values[back] = mapper.reverseValue(of: field, value)
    }
    func skip(_ why: String) -> SyncAction {
      SyncAction(kind: .skip, targetID: target.id, reason: "new on \(rule.target.board), not made on \(source): \(why)")
    }
    if let consent = rule.consent {
      return skip("the rule asks for consent (\(consent.field)), which only \(source) records carry")
    }
    if firstTargetRead {
      return skip(
        "it was there before the rule's first run (only records made or changed on \(rule.target.board) after it are)")
    }
    if !rule.source.filter.isEmpty {
      return skip("a record made there might not pass the rule's filter")
    }
    guard let match = rule.match, let key = mapper.targetKey(target) else {
      return skip("no \(rule.match?.target ?? "key") to match on: creating a record could duplicate one")
    }
    guard values[match.source] != nil else {
      return skip("the rule's map does not carry \(match.target) back to \(match.source)")
    }
    return SyncAction(
      kind: .createSource, targetID: target.id, values: values,
      reason: "new on \(rule.target.board); no \(rule.source.object) record matches", key: key)
  }

  /// A second source record for a target a two-way rule already links (edits could not flow
  /// back to both): shown, never linked.
  private func oneToOne(_ source: SyncRecord, other: String, target: String?) -> SyncAction {
    SyncAction(
      kind: .skip, sourceID: source.id, targetID: target,
      reason:
        "\(rule.source.object) record \(other) has the same \(rule.match?.source ?? "key") and links to that \(rule.target.object) record; a two_way rule links one record to one"
    )
  }

  /// What a pair needs: writes to either side, fields in review, and the marks to settle.
  func pair(_ source: SyncRecord, _ target: SyncRecord, _ link: SyncLink?) -> ([SyncAction], SyncLink?) {
    let desired = mapper.values(of: source)
    var toTarget: [String: String] = [:]
    var targetBefore: [String: String] = [:]
    var toSource: [String: String] = [:]
    var sourceBefore: [String: String] = [:]
    var review: [String] = []
    var marks = link?.marks ?? [:]
    let twoWay = rule.direction == .twoWay
    for field in mapper.targetFields {
      var s = desired[field]
      let t = target[field]
      let (sm, tm) = (mapper.mark(s, of: field), mapper.mark(t, of: field))
      let mark = link?.marks[field]
      if let mark, mark.source == sm, mark.target == tm, !(link?.review.contains(field) ?? false) { continue }
      // A set field's wanted value keeps the target's other names (the marks keep the rule's own).
      if let wanted = s, mapper.setFields.contains(field) {
        s = mapper.merged(field, wanted, into: t, previous: mark?.source)
      }
      let sourceChanged = mark.map { $0.source != sm } ?? true
      let targetChanged = mark.map { $0.target != tm } ?? true
      let settle = SyncLink.Mark(source: sm, target: tm)
      if s == t || s == nil && !twoWay {
        marks[field] = settle
        continue
      }
      var side: Side
      if !twoWay {
        side = sourceChanged ? .target : .keep
      } else if t == nil || s == nil {
        side = t == nil ? .target : .source  // filling an empty field is no conflict
      } else if sourceChanged && !targetChanged {
        side = .target
      } else if targetChanged && !sourceChanged {
        side = .source
      } else {
        side = decide(source, target)
      }
      // An empty value never erases one, and only plain field mappings flow back.
      if side == .target && s == nil || side == .source && (t == nil || mapper.reverseField(of: field) == nil) {
        side = .keep
      }
      switch side {
      case .target:
        toTarget[field] = s
        targetBefore[field] = t ?? ""
      case .source:
        let back = mapper.reverseField(of: field)!
        toSource[back] = mapper.reverseValue(of: field, t!)
        sourceBefore[back] = source[back] ?? ""
      case .review:
        review.append(field)
      case .keep:
        marks[field] = settle
      }
    }
    var actions: [SyncAction] = []
    if !toTarget.isEmpty {
      actions.append(
        SyncAction(
          kind: .update, sourceID: source.id, targetID: target.id, values: toTarget, before: targetBefore,
          reason: link == nil ? "matched" : "changed on \(rule.source.board)"))
    }
    if !toSource.isEmpty {
      actions.append(
        SyncAction(
          kind: .updateSource, sourceID: source.id, targetID: target.id, values: toSource, before: sourceBefore,
          reason: "changed on \(rule.target.board)"))
    }
    if !review.isEmpty {
      actions.append(
        SyncAction(
          kind: .conflict, sourceID: source.id, targetID: target.id,
          values: review.reduce(into: [:]) { $0[$1] = target[$1] ?? "" },
          before: review.reduce(into: [:]) { $0[$1] = desired[$1] ?? "" },
          reason: "changed on both \(rule.source.board) and \(rule.target.board); waiting for boardctl sync resolve"))
    }
    guard let link, actions.filter(\.writes).isEmpty, marks != link.marks || link.review != review.sorted() else {
      return (actions, nil)
    }
    var settled = link
    settled.marks = marks
    settled.review = review.sorted()
    return (actions, settled)
  }

  enum Side { case target, source, review, keep }

  /// Who wins a field both sides changed.
  private func decide(_ source: SyncRecord, _ target: SyncRecord) -> Side {
    switch rule.conflict ?? .review {
    case .sourceWins: return .target
    case .targetWins: return .source
    case .review: return .review
    case .newestWins:
      let (s, t) = (SyncTime.seconds(source.updatedAt), SyncTime.seconds(target.updatedAt))
      guard let s, let t else { return .review }
      return s >= t ? .target : .source
    }
  }

  /// Why a link must be forgotten: another rule erased one of its records.
  private func erasure(_ link: SyncLink, _ input: Input) -> String? {
    if let rule = input.erasedSources[link.sourceID] {
      return "its \(self.rule.source.object) record was erased by rule \(rule); never synced again"
    }
    if let rule = input.erasedTargets[link.targetID] {
      return "its \(self.rule.target.object) record \(link.targetID) was erased by rule \(rule); never synced again"
    }
    return nil
  }

  /// Links another rule's erasure ended, deletions the sweep found, and links past retention.
  private func sweep(_ input: Input) -> [SyncAction] {
    var actions: [SyncAction] = []
    var links = input.links.values.sorted { $0.sourceID < $1.sourceID }
    for link in links {
      guard let reason = erasure(link, input) else { continue }
      var forget = SyncAction(kind: .unlink, sourceID: link.sourceID, targetID: link.targetID, reason: reason)
      forget.forgets = true
      actions.append(forget)
    }
    links.removeAll { erasure($0, input) != nil }
    var targetsInUse: [String: Int] = [:]
    for link in links { targetsInUse[link.targetID, default: 0] += 1 }
    if let present = input.present, rule.onDelete != .ignore {
      for link in links where !present.contains(link.sourceID) {
        let shared = targetsInUse[link.targetID, default: 0] > 1
        let delete = rule.onDelete == .delete && !shared
        if delete || rule.onDelete == .unlink || shared {
          actions.append(
            SyncAction(
              kind: delete ? .delete : .unlink, sourceID: link.sourceID, targetID: link.targetID,
              reason: "gone from \(rule.source.board)"
                + (shared && rule.onDelete == .delete ? "; other records still link to its target, which stays" : "")))
          targetsInUse[link.targetID, default: 1] -= 1
        }
      }
    }
    if let retention = rule.retention {
      for link in links {
        guard let linked = CalendarDate(link.linkedOn), input.today.dayNumber - linked.dayNumber > retention.days
        else { continue }
        if let present = input.present, !present.contains(link.sourceID), rule.onDelete != .ignore { continue }
        actions.append(
          SyncAction(
            kind: .purge, sourceID: link.sourceID, targetID: link.targetID,
            reason:
              "linked on \(link.linkedOn), past the rule's \(retention.days)-day retention: \(retention.action.rawValue) on both boards"
          ))
      }
    }
    return actions
  }

  /// The link after a write: every mapped field's marks as the two records now hold them, but
  /// for fields in review (`review`: those of the run's conflict action, if any).
  public func settled(
    _ link: SyncLink?, source: SyncRecord, target: SyncRecord, linkedOn: String, review: [String] = []
  ) -> SyncLink {
    let desired = mapper.values(of: source)
    var result = link ?? SyncLink(sourceID: source.id, targetID: target.id, linkedOn: linkedOn)
    result.targetID = target.id
    result.review = Array(Set(result.review).union(review)).sorted()
    for field in mapper.targetFields where !result.review.contains(field) {
      result.marks[field] = SyncLink.Mark(
        source: mapper.mark(desired[field], of: field), target: mapper.mark(target[field], of: field))
    }
    return result
  }
}
