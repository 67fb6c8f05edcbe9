import ArgumentParser
import BoardPlatforms
import BoardSpec

struct SchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Print the JSON Schema of boards.d documents (for yaml-language-server), or the configuration reference.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, markdown
  }

  @Option(name: .long, help: "json (JSON Schema draft 2020-12) or markdown (the configuration reference).")
  var format: Format = .json

  func run() throws {
    switch format {
    case .json: print(JSONSchemaExporter.export(platforms: Platforms.descriptors), terminator: "")
    case .markdown: print(ReferenceDocument.render(platforms: Platforms.descriptors), terminator: "")
    }
  }
}
