/// An area of the Wix API an API key may be allowed to use; a request to an area whose scope
/// the key lacks is a 403 naming the missing permission.
public enum WixScope: String, Sendable, CaseIterable {
  case blog
  case contacts
  case extendedFields = "extended-fields"
  case forms
  case members

  /// How Wix's 403 names the permission.
  var permission: String {
    switch self {
    case .blog: return "MANAGE-BLOG"
    case .contacts: return "MANAGE-CONTACTS"
    case .extendedFields: return "MANAGE-EX-FIELDS"
    case .forms: return "MANAGE-SUBMISSIONS"
    case .members: return "MANAGE-MEMBERS"
    }
  }
}
