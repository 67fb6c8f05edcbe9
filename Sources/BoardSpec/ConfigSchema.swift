/// The schema of every document kind in `boards.d`: the user-facing contract of CONFIG.md.
public enum ConfigSchema {
  public static let employmentTypes = [
    "full_time", "part_time", "contractor", "temporary", "intern", "volunteer", "per_diem", "other",
  ]
  public static let salaryPeriods = ["hour", "day", "week", "month", "year"]
  public static let tiers = ["free", "paid", "premium"]
  public static let onRemove = ["close", "delete", "keep"]

  static let location = ObjectSchema(
    "Location",
    [
      FieldSchema("street_address", .string(), "Street and number."),
      FieldSchema("city", .string(), "City (schema.org addressLocality)."),
      FieldSchema("region", .string(), "State, province or region (addressRegion)."),
      FieldSchema("country", .string(.country), "ISO 3166-1 alpha-2 country code, e.g. `FJ`."),
      FieldSchema("postal_code", .string(), "Postal code; quote it if it has leading zeros."),
      FieldSchema(
        "remote", .boolean, default: "false",
        "Fully remote: published as TELECOMMUTE, open to applicants in `country`."),
    ])

  static let salary = ObjectSchema(
    "Salary",
    [
      FieldSchema("min", .number(minimum: 0), "Lowest pay in the range."),
      FieldSchema("max", .number(minimum: 0), "Highest pay in the range; omit for a single value."),
      FieldSchema("currency", .string(.currency), required: true, "ISO 4217 currency code, e.g. `USD`."),
      FieldSchema("period", .enumeration(salaryPeriods), required: true, "What the amounts are paid per."),
    ])

  /// The posting fields a board may override (`overrides: {board: {...}}`).
  static let overridableFields: [FieldSchema] = [
    FieldSchema("title", .string(), "The job title only: no salary, location or type (Indeed rejects those)."),
    FieldSchema("description", .string(), "Markdown; each board gets HTML or text as it needs."),
    FieldSchema("employment_type", .enumeration(employmentTypes), "Kind of employment."),
    FieldSchema("location", .object(location), "Where the job is."),
    FieldSchema("salary", .object(salary), "Pay range; published as schema.org baseSalary."),
    FieldSchema("valid_through", .string(.date), "Last day the posting is open (`YYYY-MM-DD`)."),
    FieldSchema("apply_url", .string(.url), "Where candidates apply."),
  ]

  public static let workspace = KindSchema(
    kind: "Workspace", summary: "Workspace-wide settings; at most one document, every key optional.",
    singleton: true,
    object: ObjectSchema(
      "Workspace",
      [
        FieldSchema("kind", .enumeration(["Workspace"]), required: true, "Document kind."),
        FieldSchema("name", .string(.name), required: true, "Workspace name."),
        FieldSchema(
          "state",
          .object(
            ObjectSchema(
              "State",
              [
                FieldSchema(
                  "backend", .enumeration(StateSettings.Backend.allCases.map(\.rawValue)), default: "sqlite",
                  "Where state is kept: `sqlite` (a local file), `git` (a branch of the repository's remote, for CI with no extra infrastructure) or `postgres` (a shared database)."
                ),
                FieldSchema(
                  "path", .string(.path), default: StateSettings.defaultPath,
                  "sqlite: the file, relative to the config folder's parent."),
                FieldSchema(
                  "branch", .string(.gitRef), default: StateSettings.defaultBranch,
                  "git: the orphan branch that holds the state."),
                FieldSchema(
                  "remote", .string(), default: StateSettings.defaultRemote,
                  "git: the repository's remote (a remote name or a URL)."),
                FieldSchema(
                  "url_env", .string(.environmentVariable), default: StateSettings.defaultURLEnvironment,
                  "postgres: the environment variable holding the database URL (never write the URL itself here)."),
                FieldSchema(
                  "url_credential", .reference("Credential"),
                  "postgres: a Credential whose `url` field holds the database URL, instead of `url_env`."),
                FieldSchema(
                  "lease", .string(.duration), default: "60s",
                  "git and postgres: how long a lock lives unless its holder renews it (it does so every third of this); a holder gone for longer is taken over."
                ),
              ])), "Where boardctl keeps what it has applied."),
        FieldSchema(
          "organization",
          .object(
            ObjectSchema(
              "Organization",
              [
                FieldSchema("name", .string(), required: true, "The hiring organization's name."),
                FieldSchema("url", .string(.url), "The organization's website (schema.org sameAs)."),
                FieldSchema("logo", .string(.url), "URL of the organization's logo."),
              ])), "The hiring organization shown on every posting."),
      ]))

