import BoardSecrets
import Foundation
import Testing

let canary = "canary-4f1d-never-print-me"
let binding = SealBinding(workspace: "acme", credential: "manatal", field: "token")

@Suite("Sealing")
struct SealingTests {
  @Test("a value sealed to a key opens with that key")
  func roundTrip() throws {
    let key = PrivateKey.generate(name: "ci")
    let ciphertext = try Sealing.seal(Secret(canary), for: binding, to: key.publicKey)
    #expect(!ciphertext.contains(canary))
    #expect(try Sealing.open(ciphertext, for: binding, with: key).value.revealText() == canary)
  }

  @Test("with several recipients, each opens its own ciphertext and no other")
  func severalRecipients() throws {
    let ci = PrivateKey.generate(name: "ci")
    let laptop = PrivateKey.generate(name: "laptop")
    let forCI = try Sealing.seal(Secret(canary), for: binding, to: ci.publicKey)
    let forLaptop = try Sealing.seal(Secret(canary), for: binding, to: laptop.publicKey)
    #expect(try Sealing.open(forCI, for: binding, with: ci).value.revealText() == canary)
    #expect(try Sealing.open(forLaptop, for: binding, with: laptop).value.revealText() == canary)
    #expect(throws: SealError.cannotOpen(keyID: laptop.publicKey.id)) {
      try Sealing.open(forCI, for: binding, with: laptop)
    }
  }

  @Test("one flipped byte is detected", arguments: [0, 10, 40, 70])
  func tampered(position: Int) throws {
    let key = PrivateKey.generate(name: "ci")
    var bytes = [UInt8](Data(base64Encoded: try Sealing.seal(Secret(canary), for: binding, to: key.publicKey))!)
    bytes[position % bytes.count] ^= 0x01
    #expect(throws: SealError.cannotOpen(keyID: key.publicKey.id)) {
      try Sealing.open(Data(bytes).base64EncodedString(), for: binding, with: key)
    }
  }

  @Test("a ciphertext moved to another credential or field does not open there")
  func moved() throws {
    let key = PrivateKey.generate(name: "ci")
    let ciphertext = try Sealing.seal(Secret(canary), for: binding, to: key.publicKey)
    let elsewhere = SealBinding(workspace: "acme", credential: "wix", field: "api_key")
    do {
      _ = try Sealing.open(ciphertext, for: elsewhere, with: key)
      Issue.record("opened under another binding")
    } catch let error as SealError {
      #expect(error == .wrongBinding(expected: elsewhere, found: binding))
      #expect(!error.description.contains(canary))
      #expect(error.description.contains("copied from another credential or field"))
    }
  }

  @Test("garbage and empty values are refused")
  func malformed() {
    let key = PrivateKey.generate(name: "ci")
    #expect(throws: SealError.malformed) { try Sealing.open("not base64!", for: binding, with: key) }
    #expect(throws: SealError.malformed) { try Sealing.open("AAAA", for: binding, with: key) }
    #expect(throws: SealError.emptyValue) { try Sealing.seal(Secret(""), for: binding, to: key.publicKey) }
  }

  @Test("fingerprints: the same for every recipient of a field, different for another value or a fresh seal")
  func fingerprints() throws {
    let (ci, laptop) = (PrivateKey.generate(name: "ci"), PrivateKey.generate(name: "laptop"))
    let fk = Sealing.newFingerprintKey()
    let forCI = try Sealing.open(
      Sealing.seal(Secret(canary), for: binding, to: ci.publicKey, fingerprintKey: fk), for: binding, with: ci)
    let forLaptop = try Sealing.open(
      Sealing.seal(Secret(canary), for: binding, to: laptop.publicKey, fingerprintKey: fk), for: binding, with: laptop)
    let a = forCI.fingerprint(binding: binding)
    #expect(a == forLaptop.fingerprint(binding: binding))
    let rotated = try Sealing.open(
      Sealing.seal(Secret(canary + "x"), for: binding, to: ci.publicKey, fingerprintKey: fk), for: binding, with: ci)
    #expect(a != rotated.fingerprint(binding: binding))
    let resealedFresh = try Sealing.open(
      Sealing.seal(Secret(canary), for: binding, to: ci.publicKey), for: binding, with: ci)
    #expect(a != resealedFresh.fingerprint(binding: binding))
    #expect(!a.contains(canary))
  }
}

@Suite("Keys")
struct KeyTests {
  @Test("a key file round-trips; its id is the name and a short fingerprint")
  func keyFile() throws {
    let key = PrivateKey.generate(name: "ci")
    let parsed = try #require(PrivateKey(fileText: key.fileText))
    #expect(parsed.publicKey == key.publicKey)
    #expect(key.publicKey.id.hasPrefix("ci:"))
    #expect(key.publicKey.id.count == 11)
  }

  @Test(
    "malformed key files are refused",
    arguments: ["", "boardctl-key-v1:ci", "boardctl-key-v2:ci:AAAA:AAAA", "hello world"])
  func malformedKeyFile(text: String) {
    #expect(PrivateKey(fileText: text) == nil)
  }

  @Test("a key file whose public key does not match its secret key is refused")
  func mismatchedKeyFile() {
    let a = PrivateKey.generate(name: "a").fileText.split(separator: ":")
    let b = PrivateKey.generate(name: "a").fileText.split(separator: ":")
    #expect(PrivateKey(fileText: [a[0], a[1], a[2], b[3]].joined(separator: ":")) == nil)
  }
}

@Suite("Secret")
struct SecretTests {
  @Test("every way of printing or encoding a secret is redacted")
  func redacted() throws {
    let secret = Secret(canary)
    var dumped = ""
    dump(secret, to: &dumped)
    let encoded = String(decoding: try JSONEncoder().encode(["token": secret]), as: UTF8.self)
    for text in ["\(secret)", String(describing: secret), String(reflecting: secret), dumped, encoded] {
      #expect(!text.contains(canary), "\(text)")
    }
    #expect("\(secret)" == "(sensitive value)")
    #expect(encoded == "{\"token\":\"(sensitive value)\"}")
  }

  @Test("reveal gives the value to the code that needs it")
  func reveal() {
    #expect(Secret(canary).revealText() == canary)
    #expect(Secret(canary) == Secret(canary))
    #expect(Secret(canary) != Secret("other"))
  }
}
