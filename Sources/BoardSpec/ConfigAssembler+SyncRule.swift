extension ConfigAssembler {
  /// The typed rule; the schema pass has already checked every value.
  static func syncRule(_ v: YAMLValue, _ source: DocumentSource) -> SyncRule {
    func endpoint(_ e: YAMLValue) -> SyncRule.Endpoint {
      var filter: [String: [String]] = [:]
      for pair in e["filter"]?.pairs ?? [] {
        filter[pair.key] = pair.value.array?.compactMap(\.string) ?? pair.value.string.map { [$0] } ?? []
      }
      return SyncRule.Endpoint(board: e["board"]!.string!, object: e["object"]!.string!, filter: filter)
    }
    let map = (v["map"]?.pairs ?? []).map { pair -> SyncRule.Mapping in
      if let field = pair.value.string { return SyncRule.Mapping(target: pair.key, source: .field(field)) }
      let m = pair.value
      let origin: SyncRule.ValueSource =
        m["template"]?.string.map { .template($0) } ?? m["const"]?.string.map { .constant($0) }
        ?? m["link"]?.string.map { .link(rule: $0) } ?? .field(m["field"]?.string ?? "")
      return SyncRule.Mapping(
        target: pair.key, source: origin, transform: m["transform"]?.string.flatMap(SyncRule.Transform.init),
        values: Dictionary((m["values"]?.pairs ?? []).map { ($0.key, $0.value.string ?? "") }) { first, _ in first },
        fallback: m["default"]?.string, placement: m["placement"]?.string)
    }
    return SyncRule(
      name: v["name"]!.string!, source: endpoint(v["source"]!), target: endpoint(v["target"]!),
      match: v["match"].map {
        SyncRule.Match(
          source: $0["source"]!.string!, target: $0["target"]!.string!, ignoreCase: $0["ignore_case"]?.bool ?? true,
          via: $0["via"]?.string)
      }, map: map,
      direction: v["direction"]?.string.flatMap(SyncRule.Direction.init) ?? .oneWay,
      conflict: v["conflict"]?.string.flatMap(SyncRule.Conflict.init),
      consent: v["consent"].map {
        SyncRule.Consent(field: $0["field"]!.string!, values: $0["values"]?.array?.compactMap(\.string) ?? [])
      },
      retention: v["retention"].map {
        SyncRule.Retention(
          days: $0["days"]!.int!, action: $0["action"]!.string.flatMap(SyncRule.RetentionAction.init) ?? .delete)
      }, onDelete: v["on_delete"]?.string.flatMap(SyncRule.OnDelete.init) ?? .ignore,
      schedule: v["schedule"]?.string, document: source)
  }

  /// A `map` entry given as a mapping must say where its value comes from, once.
  static func mappingProblems(_ v: YAMLValue) -> [Diagnostic] {
    var problems: [Diagnostic] = []
    for pair in v["map"]?.pairs ?? [] where pair.value.pairs != nil {
      let given = ["field", "const", "template", "link"].filter { pair.value[$0] != nil }
      if given.count != 1 {
        problems.append(
          .error(
            given.isEmpty
              ? "map.\(pair.key) says nothing of where its value comes from: give field, const, template or link"
              : "map.\(pair.key) gives \(given.joined(separator: " and ")); give exactly one",
            at: pair.keyLocation))
      }
      if pair.value["const"] != nil || pair.value["link"] != nil {
        let kind = pair.value["const"] != nil ? "a const" : "a link"
        for key in ["transform", "values", "default", "placement"] where pair.value[key] != nil {
          problems.append(
            .error(
              "map.\(pair.key): '\(key)' changes a field's value, and \(kind) has none to change",
              at: pair.value.pair(key)!.keyLocation))
        }
      }
    }
    return problems
  }
}
