import ArgumentParser

/// The `--format` of `plan` and `validate`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, markdown, github
}

/// `--format`, for the commands that have it: their results, and their failures, in that form.
struct OutputFormatOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Output format: text, json, markdown (a pull-request comment) or github (text with workflow annotations on each problem's file and line).",
      valueName: "format"))
  var format: OutputFormat = .text
}
