import BoardSpec
import BoardTesting
import Testing

/// Two platforms with sync objects, as the loader sees them: a form-and-contacts site and an ATS.
private let syncPlatforms =
  [
    PlatformDescriptor(
      id: "careers-site", summary: "",
      settings: ObjectSchema(
        "careers-site settings",
        [FieldSchema("output", .string(.path), required: true, ""), FieldSchema("base_url", .string(.url), "")]),
      needsCredential: false, syncObjects: [.postings])
  ] + testPlatforms.filter { $0.id != "careers-site" } + [
    PlatformDescriptor(
      id: "site", summary: "", settings: ObjectSchema("s", []), needsCredential: false,
      syncObjects: [
        SyncObjectSchema(
          name: "contacts", summary: "", fields: ["id", "email", "first_name", "last_name", "updated_at"],
          writable: ["email", "first_name", "last_name"]),
        SyncObjectSchema(name: "form_submissions", summary: "", fields: ["id", "form"], openPrefixes: [""]),
      ]),
    PlatformDescriptor(
      id: "ats", summary: "", settings: ObjectSchema("s", []), needsCredential: false,
      syncObjects: [
        SyncObjectSchema(
          name: "candidates", summary: "", fields: ["id", "full_name", "email", "source_type"],
          writable: ["full_name", "email", "source_type"], openPrefixes: ["custom_fields."], required: ["full_name"])
      ]),
  ]

private let boards = """
  kind: Board
  name: feed
  platform: indeed-feed
  ---
  kind: Board
  name: careers
  platform: careers-site
  settings: {output: public}
  ---
  kind: Board
  name: site
  platform: site
  ---
  kind: Board
  name: ats
  platform: ats
  ---

  """

private let rule = """
  kind: SyncRule
  name: contacts-out
  source: {board: site, object: contacts}
  target: {board: ats, object: candidates}
  match: {source: email, target: email}

  """

private func loadRules(_ text: String) -> ConfigLoader.Result {
  ConfigLoader(platforms: syncPlatforms).load(files: [("boards.d/a.yaml", text)])
}

