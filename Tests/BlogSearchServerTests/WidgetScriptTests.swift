import BlogSearchTestSupport
import Foundation
import Testing

/// `Assets/widget.js` run by Node against a minimal DOM: what it links, and what it does not.
@Suite("The widget script")
struct WidgetScriptTests {
    static let node = ["/usr/bin/node", "/usr/bin/nodejs", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/BlogSearchServer/Assets/widget.js")

    /// Loads widget.js with a stub DOM and a stub `fetch` answering `related`, and prints each rendered item
    /// as `tag href text`, one a line.
    static let harness = #"""
        const fs = require("fs"), vm = require("vm");
        function node(tag) {
          return { tagName: tag, children: [], attributes: {}, textContent: "", href: undefined,
            setAttribute(k, v) { this.attributes[k] = String(v); }, getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; },
            hasAttribute(k) { return k in this.attributes; }, appendChild(c) { this.children.push(c); return c; },
            replaceChildren(...c) { this.children = c; } };
        }
        const el = node("div");
        el.setAttribute("data-blogsearch-related", "cafe");
        const related = JSON.parse(process.argv[3]);
        let done;
        const finished = new Promise(r => done = r);
        const context = {
          document: { readyState: "complete", currentScript: null, createElement: node, querySelectorAll: () => [el] },
          location: { href: "https://blog.example/posts/cafe/", origin: "https://blog.example", pathname: "/posts/cafe/" },
          window: {}, URL, encodeURIComponent, parseInt, setTimeout, clearTimeout,
          fetch: () => { const p = Promise.resolve({ ok: true, json: () => ({ related }) }); p.then(() => setTimeout(done, 10)); return p; },
        };
        vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), context);
        finished.then(() => {
          const list = el.children[0].children.find(c => c.tagName === "ul");
          for (const li of list.children) {
            const item = li.children[0];
            console.log([item.tagName, item.href || "-", item.textContent].join(" "));
          }
        });
        """#

    @Test("post URLs that are not http(s) or relative are not links", .enabled(if: WidgetScriptTests.node != nil))
    func javascriptURL() throws {
        let dir = TemporaryDirectory()
        let harness = dir.url("harness.js")
        try Self.harness.write(toFile: harness, atomically: true, encoding: .utf8)
        let related = #"""
            [{"slug":"ok","title":"Fine","url":"/posts/ok/"},
             {"slug":"evil","title":"Evil","url":"javascript:alert(document.cookie)"},
             {"slug":"tab","title":"Tabbed","url":" java\tscript:alert(1)"},
             {"slug":"data","title":"Data","url":"data:text/html,<script>alert(1)</script>"},
             {"slug":"abs","title":"Absolute","url":"https://other.example/a"}]
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.node))
        process.arguments = [harness, Self.script.path, related]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines == ["a /posts/ok/ Fine", "span - Evil", "span - Tabbed", "span - Data",
                          "a https://other.example/a Absolute"])
    }
}
