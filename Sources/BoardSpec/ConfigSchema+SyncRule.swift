extension ConfigSchema {
  static let syncEndpointFields: [FieldSchema] = [
    FieldSchema("board", .reference("Board"), required: true, "The board the records are on."),
    FieldSchema(
      "object", .string(), required: true,
      "The kind of record, as the board's platform names it: `contacts`, `form_submissions` or `members` on Wix; `candidates`, `matches` or `jobs` on Manatal."
    ),
  ]

  static let syncMapping = ObjectSchema(
    "SyncMapping",
    [
      FieldSchema("field", .string(), "The source field whose value is used."),
      FieldSchema("const", .scalar, "A constant value."),
      FieldSchema("template", .string(.template), "A Mustache template over the source record's fields."),
      FieldSchema(
        "transform", .enumeration(SyncRule.Transform.allCases.map(\.rawValue)),
        "A change on the way: `lowercase`, `uppercase`, `trim`, or a full name's `first_name` (its first word) or `last_name` (the rest)."
      ),
      FieldSchema(
        "values", .map(.scalar),
        "Maps source values to target values (a Manatal stage name to a Wix label, say)."),
      FieldSchema("default", .scalar, "The value when `values` has no entry; else the source value passes through."),
      FieldSchema(
        "link", .reference("SyncRule"),
        "The id of the record another rule with the same source linked this record to (an application's candidate, for the rule that makes its match)."
      ),
      FieldSchema(
        "placement", .reference("Board"),
        "The value names a posting: the target gets the id of that posting's placement on this board (its Manatal job id)."
      ),
    ])

  public static let syncRule = KindSchema(
    kind: "SyncRule", summary: "Records moving from one board to another: planned by `plan`, moved by `apply`.",
    object: ObjectSchema(
      "SyncRule",
      [
        FieldSchema("kind", .enumeration(["SyncRule"]), required: true, "Document kind."),
        FieldSchema("name", .string(.name), required: true, "Rule name; sync addresses are `sync.<rule>`."),
        FieldSchema(
          "source",
          .object(
            ObjectSchema(
              "SyncSource",
              syncEndpointFields + [
                FieldSchema(
                  "filter", .map(.oneOf([.scalar, .array(.scalar, minItems: 1)])),
                  "Only records whose field holds this value (or one of these values), e.g. `form: job-application`."
                )
              ])), required: true, "Where records come from."),
        FieldSchema(
          "target", .object(ObjectSchema("SyncTarget", syncEndpointFields)), required: true, "Where records go."),
        FieldSchema(
          "match",
          .object(
            ObjectSchema(
              "SyncMatch",
              [
                FieldSchema("source", .string(), required: true, "The source field compared."),
                FieldSchema("target", .string(), required: true, "The target field compared."),
                FieldSchema("ignore_case", .boolean, default: "true", "Compare ignoring case, as email addresses are."),
                FieldSchema(
                  "via", .reference("SyncRule"),
                  "The source field holds an id another rule links: compare the record that rule linked to it (a match's candidate → the contact linked to that candidate). Such a rule updates what it finds and creates nothing."
                ),
              ])),
          "How a record without a link finds its target record, so a first run links instead of creating a second one."
        ),
        FieldSchema(
          "map", .map(.oneOf([.string(), .object(syncMapping)])), required: true,
          "Target field: a source field's name, or a mapping with `field`, `const`, `template` or `link`."),
        FieldSchema(
          "direction", .enumeration(SyncRule.Direction.allCases.map(\.rawValue)), default: "one_way",
          "`one_way` moves source to target; `two_way` also carries edits made on the target back."),
        FieldSchema(
          "conflict", .enumeration(SyncRule.Conflict.allCases.map(\.rawValue)),
          "two_way only, and required there: what happens when both sides changed a field. `review` keeps both values until `boardctl sync resolve`."
        ),
        FieldSchema(
          "consent",
          .object(
            ObjectSchema(
              "SyncConsent",
              [
                FieldSchema("field", .string(), required: true, "The source field that records consent."),
                FieldSchema(
                  "values", .array(.scalar, minItems: 1), required: true,
                  "The values that mean consent was given; any other value, or none, means it was not."),
              ])), "Records without consent are never transferred; they are counted in the plan."),
        FieldSchema(
          "retention",
          .object(
            ObjectSchema(
              "SyncRetention",
              [
                FieldSchema("days", .integer(minimum: 1), required: true, "How long a linked record is kept."),
                FieldSchema(
                  "action", .enumeration(SyncRule.RetentionAction.allCases.map(\.rawValue)), required: true,
                  "What happens to it then, on every linked platform."),
              ])), "How long synced personal data is kept."),
        FieldSchema(
          "on_delete", .enumeration(SyncRule.OnDelete.allCases.map(\.rawValue)), default: "ignore",
          "What a record's disappearance from the source does to its target: nothing, delete it, or forget the link."
        ),
        FieldSchema(
          "schedule", .string(.duration), "How often `boardctl serve` runs the rule; the CLI runs every rule on apply."),
      ]))
}