@Suite("SyncRule documents: decoded as written, every mistake at its position")
struct SyncRuleLoaderTests {
  @Test("a rule with every key decodes to the model")
  func decodes() throws {
    let result = loadRules(
      boards + """
        kind: SyncRule
        name: applications-in
        source: {board: site, object: form_submissions, filter: {form: [job-application, general]}}
        target: {board: ats, object: candidates}
        match: {source: email, target: email, ignore_case: false}
        map:
          full_name: {template: "{{first_name}} {{last_name}}"}
          email: {field: email, transform: lowercase}
          source_type: {const: applied}
          custom_fields.stage: {field: stage, values: {Interview: interviewing}, default: other}
          custom_fields.phone: phone
        consent: {field: consent_to_share, values: [true, "yes"]}
        retention: {days: 730, action: anonymize}
        on_delete: unlink
        schedule: 5m
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    let rule = try #require(result.config?.syncRule(named: "applications-in"))
    #expect(
      rule.source
        == SyncRule.Endpoint(
          board: "site", object: "form_submissions", filter: ["form": ["job-application", "general"]]))
    #expect(rule.match == SyncRule.Match(source: "email", target: "email", ignoreCase: false))
    #expect(
      rule.map.map(\.target) == ["full_name", "email", "source_type", "custom_fields.stage", "custom_fields.phone"])
    #expect(rule.map[0].source == .template("{{first_name}} {{last_name}}"))
    #expect(rule.map[1] == SyncRule.Mapping(target: "email", source: .field("email"), transform: .lowercase))
    #expect(rule.map[2].source == .constant("applied"))
    #expect(rule.map[3].values == ["Interview": "interviewing"] && rule.map[3].fallback == "other")
    #expect(rule.consent == SyncRule.Consent(field: "consent_to_share", values: ["true", "yes"]))
    #expect(rule.retention == SyncRule.Retention(days: 730, action: .anonymize))
    #expect(rule.direction == .oneWay && rule.onDelete == .unlink && rule.schedule == "5m")
  }

  static let cases: [DiagnosticCase] = [
    DiagnosticCase(
      name: "object the platform lacks",
      document:
        "kind: SyncRule\nname: r\nsource: {board: site, object: ⟨!⟩contact}\ntarget: {board: ats, object: candidates}\nmap: {email: email}\n",
      message: "site board 'site' has no object 'contact'; it has contacts, form_submissions",
      note: "did you mean 'contacts'?"),
    DiagnosticCase(
      name: "board whose platform has no sync objects",
      document:
        "kind: SyncRule\nname: r\nsource: {board: ⟨!⟩feed, object: pages}\ntarget: {board: ats, object: candidates}\nmap: {email: email}\n",
      message:
        "board 'feed' (indeed-feed) has no records sync rules can move; sync rules work with boards of careers-site, site, ats"
    ),
    DiagnosticCase(
      name: "undefined board",
      document:
        "kind: SyncRule\nname: r\nsource: {board: ⟨!⟩sites, object: contacts}\ntarget: {board: ats, object: candidates}\nmap: {email: email}\n",
      message: "'source.board' refers to Board 'sites', which is not defined", note: "did you mean 'site'?"),
    DiagnosticCase(
      name: "target field the object lacks",
      document: rule + "map:\n  ⟨!⟩emial: email\n",
      message: "ats's candidates have no field 'emial'", note: "did you mean 'email'?"),
    DiagnosticCase(
      name: "source field the object lacks",
      document: rule + "map:\n  email: ⟨!⟩e_mail\n",
      message: "site's contacts have no field 'e_mail'", note: "did you mean 'email'?"),
    DiagnosticCase(
      name: "template variable the source lacks",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"{{first_name}} {{lastname}}\"}\n",
      message: "site's contacts have no field 'lastname'", note: "did you mean 'last_name'?"),
    DiagnosticCase(
      name: "match field the target lacks",
      document:
        "kind: SyncRule\nname: r\nsource: {board: site, object: contacts}\ntarget: {board: ats, object: candidates}\nmatch: {source: email, target: ⟨!⟩mail}\nmap: {email: email}\n",
      message: "ats's candidates have no field 'mail'"),
    DiagnosticCase(
      name: "consent field the source lacks",
      document: rule + "map: {email: email}\nconsent: {field: ⟨!⟩consent, values: [true]}\n",
      message: "site's contacts have no field 'consent'"),
    DiagnosticCase(
      name: "two-way rule without a conflict policy",
      document: rule + "map: {email: email}\n⟨!⟩direction: two_way\n",
      message: "a two_way rule needs a conflict policy"),
    DiagnosticCase(
      name: "conflict on a one-way rule",
      document: rule + "map: {email: email}\n⟨!⟩conflict: review\n",
      message: "conflict applies to two_way rules only"),
    DiagnosticCase(
      name: "two-way rule whose source cannot be written",
      document:
        "kind: SyncRule\nname: r\nsource: {board: site, object: form_submissions}\ntarget: {board: ats, object: candidates}\nmap: {email: email}\ndirection: ⟨!⟩two_way\nconflict: review\n",
      message: "a two_way rule writes its source too, and site's form_submissions cannot be written"),
    DiagnosticCase(
      name: "target that cannot be written",
      document:
        "kind: SyncRule\nname: r\nsource: {board: ats, object: candidates}\ntarget: {board: site, object: ⟨!⟩form_submissions}\nmap: {email: email}\n",
      message: "sync rules can read site's form_submissions but not write them"),
    DiagnosticCase(
      name: "mapping with two sources",
      document: rule + "map:\n  ⟨!⟩email: {field: email, const: x}\n",
      message: "map.email gives field and const; give exactly one"),
    DiagnosticCase(
      name: "mapping with no source",
      document: rule + "map:\n  ⟨!⟩email: {transform: lowercase}\n",
      message: "map.email says nothing of where its value comes from"),
    DiagnosticCase(
      name: "transform on a constant",
      document: rule + "map:\n  email: {const: x, ⟨!⟩transform: trim}\n",
      message: "'transform' changes a field's value, and a const has none to change"),
    DiagnosticCase(
      name: "unknown transform",
      document: rule + "map:\n  email: {field: email, transform: ⟨!⟩lowercse}\n",
      message: "'map.email.transform' must be one of lowercase", note: "did you mean 'lowercase'?"),
    DiagnosticCase(
      name: "map value of the wrong shape",
      document: rule + "map:\n  email: ⟨!⟩[email]\n",
      message: "'map.email' must be a string or a mapping; found a list"),
    DiagnosticCase(
      name: "filter on a field the source lacks",
      document:
        "kind: SyncRule\nname: r\nsource: {board: site, object: contacts, filter: {⟨!⟩label: x}}\ntarget: {board: ats, object: candidates}\nmap: {email: email}\n",
      message: "site's contacts have no field 'label'"),
    DiagnosticCase(
      name: "a link to a rule with another source",
      document:
        rule
        + "map: {email: email}\n---\nkind: SyncRule\nname: forms\nsource: {board: site, object: form_submissions}\ntarget: {board: ats, object: candidates}\nmap:\n  email: {link: ⟨!⟩contacts-out}\n",
      message:
        "rule 'contacts-out' reads site.contacts, not site.form_submissions: a link names a rule with the same source"),
    DiagnosticCase(
      name: "a link to its own rule",
      document: rule + "map:\n  email: {link: ⟨!⟩contacts-out}\n",
      message: "map.email links to its own rule"),
    DiagnosticCase(
      name: "a link to a rule that does not exist",
      document: rule + "map:\n  email: {link: ⟨!⟩contact-out}\n",
      message: "'map.email.link' refers to SyncRule 'contact-out', which is not defined",
      note: "did you mean 'contacts-out'?"),
    DiagnosticCase(
      name: "a transform on a link",
      document: rule + "map:\n  email: {link: contacts-out, ⟨!⟩transform: trim}\n",
      message: "'transform' changes a field's value, and a link has none to change"),
    DiagnosticCase(
      name: "a placement on a board that does not exist",
      document: rule + "map:\n  email: {field: email, placement: ⟨!⟩atz}\n",
      message: "'map.email.placement' refers to Board 'atz', which is not defined", note: "did you mean 'ats'?"),
    DiagnosticCase(
      name: "match via a rule that does not link the target",
      document:
        rule
        + "map: {email: email}\n---\nkind: SyncRule\nname: back\nsource: {board: ats, object: candidates}\ntarget: {board: site, object: form_submissions}\nmatch: {source: id, target: id, via: ⟨!⟩contacts-out}\nmap: {email: email}\n",
      message:
        "match.via names rule 'contacts-out', which links site.contacts and ats.candidates; it must link site.form_submissions"
    ),
    DiagnosticCase(
      name: "a rule that makes postings without a title",
      document:
        "kind: SyncRule\nname: r\nsource: {board: ats, object: candidates}\ntarget: {board: careers, object: postings}\n⟨!⟩map: {description: full_name}\n",
      message: "a rule that makes postings must map 'title'"),
    DiagnosticCase(
      name: "postings as a source",
      document:
        "kind: SyncRule\nname: r\nsource: {board: careers, object: ⟨!⟩postings}\ntarget: {board: ats, object: candidates}\nmap: {full_name: title}\n",
      message: "postings are made from other records; they cannot be a rule's source"),
    DiagnosticCase(
      name: "a template that includes a partial",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"{{> /etc/passwd}}\"}\n",
      message: "map.full_name: the template includes a partial"),
    DiagnosticCase(
      name: "a template that changes its delimiters",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"{{=<% %>=}}<% nosuch %>\"}\n",
      message: "map.full_name: the template changes the delimiters"),
    DiagnosticCase(
      name: "a template nested too deep",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"\(String(repeating: "{{#email}}", count: 500))x\"}\n",
      message: "map.full_name: the template nests sections more than 16 deep"),
    DiagnosticCase(
      name: "a template too long",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"\(String(repeating: "{{email}}", count: 3_000))\"}\n",
      message: "map.full_name: the template is longer than 20000 characters"),
    DiagnosticCase(
      name: "an empty template",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"  \"}\n",
      message: "map.full_name: the template is empty"),
    DiagnosticCase(
      name: "a template that prints the whole record",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"{{.}}\"}\n",
      message: "map.full_name: the template prints the whole record"),
    DiagnosticCase(
      name: "a template that prints the whole record from an inverted section",
      document: rule + "map:\n  full_name: {template: ⟨!⟩\"{{^email}}{{&.}}{{/email}}\"}\n",
      message: "map.full_name: the template prints the whole record"),
    DiagnosticCase(
      name: "a two-way rule that cannot make its source's records",
      document:
        "kind: SyncRule\nname: r\nsource: {board: ats, object: candidates}\ntarget: {board: site, object: contacts}\n⟨!⟩map: {email: email}\ndirection: two_way\nconflict: review\n",
      message: "a two_way rule makes candidates too, so it must carry 'full_name' back"),
    DiagnosticCase(
      name: "match via its own rule",
      document:
        "kind: SyncRule\nname: back\nsource: {board: ats, object: candidates}\ntarget: {board: site, object: contacts}\nmatch: {source: id, target: id, via: ⟨!⟩back}\nmap: {email: email}\n",
      message: "match.via names this rule itself"),
    DiagnosticCase(
      name: "match via a rule that matches through via itself",
      document:
        rule
        + "map: {email: email}\n---\nkind: SyncRule\nname: one\nsource: {board: ats, object: candidates}\ntarget: {board: site, object: contacts}\nmatch: {source: id, target: id, via: contacts-out}\nmap: {email: email}\n---\nkind: SyncRule\nname: two\nsource: {board: ats, object: candidates}\ntarget: {board: site, object: contacts}\nmatch: {source: id, target: id, via: ⟨!⟩one}\nmap: {email: email}\n",
      message: "match.via names rule 'one', which itself matches through match.via"),
    DiagnosticCase(
      name: "a rule that makes candidates without the field a candidate needs",
      document: rule + "⟨!⟩map: {email: email}\n",
      message: "a rule that makes candidates must map 'full_name': ats cannot make one without it"),
    DiagnosticCase(
      name: "a board named sync",
      document: "kind: Board\nname: ⟨!⟩sync\nplatform: indeed-feed\n",
      message: "a board cannot be named 'sync'"),
  ]

  @Test("reports the mistake at its position", arguments: cases)
  func reports(_ testCase: DiagnosticCase) {
    expectReported(testCase, after: boards, by: loadRules)
  }
}
