import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A real headless browser (Debian's `chromium`, installed by `.ci/run`) against the running server.
@Suite("In a browser", .serialized)
struct BrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    /// In CI the browser must be there; on a developer's machine without it the test is skipped.
    static let enabled = chromium != nil || ProcessInfo.processInfo.environment["CI"] != nil

    /// The DOM after scripts ran (virtual time lets the widget's fetch complete).
    static func dom(_ url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(chromium, "chromium is not installed"))
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--virtual-time-budget=10000", "--dump-dom", url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// `dom` on a thread of its own: a test that serves the page must not block one of the few threads of
    /// Swift's cooperative pool that the server's handlers run on.
    static func liveDOM(_ url: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try dom(url) }) }.start()
        }
    }

    @Test("the sidebar widget renders the expected related posts, and a <script> title shows as text",
          .enabled(if: BrowserTests.enabled))
    func sidebar() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        let expected = try holder.current().related(RelatedRequest(.slug("empathy-in-support"), limit: 5)).related.map(\.title)
        #expect(expected.contains("When a Customer Pastes <script> Into a Form"))
        try await Fixtures.app(holder).test(.live) { client in
            let port = try #require(client.port)
            let dom = try await BrowserTests.liveDOM("http://127.0.0.1:\(port)/posts/empathy-in-support")
            #expect(dom.contains("data-blogsearch-state=\"ready\""))
            let sidebar = try #require(dom.range(of: "<nav class=\"blogsearch-related\"").map { String(dom[$0.lowerBound...]) })
            var position = sidebar.startIndex
            for title in expected {
                let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
                let found = try #require(sidebar.range(of: ">\(escaped)</a>", range: position..<sidebar.endIndex), "missing \(title)")
                position = found.upperBound
            }
            #expect(dom.contains("href=\"/posts/angry-customers\""))

            let page = try await BrowserTests.liveDOM("http://127.0.0.1:\(port)/posts/escaping-forms")
            #expect(page.contains("<h1>When a Customer Pastes &lt;script&gt; Into a Form</h1>"))
            #expect(!page.contains("<script>alert"))
        }
    }

    @Test("the widget renders nothing when the service is down", .enabled(if: BrowserTests.enabled))
    func serviceDown() throws {
        let dir = TemporaryDirectory()
        // The script itself loads (inlined here), but its API calls go nowhere.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/BlogSearchServer/Assets/widget.js")
        let page = dir.url("page.html")
        try """
            <!doctype html><html><body><div id="w" data-blogsearch-related="sla-basics"></div>
            <script>\(try String(contentsOf: script, encoding: .utf8).replacingOccurrences(of: "</script>", with: "<\\/script>"))</script>
            </body></html>
            """.write(toFile: page, atomically: true, encoding: .utf8)
        let dom = try BrowserTests.dom("file://\(page)")
        #expect(dom.contains("<div id=\"w\" data-blogsearch-related=\"sla-basics\" data-blogsearch-state=\"unavailable\"></div>"))
        #expect(!dom.contains("<nav"))
    }

    // MARK: - The search box (search.js)

    /// A page on another origin (a file) with a search form that search.js turns into a search box, and a
    /// script that types, presses keys and writes what it saw into `data-log` on the body.
    static func searchBoxPage(_ dir: TemporaryDirectory, endpoint: String, actions: String) throws -> String {
        let page = dir.url("box.html")
        try """
            <!doctype html><html><head><title>box</title></head><body>
            <form id="f" data-blogsearch-search action="/results" method="get" data-endpoint="\(endpoint)"
                  data-href="https://blog.example/posts/{slug}">
            <label for="q">Search</label><input type="search" name="q" id="q"></form>
            <script src="\(endpoint)/search.js"></script>
            <script>
            const host = document.getElementById('f'), input = document.getElementById('q'), log = {};
            host.addEventListener('blogsearch:select', e => { e.preventDefault(); log.selected = e.detail.href; });
            window.addEventListener('submit', e => { log.submitPrevented = e.defaultPrevented; e.preventDefault(); });
            function key(k) { input.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true})); }
            function type(text) { input.focus(); input.value = text; input.dispatchEvent(new Event('input', {bubbles: true})); }
            function options() { return [...document.querySelectorAll('[role=option]')]; }
            \(actions)
            </script></body></html>
            """.write(toFile: page, atomically: true, encoding: .utf8)
        return "file://\(page)"
    }

    /// The JSON the page's script left in `data-log`.
    static func log(_ dom: String) throws -> [String: Any] {
        let start = try #require(dom.range(of: "data-log=\""), "the page wrote no log: \(dom.prefix(2000))")
        let end = try #require(dom[start.upperBound...].firstIndex(of: "\""))
        let json = String(dom[start.upperBound..<end]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("the search box shows results while typing; arrow keys and Enter choose one; an <img> title is text",
          .enabled(if: BrowserTests.enabled))
    func searchBox() async throws {
        let dir = TemporaryDirectory()
        let corpus = dir.url("corpus")
        try FileManager.default.copyItem(atPath: Fixtures.blog, toPath: corpus)
        try """
            ---
            title: "<img src=x onerror=document.title='pwned'> Angry callers"
            slug: img-title
            date: 2024-06-01
            ---

            Angry customers on the phone: how to calm an angry customer before the escalation.
            """.write(toFile: corpus + "/posts/img-title.md", atomically: true, encoding: .utf8)
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(try CorpusReader().read(at: corpus), corpusPath: corpus)
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 2)
        var configuration = ServerConfiguration(port: 0)
        configuration.corsOrigins = ["null"]   // a page opened from a file has the origin "null"
        try await Fixtures.app(holder, configuration).test(.live) { client in
            let port = try #require(client.port)
            let url = try BrowserTests.searchBoxPage(dir, endpoint: "http://127.0.0.1:\(port)", actions: """
                setTimeout(() => type('angry cust'), 100);
                setTimeout(() => {
                  log.expanded = input.getAttribute('aria-expanded');
                  log.role = input.getAttribute('role');
                  log.titles = options().map(o => o.querySelector('.blogsearch-result-title').textContent);
                  log.marks = document.querySelectorAll('.blogsearch-snippet mark').length;
                  log.status = document.querySelector('[aria-live]').textContent;
                  key('ArrowDown'); key('ArrowDown');
                  log.active = input.getAttribute('aria-activedescendant');
                  log.chosen = options().filter(o => o.getAttribute('aria-selected') === 'true').map(o => o.id);
                  key('Enter');
                  key('Escape');
                  log.closed = input.getAttribute('aria-expanded');
                  log.images = document.querySelectorAll('.blogsearch-results img').length;
                  log.title = document.title;
                  document.body.setAttribute('data-log', JSON.stringify(log));
                }, 3000);
                """)
            let log = try BrowserTests.log(try await BrowserTests.liveDOM(url))
            let expected = try holder.current().search(SearchRequest(query: "angry cust", limit: 6, prefixLast: true))
            #expect(log["role"] as? String == "combobox")
            #expect(log["expanded"] as? String == "true")
            #expect(log["titles"] as? [String] == expected.hits.map(\.title))
            #expect((log["titles"] as? [String])?.contains("<img src=x onerror=document.title='pwned'> Angry callers") == true)
            #expect(log["images"] as? Int == 0)
            #expect(log["title"] as? String == "box")
            #expect((log["marks"] as? Int ?? 0) > 0)
            #expect(log["status"] as? String == "\(expected.total) results")
            let ids = try #require(log["chosen"] as? [String])
            #expect(ids.count == 1 && ids.first?.hasSuffix("-option-1") == true)
            #expect(log["active"] as? String == ids.first)
            // The page is a file, where a post's relative URL would be a file: the link pattern makes it a web address.
            #expect(log["selected"] as? String == "https://blog.example/posts/\(expected.hits[1].slug)")
            #expect(log["closed"] as? String == "false")
        }
    }

    @Test("with the service down the search box shows nothing and the form still submits", .enabled(if: BrowserTests.enabled))
    func searchBoxServiceDown() throws {
        let dir = TemporaryDirectory()
        // Port 9 (discard) on this machine: nothing listens, the fetch fails at once. The script is inlined.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/BlogSearchServer/Assets/search.js")
        let url = try BrowserTests.searchBoxPage(dir, endpoint: "http://127.0.0.1:9", actions: """
            setTimeout(() => type('angry cust'), 100);
            setTimeout(() => {
              key('ArrowDown'); key('Enter');
              host.requestSubmit();
              log.state = host.getAttribute('data-blogsearch-state');
              log.expanded = input.getAttribute('aria-expanded');
              log.options = options().length;
              document.body.setAttribute('data-log', JSON.stringify(log));
            }, 3000);
            """)
        let page = try String(contentsOf: URL(string: url)!, encoding: .utf8)
            .replacingOccurrences(of: "<script src=\"http://127.0.0.1:9/search.js\"></script>",
                                  with: "<script>\(try String(contentsOf: script, encoding: .utf8).replacingOccurrences(of: "</script>", with: "<\\/script>"))</script>")
        try page.write(to: URL(string: url)!, atomically: true, encoding: .utf8)
        let log = try BrowserTests.log(try BrowserTests.dom(url))
        #expect(log["state"] as? String == "unavailable")
        #expect(log["expanded"] as? String == "false")
        #expect(log["options"] as? Int == 0)
        #expect(log["submitPrevented"] as? Bool == false)
    }
}
