import BlogSearch
import BlogSearchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A real headless browser (Debian's `chromium`, installed by `.ci/run`) against the running server.
@Suite("In a browser")
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

    @Test("the sidebar widget renders the expected related posts, and a <script> title shows as text",
          .enabled(if: BrowserTests.enabled))
    func sidebar() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        let expected = try holder.current().related(RelatedRequest(.slug("empathy-in-support"), limit: 5)).related.map(\.title)
        #expect(expected.contains("When a Customer Pastes <script> Into a Form"))
        try await Fixtures.app(holder).test(.live) { client in
            let port = try #require(client.port)
            let dom = try BrowserTests.dom("http://127.0.0.1:\(port)/posts/empathy-in-support")
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

            let page = try BrowserTests.dom("http://127.0.0.1:\(port)/posts/escaping-forms")
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
}
