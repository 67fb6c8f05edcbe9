import Foundation

/// Where a path really is on this machine.
public enum RealPath {
  /// The real path of `path`: symbolic links resolved as far as it exists, the rest appended
  /// (a file apply has not written yet is where its folder really is).
  public static func of(_ path: String, depth: Int = 0) -> String {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    var existing = absolute
    var rest: [String] = []
    while !existing.isEmpty, existing != "/" {
      if let resolved = realpath(existing, nil) {
        defer { free(resolved) }
        let base = String(cString: resolved)
        let joined = ([base == "/" ? "" : base] + rest.reversed()).joined(separator: "/")
        return joined.isEmpty ? "/" : joined
      }
      // A link whose target does not exist yet: where writing through it would land.
      if depth < 40, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: existing) {
        let parent = URL(fileURLWithPath: existing).deletingLastPathComponent().path
        let followed = target.hasPrefix("/") ? target : parent + "/" + target
        return of(([followed] + rest.reversed()).joined(separator: "/"), depth: depth + 1)
      }
      let url = URL(fileURLWithPath: existing)
      rest.append(url.lastPathComponent)
      existing = url.deletingLastPathComponent().path
    }
    return absolute
  }

  /// Whether `path` really is inside `folder` (not the folder itself), after following links.
  public static func isInside(_ path: String, folder: String) -> Bool {
    let real = of(path)
    let base = of(folder)
    return real.hasPrefix(base == "/" ? "/" : base + "/")
  }
}
