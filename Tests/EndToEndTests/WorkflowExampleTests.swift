import BoardSupport
import BoardTesting
import Foundation
import Testing

/// `examples/github-actions/boardctl.yml` runs as written: each job's `run:` steps, in order,
/// with the runner's environment (`GITHUB_OUTPUT`, `GITHUB_PATH`, `RUNNER_TEMP`, step `env:` and
/// `if:`), against a repository whose `origin` is a local bare repository and a loopback
/// stand-in for GitHub's issue-comments API. `uses:` steps (checkout, Pages) are GitHub's own and
/// are only listed.
@Suite("The GitHub Actions example")
struct WorkflowExampleTests {
  static let workflow = RepositoryTests.root + "/examples/github-actions/boardctl.yml"

  /// Runs one job of the workflow; prints `{"steps": [...], "comments": [...]}`. Comments persist
  /// in `comments.json` beside the repository, so a second run sees the first one's.
  static let runner = #"""
    import hashlib, json, os, re, subprocess, sys, tempfile, threading, yaml
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    workflow, job, event, workdir, binary, store = sys.argv[1:7]
    comments = json.load(open(store)) if os.path.exists(store) else []

    class API(BaseHTTPRequestHandler):
        def log_message(self, *args): pass
        def reply(self, code, value):
            body = json.dumps(value).encode()
            self.send_response(code)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def authorized(self):
            if self.headers.get('Authorization') == 'Bearer test-token': return True
            self.reply(401, {'message': 'Bad credentials'})
            return False
        def payload(self): return json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        def do_GET(self):
            m = re.fullmatch(r'/repos/acme/jobs/issues/(\d+)/comments(\?.*)?', self.path)
            if not self.authorized(): return
            if not m: return self.reply(404, {})
            self.reply(200, [c for c in comments if c['issue'] == int(m.group(1))])
        def do_POST(self):
            m = re.fullmatch(r'/repos/acme/jobs/issues/(\d+)/comments', self.path)
            if not self.authorized(): return
            if not m: return self.reply(404, {})
            comment = {'id': len(comments) + 1, 'issue': int(m.group(1)), 'body': self.payload()['body'], 'edits': 0}
            comments.append(comment)
            self.reply(201, comment)
        def do_PATCH(self):
            m = re.fullmatch(r'/repos/acme/jobs/issues/comments/(\d+)', self.path)
            if not self.authorized(): return
            found = [c for c in comments if m and c['id'] == int(m.group(1))]
            if not found: return self.reply(404, {})
            found[0]['body'] = self.payload()['body']
            found[0]['edits'] += 1
            self.reply(200, found[0])

