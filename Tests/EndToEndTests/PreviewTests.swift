import BoardSupport
import BoardTesting
import Foundation
import Testing

/// `boardctl preview`: the careers site as boards.d would publish it, served on loopback, and
/// read in a real browser (headless Chromium through selenium, as `.ci/run` installs).
@Suite("boardctl preview")
struct PreviewTests {
  /// A running `boardctl preview --port 0` and the URL it announced.
  struct Preview {
    let child: RunningChild
    let url: String
    let stderr: String

    static func start(in folder: TemporaryFolder, _ arguments: [String] = []) async throws -> Preview {
      let out = folder.path + "/.preview-out"
      let err = folder.path + "/.preview-err"
      var environment = ProcessInfo.processInfo.environment
      environment["BOARDCTL_NOW"] = "2026-11-21T10:00:00Z"
      let child = try ChildProcess(
        Boardctl.binary, ["preview", "--port", "0"] + arguments, environment: environment, directory: folder.path
      ).start(stdout: out, stderr: err)
      let deadline = ContinuousClock.now + .seconds(60)
      while true {
        let text = FileManager.default.contents(atPath: out).map { String(decoding: $0, as: UTF8.self) } ?? ""
        if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) {
          return Preview(child: child, url: String(text[range]), stderr: err)
        }
        guard child.isRunning, ContinuousClock.now < deadline else {
          child.send(SIGKILL)
          let message = FileManager.default.contents(atPath: err).map { String(decoding: $0, as: UTF8.self) } ?? ""
          throw PreviewFailure(message: "preview did not announce its URL: \(message)")
        }
        try await Task.sleep(for: .milliseconds(10))  // poll its announcement, not a guess
      }
    }
  }

  struct PreviewFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// GETs `url` with Python's urllib: the status and the body.
  static func get(_ url: String) async throws -> (status: Int, body: String) {
    let script = """
      import sys, urllib.request, urllib.error
      try:
          response = urllib.request.urlopen(sys.argv[1])
          status, body = response.status, response.read()
      except urllib.error.HTTPError as error:
          status, body = error.code, error.read()
      sys.stdout.write(str(status) + '\\n' + body.decode())
      """
    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", script, url]).run()
    let text = run.standardOutput
    let newline = try #require(text.firstIndex(of: "\n"), "\(run.standardError)")
    return (Int(text[..<newline]) ?? 0, String(text[text.index(after: newline)...]))
  }

  /// In the browser: the index, then the first job's link followed (a relative link), then the
  /// link back to the index.
  static let browse = #"""
    import json, sys
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    for argument in ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']:
        options.add_argument(argument)
    options.binary_location = '/usr/bin/chromium'
    driver = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=options)
    try:
        driver.get(sys.argv[1])
        report = {'count': driver.find_element('css selector', 'p.meta').text,
                  'places': [h.text for h in driver.find_elements('css selector', 'h2')]}
        driver.find_element('css selector', 'ul.jobs a').click()
        report['page'] = driver.current_url
        report['h1'] = driver.find_element('css selector', 'h1').text
        report['posted'] = driver.find_elements('css selector', 'p.meta')[1].text
        driver.find_element('css selector', 'header a').click()
        report['back'] = driver.current_url
    finally:
        driver.quit()
    print(json.dumps(report))
    """#

  struct Browsed: Decodable {
    var count: String
    var places: [String]
    var page: String
    var h1: String
    var posted: String
    var back: String
  }

  @Test(
    "serves the site as boards.d would publish it, links work in a browser, edits show on reload, nothing is applied")
  func servesTheConfiguredSite() async throws {
    let folder = makeWorkspace()
    let preview = try await Preview.start(in: folder)
    defer { preview.child.send(SIGKILL) }

    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", Self.browse, preview.url]).run()
    try #require(run.status == 0, "\(run.standardError)")
    let browsed = try JSONDecoder().decode(Browsed.self, from: Data(run.standardOutput.utf8))
    #expect(browsed.count == "3 open positions")
    #expect(
      browsed.places == ["Apia, Central, Fiji", "Suva, Central, Fiji", "Remote (Auckland, Central, New Zealand)"])
    #expect(browsed.page == preview.url + "analyst.html")
    #expect(browsed.h1 == "Analyst Engineer")
    #expect(browsed.posted.hasPrefix("Posted November 21, 2026"), "\(browsed.posted)")
    #expect(browsed.back == preview.url + "index.html")

    // Only the site's files: no way out of the folder.
    for path in ["../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "nope.html"] {
      #expect(try await Self.get(preview.url + path).status == 404, "\(path)")
    }
    #expect(
      try await Self.get(preview.url + "sitemap.xml").body.contains("<loc>https://jobs.acme.example/analyst.html</loc>")
    )

    // An edit to boards.d shows on the next request; a broken one shows its problems instead.
    let analyst = try #require(folder.read("boards.d/postings/analyst.yaml"))
    folder.write(
      "boards.d/postings/analyst.yaml", analyst.replacingOccurrences(of: "Analyst Engineer", with: "Data Analyst"))
    #expect(
      try await eventually { try await Self.get(preview.url + "analyst.html").body.contains("<h1>Data Analyst</h1>") })
    folder.write("boards.d/postings/analyst.yaml", analyst + "employment_type: [oops\n")
    #expect(
      try await eventually {
        let broken = try await Self.get(preview.url)
        return broken.status == 500 && broken.body.contains("analyst.yaml:")
          && broken.body.contains("boards.d has problems")
      })

    // Nothing was applied: no output folder, no state.
    #expect(!folder.exists("public"))
    #expect(!folder.exists(".boardctl"))
    preview.child.send(SIGINT)
    #expect(await preview.child.exitStatus() == 0)
    #expect(
      FileManager.default.contents(atPath: preview.stderr).map { String(decoding: $0, as: UTF8.self) }?.contains(
        "Preview stopped.") == true)
  }

  @Test("a configuration that does not load is an error, not a server; --board names a careers site")
  func refusesBadInput() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    let wrong = try await boardctl.run("preview", "--port", "0", "--board", "indeed")
    #expect(wrong.status == 1)
    #expect(wrong.stderr.contains("board 'indeed' is indeed-feed; preview shows a careers-site board (careers)"))
    let typo = try await boardctl.run("preview", "--port", "0", "--board", "carers")
    #expect(typo.status == 1)
    #expect(typo.stderr.contains("did you mean 'careers'?"))
    folder.write("boards.d/postings/analyst.yaml", "kind: Posting\nname: analyst\ntitle: [oops\n")
    let broken = try await boardctl.run("preview", "--port", "0")
    #expect(broken.status == 1)
    #expect(broken.stderr.contains("analyst.yaml:3:"), "\(broken.stderr)")
  }

  /// Polls `condition` until it holds: the preview looks at boards.d at most twice a second.
  func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      if try await condition() { return true }
      try await Task.sleep(for: .milliseconds(100))
    }
    return false
  }
}
