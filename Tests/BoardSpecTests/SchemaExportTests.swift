import BoardSpec
import Foundation
import Testing

@Suite("JSON Schema and reference generated from the one schema")
struct SchemaExportTests {
  @Test("the JSON Schema is draft 2020-12 with a definition per kind")
  func jsonSchema() throws {
    let text = JSONSchemaExporter.export(platforms: testPlatforms)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    let definitions = try #require(object["$defs"] as? [String: Any])
    #expect(Set(definitions.keys) == Set(ConfigSchema.kinds.map(\.kind)))
    let posting = try #require(definitions["Posting"] as? [String: Any])
    #expect(posting["additionalProperties"] as? Bool == false)
    #expect((posting["required"] as? [String])?.contains("boards") == true)
  }

  @Test("the reference lists every key of every kind")
  func reference() {
    let text = ReferenceDocument.render(platforms: testPlatforms)
    for kind in ConfigSchema.kinds {
      #expect(text.contains("`kind: \(kind.kind)`"))
      for field in kind.object.fields { #expect(text.contains("| `\(field.name)` |")) }
    }
    #expect(text.contains("| `salary.currency` |"))
    #expect(text.contains("| `settings.base_url` |"))
  }
}
