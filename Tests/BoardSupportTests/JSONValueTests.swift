import BoardSupport
import Foundation
import Testing

@Suite("JSON values")
struct JSONValueTests {
  @Test("parses and re-encodes any JSON, keys sorted, slashes unescaped, whole numbers without .0")
  func roundTrip() throws {
    let text = #"{"b":[1,2.5,"x",null,true],"a":{"url":"https://x.example/a/b","n":-3}}"#
    let value = try #require(JSONValue.parse(Data(text.utf8)))
    #expect(
      String(decoding: value.data, as: UTF8.self)
        == #"{"a":{"n":-3,"url":"https://x.example/a/b"},"b":[1,2.5,"x",null,true]}"#)
    #expect(JSONValue.parse(value.data) == value)
  }

  @Test("reads numbers sent as strings, as Django's DecimalField does, and ids both ways")
  func lenientScalars() {
    let job: JSONValue = ["id": 42, "salary_min": "40000.00", "external_id": "boardctl:x", "published": true]
    #expect(job["id"]?.string == "42")
    #expect(job["id"]?.int == 42)
    #expect(job["salary_min"]?.double == 40000)
    #expect(job["published"]?.bool == true)
    #expect(job["missing"] == nil)
    #expect(job["external_id"]?.int == nil)
  }

  @Test("is not JSON: nil, never a crash", arguments: ["", "{", "[1,", "nul"])
  func notJSON(text: String) {
    #expect(JSONValue.parse(Data(text.utf8)) == nil)
  }
}
