import BoardSpec

extension Wix {
  /// The Wix records sync rules read and write, by the field names rules use.
  static let syncObjects: [SyncObjectSchema] = [
    SyncObjectSchema(
      name: "contacts", summary: "The site's contacts (Contacts v4).",
      fields: [
        "id", "email", "first_name", "last_name", "phone", "company", "job_title", "labels", "created_at",
        "updated_at",
      ], writable: ["email", "first_name", "last_name", "phone", "company", "job_title", "labels"],
      openPrefixes: ["extended."], setFields: ["labels"]),
    SyncObjectSchema(
      name: "form_submissions", summary: "Wix Forms submissions; a form's own fields by their names.",
      fields: ["id", "form", "status", "contact_id", "member_id", "created_at", "updated_at"], openPrefixes: [""],
      erasable: true),
    SyncObjectSchema(
      name: "members", summary: "The site's members.",
      fields: [
        "id", "email", "first_name", "last_name", "nickname", "status", "contact_id", "created_at", "updated_at",
      ]),
    .postings,
  ]
}