  public static let board = KindSchema(
    kind: "Board", summary: "One connection to one platform.",
    object: ObjectSchema(
      "Board",
      [
        FieldSchema("kind", .enumeration(["Board"]), required: true, "Document kind."),
        FieldSchema("name", .string(.name), required: true, "Board name, used in addresses and `boards:` lists."),
        FieldSchema("platform", .string(), required: true, "Adapter id, e.g. `careers-site` or `indeed-feed`."),
        FieldSchema("tier", .enumeration(tiers), default: "free", "Pricing tier of placements on this board."),
        FieldSchema(
          "cost",
          .object(
            ObjectSchema(
              "Cost",
              [
                FieldSchema("per_posting", .number(minimum: 0), required: true, "Price of one placement."),
                FieldSchema("currency", .string(.currency), required: true, "ISO 4217 currency code."),
              ])), "Price of a placement; paid boards feed the plan's cost estimate."),
        FieldSchema(
          "credential", .nullable(.reference("Credential")), default: "null",
          "Name of a Credential document, for boards that need one."),
        FieldSchema("settings", .platformSettings, "Platform-specific settings; see the platform's page."),
        FieldSchema(
          "defaults",
          .object(
            ObjectSchema(
              "BoardDefaults",
              [
                FieldSchema("template", .reference("Template"), "Template for postings that name none.")
              ])), "Posting preferences for this board."),
      ]))

  public static let template = KindSchema(
    kind: "Template", summary: "Mustache templates rendered with the posting's fields.",
    object: ObjectSchema(
      "Template",
      [
        FieldSchema("kind", .enumeration(["Template"]), required: true, "Document kind."),
        FieldSchema("name", .string(.name), required: true, "Template name."),
        FieldSchema(
          "title", .string(.template), "Title template, e.g. `{{title}} ({{location.city}})`; default `{{title}}`."),
        FieldSchema(
          "description", .string(.template),
          "Description template (Markdown); `{{{description}}}` inserts the posting's own."),
      ]))

  public static let posting = KindSchema(
    kind: "Posting", summary: "One job, published to the boards it lists.",
    object: ObjectSchema(
      "Posting",
      [
        FieldSchema("kind", .enumeration(["Posting"]), required: true, "Document kind."),
        FieldSchema("name", .string(.name), required: true, "Posting name; part of every address."),
      ]
        + overridableFields.map { field in
          var field = field
          field.required = ["title", "description"].contains(field.name)
          return field
        }
        + [
          FieldSchema(
            "direct_apply", .boolean, default: "false",
            "Candidates apply on the posting's own page (schema.org directApply)."),
          FieldSchema(
            "boards", .array(.reference("Board"), minItems: 1), required: true, "Boards the posting goes to."),
          FieldSchema("template", .reference("Template"), "Template to render with; else the board's default."),
          FieldSchema(
            "overrides", .map(.object(ObjectSchema("PostingOverride", overridableFields)), keys: "Board"),
            "Per-board field overrides, keyed by board name."),
          FieldSchema(
            "lifecycle",
            .object(
              ObjectSchema(
                "Lifecycle",
                [
                  FieldSchema(
                    "on_remove", .enumeration(onRemove), default: "close",
                    "What removing the posting from boards.d does: close (unpublish), delete, or keep.")
                ])), "What happens when the posting leaves the configuration."),
        ]))

  public static let recipient = KindSchema(
    kind: "Recipient", summary: "A public key credentials are sealed to (`boardctl keys generate` writes it).",
    object: ObjectSchema(
      "Recipient",
      [
        FieldSchema("kind", .enumeration(["Recipient"]), required: true, "Document kind."),
        FieldSchema("name", .string(.name), required: true, "Key name, e.g. `ci` or `alice-laptop`."),
        FieldSchema(
          "key_id", .string(), required: true, "`name:fingerprint`; ciphertexts name the key they are sealed to."),
        FieldSchema("public_key", .string(), required: true, "The X25519 public key, base64."),
      ]))

  public static let credential = KindSchema(
    kind: "Credential", summary: "Sealed secret values (`boardctl seal` writes it); only apply opens them.",
    object: ObjectSchema(
      "Credential",
      [
        FieldSchema("kind", .enumeration(["Credential"]), required: true, "Document kind."),
        FieldSchema("name", .string(.name), required: true, "Credential name; boards refer to it."),
        FieldSchema(
          "fields",
          .map(
            .object(
              ObjectSchema(
                "CredentialField",
                [
                  FieldSchema("sealed_at", .string(), required: true, "When the value was sealed (UTC)."),
                  FieldSchema(
                    "ciphertexts", .map(.string()), required: true,
                    "One sealed box per recipient, keyed by the recipient's key id."),
                ]))), required: true, "The credential's fields (`token`, `api_key`, `site_id`…)."),
      ]))

  /// Every kind, in the order the reference documents them.
  public static let kinds: [KindSchema] = [workspace, board, template, posting, syncRule, recipient, credential]

  /// Whether `text` is a valid document name: lowercase letters, digits and `-`.
  public static func isValidName(_ text: String) -> Bool { SchemaValidator.isValidName(text) }

  /// Whether `text` is a valid credential field name: lowercase letters, digits and `_`.
  public static func isValidFieldName(_ text: String) -> Bool {
    guard let first = text.utf8.first, text.utf8.count <= 63, first != UInt8(ascii: "_") else { return false }
    return text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
  }

  /// Kinds other issues will add; named in "unknown kind" messages only once they exist.
  public static func kind(named name: String) -> KindSchema? { kinds.first { $0.kind == name } }
}
