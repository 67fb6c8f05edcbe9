/// Masks a synced person's data in what boardctl prints: `ana@example.org` → `a•••@example.org`,
/// `Ana Tui` → `A•••`, `+679 555 0101` → `+•••`. Ids are not personal data and are shown.
public enum PersonalData {
  public static func mask(_ value: String) -> String {
    guard let first = value.first else { return "" }
    if let at = value.firstIndex(of: "@") { return "\(first)•••\(value[at...])" }
    return "\(first)•••"
  }
}
