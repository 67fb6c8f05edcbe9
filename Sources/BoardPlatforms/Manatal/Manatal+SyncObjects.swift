import BoardSpec

extension Manatal {
  static let candidateFields = [
    "full_name", "email", "phone_number", "source_type", "source_other", "consent", "current_company",
    "current_position", "address", "zipcode", "description",
  ]

  /// The Manatal records sync rules read and write, by the field names rules use (the API's own).
  static let syncObjects: [SyncObjectSchema] = [
    SyncObjectSchema(
      name: "candidates", summary: "Candidates in the ATS.",
      fields: ["id"] + candidateFields + ["created_at", "updated_at"], writable: candidateFields + ["note"],
      openPrefixes: ["custom_fields."], required: ["full_name"], appendOnly: ["note"]),
    SyncObjectSchema(
      name: "matches", summary: "Applications: a candidate on a job, at a pipeline stage.",
      fields: ["id", "candidate", "job", "stage", "is_active", "created_at", "updated_at"],
      writable: ["candidate", "job", "stage", "note"], required: ["candidate", "job"], appendOnly: ["note"]),
    SyncObjectSchema(
      name: "jobs", summary: "Jobs in the ATS.",
      fields: [
        "id", "position_name", "description", "status", "is_published", "city", "state", "country", "is_remote",
        "contract_details", "salary_min", "salary_max", "currency", "frequency", "created_at", "updated_at",
      ]),
  ]
}
