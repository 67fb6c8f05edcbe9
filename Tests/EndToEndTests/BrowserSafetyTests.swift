import BoardSupport
import BoardTesting
import Foundation
import Testing

/// A posting from a pull request is untrusted: whatever its title and description hold, the
/// careers pages boardctl writes run no script of its making, checked in a real browser
/// (headless Chromium, driven by Python's selenium; `.ci/run` installs both).
@Suite("Careers pages in a real browser")
struct BrowserSafetyTests {
  /// What each payload does when it runs: marks the document, so the browser can be asked.
  static func mark(_ name: String) -> String { "document.documentElement.setAttribute('data-pwned','\(name)')" }

  static let title = "Engineer </script><script>\(mark("title"))</script><!--<script>"

  static let description = """
    Build things.

    <script>\(mark("script"))</script>
    <img src="missing.png" onerror="\(mark("img"))">
    <svg><image href="missing.png" onerror="\(mark("svg"))"></image></svg>
    <iframe srcdoc="<script>parent.\(mark("iframe"))</script>"></iframe>
    <details open ontoggle="\(mark("details"))"><summary>s</summary></details>
    <p><a id="md" href="javascript:\(mark("link"))">a link</a>
    <a id="tab" href="jav&#x09;ascript:\(mark("tab"))">tab</a>
    <a id="entity" href="javascript&colon;\(mark("entity"))">entity</a></p>
    <style>h1 { display: none }</style>
    <form action="https://evil.example"><input name="x"><button>go</button></form>

    [markdown link](javascript:\(mark("markdown")))
    """

  /// Opens every page (and a control page that must run its script) and reports, per page, the
  /// marks set, any alert, executable scripts, event-handler attributes, link protocols, the
  /// visible title and the JSON-LD title.
  static let probe = #"""
    import glob, json, os, sys
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    for argument in ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']:
        options.add_argument(argument)
    options.binary_location = '/usr/bin/chromium'
    driver = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=options)
    report = {}
    try:
        for path in sorted(glob.glob('public/careers/*.html')) + ['control.html']:
            driver.get('file://' + os.path.abspath(path))
            # Let onerror and ontoggle handlers (queued tasks) run before asking.
            driver.execute_async_script('const done = arguments[0]; setTimeout(done, 300)')
            try:
                alert = driver.switch_to.alert
                alerted = alert.text
                alert.accept()
            except NoAlertPresentException:
                alerted = None
            for link in driver.find_elements('css selector', 'a[id]'):
                link.click()
            page = driver.execute_script('''
                const handlers = [];
                for (const element of document.querySelectorAll('*'))
                    for (const attribute of element.attributes)
                        if (attribute.name.startsWith('on')) handlers.push(element.tagName + ' ' + attribute.name);
                const ld = [...document.querySelectorAll('script[type="application/ld+json"]')]
                    .map(s => JSON.parse(s.textContent).title);
                const placement = [...document.querySelectorAll('script[type="application/json"]')]
                    .map(s => JSON.parse(s.textContent).attributes.title);
                return {
                    mark: document.documentElement.getAttribute('data-pwned'),
                    executable: [...document.scripts].filter(s => !/json/.test(s.type)).length,
                    frames: document.querySelectorAll('iframe, object, embed, form').length,
                    handlers: handlers,
                    protocols: [...new Set([...document.links].map(a => a.protocol))],
                    h1: [...document.querySelectorAll('h1')].map(h => h.textContent),
                    ld: ld, placement: placement,
                };''')
            page['alert'] = alerted
            report[os.path.basename(path)] = page
    finally:
        driver.quit()
    print(json.dumps(report))
    """#

  struct Page: Decodable {
    var mark: String?
    var alert: String?
    var executable: Int
    var frames: Int
    var handlers: [String]
    var protocols: [String]
    var h1: [String]
    var ld: [String]
    var placement: [String]
  }

  @Test("script in a posting's title or description never runs on the page or the index")
  func noInjectedScriptRuns() async throws {
    let folder = makeWorkspace()
    let backend = try #require(folder.read("boards.d/postings/backend.yaml"))
    let quoted = String(decoding: try JSONEncoder().encode(Self.title), as: UTF8.self)
    let indented = Self.description.split(separator: "\n", omittingEmptySubsequences: false)
      .map { "  " + $0 }.joined(separator: "\n")
    folder.write(
      "boards.d/postings/backend.yaml",
      backend.replacingOccurrences(of: "title: Backend Engineer", with: "title: \(quoted)")
        .replacingOccurrences(of: "  You will build backend systems for the Pacific.", with: indented))
    let apply = try await Boardctl(folder).run("apply", "--auto-approve")
    try #require(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    // The control: the same description as raw HTML, which a browser must run, or the probe is blind.
    folder.write("control.html", "<!doctype html><html><body>\(Self.description)</body></html>")

    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", Self.probe], directory: folder.path).run()
    try #require(run.status == 0, "the browser probe failed: \(run.standardError)")
    let pages = try JSONDecoder().decode([String: Page].self, from: Data(run.standardOutput.utf8))

    let control = try #require(pages["control.html"])
    #expect(control.mark != nil, "the control page's script ran, so the probe sees script that runs")
    #expect(!control.handlers.isEmpty)

    #expect(pages.keys.contains("backend.html") && pages.keys.contains("index.html"), "\(pages.keys.sorted())")
    for (name, page) in pages where name != "control.html" {
      #expect(page.mark == nil, "\(name): injected script ran (\(page.mark ?? ""))")
      #expect(page.alert == nil, "\(name): an alert opened")
      #expect(page.executable == 0, "\(name): \(page.executable) executable script elements")
      #expect(page.frames == 0, "\(name): frames or forms survived")
      #expect(page.handlers.isEmpty, "\(name): event handlers \(page.handlers)")
      #expect(
        Set(page.protocols).isSubset(of: ["http:", "https:", "mailto:", "file:"]), "\(name): links \(page.protocols)")
    }
    let page = try #require(pages["backend.html"])
    // The title is shown as the text it is, everywhere it goes: never markup, never mangled.
    #expect(page.h1 == [Self.title])
    #expect(page.ld == [Self.title])
    #expect(page.placement == [Self.title])
    #expect(try #require(folder.read("public/careers/backend.html")).contains("Build things."))
  }
}
