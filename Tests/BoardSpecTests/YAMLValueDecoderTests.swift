import Testing

@testable import BoardSpec

@Suite("Typed settings from YAML")
struct YAMLValueDecoderTests {
  struct Settings: Decodable, Equatable {
    struct Limit: Decodable, Equatable {
      var requests: Int
      var perSeconds: Double
      enum CodingKeys: String, CodingKey {
        case requests
        case perSeconds = "per_seconds"
      }
    }
    var endpoint: String
    var limit: Limit
    var hooks: [String]
    var enabled: Bool
    var note: String?
    var labels: [String: String]
  }

  @Test("decodes nested mappings, lists, numbers, booleans and absent optionals by their YAML keys")
  func decodes() throws {
    let text = """
      endpoint: https://api.example/v3
      limit: {requests: 100, per_seconds: 60}
      hooks: [a, b]
      enabled: yes
      labels: {team: ops}
      """
    let settings = try #require(YAMLDocumentReader.read(text, file: "b.yaml").documents.first)
    let decoded = try YAMLValueDecoder().decode(Settings.self, from: settings)
    #expect(
      decoded
        == Settings(
          endpoint: "https://api.example/v3", limit: .init(requests: 100, perSeconds: 60), hooks: ["a", "b"],
          enabled: true, note: nil, labels: ["team": "ops"]))
  }

  @Test("a value of the wrong type is an error naming its key path, never a crash")
  func mismatch() throws {
    let text = "{endpoint: x, limit: {requests: many, per_seconds: 1}}"
    let settings = try #require(YAMLDocumentReader.read(text, file: "b.yaml").documents.first)
    #expect {
      try YAMLValueDecoder().decode(Settings.self, from: settings)
    } throws: { error in
      (error as? YAMLValueDecodingError)?.path == "limit.requests"
    }
  }
}
