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

@Suite("SHA-256")
struct SHA256Tests {
  @Test(
    "matches the FIPS 180-4 test vectors",
    arguments: [
      ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
      ),
    ])
  func vectors(input: String, digest: String) {
    #expect(SHA256.hex(input) == digest)
  }

  @Test("hashing in pieces equals hashing at once")
  func incremental() {
    let text = String(repeating: "boardctl ", count: 1000)
    var hasher = SHA256()
    for chunk in text.split(separator: " ") { hasher.update(chunk + " ") }
    #expect(hasher.finalize().hexString == SHA256.hex(text))
  }
}