    server = ThreadingHTTPServer(('127.0.0.1', 0), API)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    spec = yaml.safe_load(open(workflow))
    temp = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if not k.startswith('GITHUB_')}
    env.update({k: str(v) for k, v in spec.get('env', {}).items()})
    env.update({
        'BOARDCTL_URL': 'file://' + binary,
        'BOARDCTL_SHA256': hashlib.sha256(open(binary, 'rb').read()).hexdigest(),
        'GITHUB_ACTIONS': 'true', 'CI': 'true', 'GITHUB_WORKSPACE': workdir, 'GITHUB_EVENT_NAME': event,
        'GITHUB_REPOSITORY': 'acme/jobs', 'GITHUB_API_URL': 'http://127.0.0.1:%d' % server.server_address[1],
        'RUNNER_TEMP': temp,
    })
    contexts = {'secrets.BOARDCTL_KEY': '', 'github.token': 'test-token', 'github.event.pull_request.number': '7'}
    def substitute(text):
        return re.sub(r'\$\{\{\s*([\w.]+)\s*\}\}', lambda m: contexts[m.group(1)], str(text))
    outputs, failed, results = {}, False, []
    def condition(expression):
        python = re.sub(r"steps\.(\w+)\.outputs\.(\w+)", lambda m: repr(outputs.get(m.group(1), {}).get(m.group(2), '')), expression)
        python = python.replace('always()', 'True').replace('success()', 'not failed').replace('failure()', 'failed')
        python = python.replace('&&', ' and ').replace('||', ' or ')
        value = eval(python, {'failed': failed})
        return value if ('always()' in expression or 'failure()' in expression) else value and not failed
    for step in spec['jobs'][job]['steps']:
        if 'uses' in step:
            results.append({'uses': step['uses']})
            continue
        if not condition(step.get('if', 'success()')):
            results.append({'name': step.get('name'), 'skipped': True})
            continue
        assert '${{' not in step['run'], 'expressions belong in env:, not in run: (script injection)'
        step_env = dict(env)
        step_env.update({k: substitute(v) for k, v in (step.get('env') or {}).items()})
        step_env['GITHUB_OUTPUT'] = output = tempfile.mktemp(dir=temp)
        step_env['GITHUB_PATH'] = path = tempfile.mktemp(dir=temp)
        run = subprocess.run(['bash', '-e', '-c', step['run']], cwd=workdir, env=step_env, capture_output=True, text=True)
        results.append({'name': step.get('name'), 'status': run.returncode, 'stdout': run.stdout, 'stderr': run.stderr})
        if os.path.exists(output) and 'id' in step:
            outputs[step['id']] = dict(line.split('=', 1) for line in open(output).read().splitlines() if '=' in line)
        if os.path.exists(path):
            env['PATH'] = ':'.join(open(path).read().split()) + ':' + env['PATH']
        failed = failed or run.returncode != 0
    json.dump(comments, open(store, 'w'))
    print(json.dumps({'steps': results, 'comments': comments}))
    """#

  struct Result: Decodable {
    struct Step: Decodable {
      var name: String?
      var uses: String?
      var status: Int?
      var skipped: Bool?
      var stdout: String?
      var stderr: String?
    }
    struct Comment: Decodable {
      var id: Int
      var body: String
      var edits: Int
    }
    var steps: [Step]
    var comments: [Comment]

    func step(_ name: String) -> Step? { steps.first { $0.name == name } }
    var log: String {
      steps.map { "\($0.name ?? $0.uses ?? ""): \($0.status ?? -1)\n\($0.stdout ?? "")\($0.stderr ?? "")" }.joined()
    }
  }

  static func run(job: String, event: String, in workspace: BackendWorkspace) async throws -> Result {
    let folder = workspace.folder
    let run = try await ChildProcess(
      "/usr/bin/env",
      [
        "python3", "-c", runner, workflow, job, event, folder.path, Boardctl.binary,
        workspace.remote!.path + "/comments.json",
      ], directory: folder.path
    ).run()
    try #require(run.status == 0, "the workflow runner failed: \(run.standardError)")
    return try JSONDecoder().decode(Result.self, from: Data(run.standardOutput.utf8))
  }

  @Test("pull request: a plan comment updated in place; merge: apply with state on the git branch")
  func pullRequestThenMerge() async throws {
    let workspace = try await BackendWorkspace(.git)
    let folder = workspace.folder
    try await BackendWorkspace.git(["add", "-A"], in: folder.path)
    try await BackendWorkspace.git(
      ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "boards"], in: folder.path)
    try await BackendWorkspace.git(["push", "-q", "origin", "main"], in: folder.path)

    let plan = try await Self.run(job: "plan", event: "pull_request", in: workspace)
    #expect(plan.steps.first?.uses?.hasPrefix("actions/checkout@") == true)
    for name in ["Install boardctl", "Validate", "Plan", "Comment"] {
      #expect(plan.step(name)?.status == 0, "\(name)\n\(plan.log)")
    }
    #expect(plan.step("Fail on a plan error")?.skipped == true, "\(plan.log)")
    #expect(plan.comments.count == 1)
    let comment = try #require(plan.comments.first)
    #expect(comment.body.hasPrefix("<!-- boardctl plan -->\n### boardctl plan"), "\(comment.body)")
    #expect(comment.body.contains("8 to add"), "\(comment.body)")

    // The next push to the pull request edits the same comment.
    let again = try await Self.run(job: "plan", event: "pull_request", in: workspace)
    #expect(again.comments.count == 1)
    #expect(again.comments.first?.edits == 1)

    let apply = try await Self.run(job: "apply", event: "push", in: workspace)
    #expect(apply.step("Apply")?.status == 0, "\(apply.log)")
    #expect(apply.steps.compactMap(\.uses).contains { $0.hasPrefix("actions/deploy-pages@") })
    #expect(folder.exists("public/careers/backend.html"))
    let branch = try await ChildProcess(
      "/usr/bin/env", ["git", "ls-remote", "origin", "refs/heads/boardctl-state"], directory: folder.path
    ).run()
    #expect(!branch.standardOutput.isEmpty, "the state is on the remote's boardctl-state branch")

    // A fresh runner (no local state) plans against the branch: nothing left to do.
    folder.remove("public")
    folder.remove(".boardctl")
    let after = try await Self.run(job: "plan", event: "pull_request", in: workspace)
    #expect(after.comments.first?.body.contains("deleted outside boardctl") == true, "\(after.comments)")
  }

  @Test("a broken configuration: annotations, a comment saying what failed, and a failed job")
  func brokenConfiguration() async throws {
    let workspace = try await BackendWorkspace(.git)
    let folder = workspace.folder
    let backend = try #require(folder.read("boards.d/postings/backend.yaml"))
    folder.write(
      "boards.d/postings/backend.yaml", backend.replacingOccurrences(of: "[careers, indeed]", with: "[carers]"))
    let plan = try await Self.run(job: "plan", event: "pull_request", in: workspace)
    #expect(
      plan.step("Validate")?.stdout?.contains("::error file=boards.d/postings/backend.yaml,line=") == true,
      "\(plan.log)")
    #expect(plan.step("Comment")?.status == 0, "\(plan.log)")
    #expect(plan.step("Fail on a plan error")?.status == 1, "\(plan.log)")
    let body = try #require(plan.comments.first?.body)
    #expect(body.contains("### boardctl plan failed"), "\(body)")
    #expect(body.contains("did you mean 'careers'?"), "\(body)")
  }
}
