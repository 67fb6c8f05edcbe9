import BoardSupport
import BoardTesting
import Foundation
import Testing

/// A workspace with two recipient keys and sealed credentials; keys live in the folder's own key dir.
func makeSealedWorkspace(canaries: [String]) async throws -> (TemporaryFolder, Boardctl) {
  let folder = makeWorkspace()
  var boardctl = Boardctl(folder)
  boardctl.environment["BOARDCTL_KEY_DIR"] = folder.path + "/private-keys"
  for name in ["ci", "laptop"] {
    let result = try await boardctl.run("keys", "generate", name)
    #expect(result.status == 0, "\(result.stderr)")
  }
  let one = try await boardctl.run(["seal", "manatal", "--field", "token"], stdin: canaries[0] + "\n")
  #expect(one.status == 0, "\(one.stderr)")
  let two = try await boardctl.run(
    ["seal", "wix", "--field", "api_key", "--field", "site_id"], stdin: canaries[1] + "\n" + canaries[2] + "\n")
  #expect(two.status == 0, "\(two.stderr)")
  return (folder, boardctl)
}

/// Flips one bit in the middle of the ciphertext sealed to `key` in a Credential document: still
/// well-formed base64, so only opening it can tell. Returns the ciphertext's line index.
func flipByte(in path: String, forKey key: String, of folder: TemporaryFolder) throws -> Int {
  let text = try #require(folder.read(path))
  let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  let index = try #require(lines.firstIndex { $0.contains("\"\(key):") })
  let value = String(lines[index].split(separator: " ").last!)
  var bytes = [UInt8](try #require(Data(base64Encoded: value)))
  bytes[bytes.count / 2] ^= 0x01
  folder.write(path, text.replacingOccurrences(of: value, with: Data(bytes).base64EncodedString()))
  return index
}

@Suite("Credentials end to end")
struct CredentialTests {
  @Test("keys generate writes a Recipient document and a 0600 private key, and never overwrites")
  func generate() async throws {
    let folder = makeWorkspace()
    var boardctl = Boardctl(folder)
    boardctl.environment["BOARDCTL_KEY_DIR"] = folder.path + "/private-keys"
    #expect(try await boardctl.run("keys", "generate", "ci").status == 0)
    let recipient = try #require(folder.read("boards.d/keys/ci.yaml"))
    #expect(recipient.contains("kind: Recipient"))
    let keyFiles = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/private-keys")
    #expect(keyFiles.count == 1)
    let attributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/private-keys/" + keyFiles[0])
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let again = try await boardctl.run("keys", "generate", "ci")
    #expect(again.status == 1)
    #expect(again.stderr.contains("never overwrites a key"))
    let printed = try await boardctl.run("keys", "generate", "ci-runner", "--stdout")
    #expect(printed.stdout.hasPrefix("boardctl-key-v1:ci-runner:"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/private-keys").count == 1)
  }

  @Test("seal, credentials list and keys list show names, fields and recipients, never values")
  func sealAndList() async throws {
    let canaries = ["canary-token-91b2", "canary-apikey-77c4", "canary-site-03aa"]
    let (_, boardctl) = try await makeSealedWorkspace(canaries: canaries)
    let list = try await boardctl.run("credentials", "list")
    #expect(list.stdout.contains("manatal\n  token  sealed 2026-11-21T10:00:00Z  to ci:"))
    #expect(list.stdout.contains("  site_id  sealed"))
    let keys = try await boardctl.run("keys", "list")
    #expect(keys.stdout.contains("credentials: manatal, wix"))
    for canary in canaries { #expect(!list.stdout.contains(canary) && !keys.stdout.contains(canary)) }
  }

  @Test("keys generate and seal write documents editors validate: the schema modeline, the schema accepts them")
  func modelines() async throws {
    let (folder, _) = try await makeSealedWorkspace(canaries: ["canary-1", "canary-2", "canary-3"])
    for path in ["boards.d/keys/ci.yaml", "boards.d/credentials/manatal.yaml", "boards.d/credentials/wix.yaml"] {
      let text = try #require(folder.read(path))
      #expect(text.hasPrefix("# yaml-language-server: $schema=../../schema/boards.schema.json\n"), "\(path)")
    }
    // The documents as written validate against the schema boardctl prints.
    let schema = try await Boardctl(folder).run("schema")
    folder.write("schema/boards.schema.json", schema.stdout)
    let script = """
      import glob, json, yaml, jsonschema
      validator = jsonschema.Draft202012Validator(json.load(open('schema/boards.schema.json')))
      for path in glob.glob('boards.d/keys/*.yaml') + glob.glob('boards.d/credentials/*.yaml'):
          for doc in yaml.safe_load_all(open(path)):
              errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(doc, default=str)))]
              assert not errors, (path, errors)
      """
    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", script], directory: folder.path).run()
    #expect(run.status == 0, "\(run.standardError)")
  }

  @Test("seal refuses empty input and writes nothing")
  func emptyInput() async throws {
    let (folder, boardctl) = try await makeSealedWorkspace(canaries: ["a1", "b2", "c3"])
    let result = try await boardctl.run(["seal", "empty", "--field", "token"], stdin: "")
    #expect(result.status == 1)
    #expect(result.stderr.contains("the value for field 'token' is empty; nothing was written"))
    #expect(!folder.exists("boards.d/credentials/empty.yaml"))
  }

  @Test("a tampered ciphertext is reported at its position")
  func tampered() async throws {
    let (folder, boardctl) = try await makeSealedWorkspace(canaries: ["a1", "b2", "c3"])
    let text = try #require(folder.read("boards.d/credentials/manatal.yaml"))
    let line = try #require(text.split(separator: "\n").first { $0.contains("\"ci:") })
    let value = line.split(separator: " ").last!
    folder.write("boards.d/credentials/manatal.yaml", text.replacingOccurrences(of: value, with: "not-base64!"))
    let result = try await boardctl.run("validate")
    #expect(result.status == 1)
    #expect(result.stderr.contains("boards.d/credentials/manatal.yaml:"))
    #expect(result.stderr.contains("is not a sealed value"))
  }

  @Test("one flipped byte in a ciphertext is caught when opened, naming the file and position")
  func flippedByte() async throws {
    let (folder, boardctl) = try await makeSealedWorkspace(canaries: ["a1", "b2", "c3"])
    // Leave only the ci key, so the flipped ciphertext is the one reseal must open.
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path + "/private-keys")
    where file.hasPrefix("laptop") {
      folder.remove("private-keys/" + file)
    }
    let index = try flipByte(in: "boards.d/credentials/manatal.yaml", forKey: "ci", of: folder)
    #expect(try await boardctl.run("validate").status == 0, "still well-formed: only opening can tell")
    let result = try await boardctl.run("reseal")
    #expect(result.status == 1)
    #expect(result.stderr.contains("boards.d/credentials/manatal.yaml:\(index + 1):"))
    #expect(result.stderr.contains("does not open with key ci:"))
    #expect(result.stderr.contains("nothing was written"))
  }

  @Test("reseal after adding a recipient seals to it; after removing one, drops it")
  func reseal() async throws {
    let (folder, boardctl) = try await makeSealedWorkspace(canaries: ["a1", "b2", "c3"])
    #expect(try await boardctl.run("keys", "generate", "new").status == 0)
    let before = try await boardctl.run("validate")
    #expect(before.stderr.contains("is not sealed to recipient 'new:"))
    #expect(try await boardctl.run("reseal").status == 0)
    #expect(try await boardctl.run("credentials", "list").stdout.contains("new:"))
    folder.remove("boards.d/keys/laptop.yaml")
    #expect(try await boardctl.run("validate").stderr.contains("no longer a recipient; run boardctl reseal"))
    #expect(try await boardctl.run("reseal").status == 0)
    #expect(!(try await boardctl.run("credentials", "list").stdout.contains("laptop:")))
    #expect(!(try await boardctl.run("validate").stderr.contains("warning")))
  }

  @Test("a ciphertext copied to another credential does not open there")
  func moved() async throws {
    let (folder, boardctl) = try await makeSealedWorkspace(canaries: ["a1", "b2", "c3"])
    let manatal = try #require(folder.read("boards.d/credentials/manatal.yaml"))
    let wix = try #require(folder.read("boards.d/credentials/wix.yaml"))
    func ciphertexts(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.contains("\":") } }
    let copied = wix.replacingOccurrences(
      of: String(ciphertexts(wix)[0].split(separator: " ").last!),
      with: String(ciphertexts(manatal)[0].split(separator: " ").last!))
    folder.write("boards.d/credentials/wix.yaml", copied)
    let result = try await boardctl.run("reseal")
    #expect(result.status == 1)
    #expect(result.stderr.contains("was sealed for acme/manatal.token, not acme/wix.api_key"))
  }

  @Test("without a private key, reseal lists the keys the credential is sealed to and those present")
  func noKey() async throws {
    let (folder, boardctl) = try await makeSealedWorkspace(canaries: ["a1", "b2", "c3"])
    folder.remove("private-keys")
    let result = try await boardctl.run("reseal")
    #expect(result.status == 1)
    #expect(result.stderr.contains("no private key opens credential"))
    #expect(result.stderr.contains("keys available: none"))
    var withBadKey = boardctl
    withBadKey.environment["BOARDCTL_KEY"] = "garbage"
    let bad = try await withBadKey.run("reseal")
    #expect(bad.stderr.contains("BOARDCTL_KEY does not hold a boardctl private key"))
    #expect(!bad.stderr.contains("garbage"))
  }

  @Test("leak test: no canary value or private key appears in any output, state, plan or generated file")
  func leaks() async throws {
    let canaries = ["canary-token-5d1e0c", "canary-apikey-9ab311", "canary-site-77f0e2"]
    let (folder, sealed) = try await makeSealedWorkspace(canaries: canaries)
    var boardctl = sealed
    boardctl.environment["BOARDCTL_LOG"] = "trace"
    let keyFiles = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/private-keys")
    let privateKeys = try keyFiles.map { file -> String in
      let text = try #require(folder.read("private-keys/" + file))
      return String(text.split(separator: ":").last!.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let needles = canaries + privateKeys
    var outputs: [String] = []
    let commands: [[String]] = [
      ["validate"], ["plan"], ["plan", "--format", "json", "--out", "out.plan"], ["plan", "--format", "markdown"],
      ["apply", "--auto-approve"], ["apply", "out.plan"], ["state", "list"], ["state", "show", "careers.page.backend"],
      ["credentials", "list"], ["keys", "list"], ["history"], ["reseal"], ["state", "show", "nope"],
      ["seal", "manatal"], ["force-unlock", "nope"],
    ]
    for command in commands {
      let result = try await boardctl.run(command)
      outputs += [result.stdout, result.stderr]
    }
    folder.write("boards.d/broken.yaml", "kind: Posting\nname: [x\n")
    for command in [["validate"], ["plan"], ["apply", "--auto-approve"]] {
      let result = try await boardctl.run(command)
      outputs += [result.stdout, result.stderr]
    }
    for text in outputs {
      for needle in needles { #expect(!text.contains(needle), "leaked into output: \(needle)") }
    }
    for (path, data) in folder.snapshot() where !path.hasPrefix("private-keys/") {
      let text = String(decoding: data, as: UTF8.self)
      for needle in needles { #expect(!text.contains(needle), "leaked into \(path)") }
    }
  }
}

extension CredentialTests {
  @Test("plan with a key at hand: a damaged ciphertext is an error at its line; without any key, a warning")
  func damagedWithKey() async throws {
    let simulator = try await SimulatorProcess.start()
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 1)
    let index = try flipByte(in: "boards.d/credentials/manatal-token.yaml", forKey: "ci", of: folder)
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 1, "\(plan.stdout)\(plan.stderr)")
    #expect(plan.stderr.contains("boards.d/credentials/manatal-token.yaml:\(index + 1):"), "\(plan.stderr)")
    #expect(plan.stdout.isEmpty, "no plan is shown: \(plan.stdout)")
    // A machine with no key (a fork's pull request) still plans, against state, and says so.
    var keyless = boardctl
    keyless.environment["BOARDCTL_KEY_DIR"] = folder.path + "/no-keys"
    let stateOnly = try await keyless.run("plan")
    #expect(stateOnly.status == 0, "\(stateOnly.stderr)")
    #expect(stateOnly.stdout.contains("was not refreshed"), "\(stateOnly.stdout)")
  }
}
