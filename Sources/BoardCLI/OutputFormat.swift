import ArgumentParser

/// The `--format` of `plan` and `validate`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, markdown, github
}
