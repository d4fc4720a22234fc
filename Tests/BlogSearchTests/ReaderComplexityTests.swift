import Foundation
import Synchronization
import Testing
@testable import BlogSearch

/// Every reader is linear in its input: pathological input (deep nesting, unclosed brackets, backticks and
/// emphasis, 10 MB lines, 100k `<`) must read in a time far below any super-linear blowup. The budget is
/// checked here, by the harness: the work runs in its own task and the test fails when the deadline passes
/// first (a backtracking Markdown parser is exponential in unclosed `[`).
@Suite("Readers on pathological input")
struct ReaderComplexityTests {
    /// Generous for a debug build on a loaded machine; linear readers take a small fraction of it.
    static let budget: Duration = .seconds(20)

    static let tenMB = 10 * 1_048_576

    /// Markdown bodies, read as posts with front matter.
    static let markdownBodies: [(String, String)] = [
        ("10k unclosed [", String(repeating: "[", count: 10_000)),
        ("10k unclosed [ with text", String(repeating: "[a ", count: 10_000)),
        ("10k unclosed ![ and ](", String(repeating: "![a](", count: 10_000)),
        ("10k nested >", String(repeating: ">", count: 10_000) + " deep"),
        ("10k nested list levels", String(repeating: "- ", count: 10_000) + "deep"),
        ("100k backticks, unclosed runs", (1...2_000).map { String(repeating: "`", count: $0 % 50 + 1) + "a" }.joined()),
        ("100k unclosed emphasis", String(repeating: "*a _b **c __d ", count: 25_000)),
        ("100k < as raw HTML", String(repeating: "<a ", count: 100_000)),
        ("10k nested inline HTML", String(repeating: "<span>", count: 10_000)),
        ("10 MB single line", String(repeating: "word ", count: tenMB / 5)),
        ("10 MB of 1-char lines", String(repeating: "a\n", count: tenMB / 2)),
    ]

    @Test("Markdown posts", arguments: markdownBodies)
    func markdown(name: String, body: String) async {
        let text = "---\ntitle: Pathological\n---\n" + body + "\n"
        await expectWithinBudget(name) {
            guard case .post = MarkdownPostReader.read(text, path: "p.md", layout: .of(relativePath: "p.md", site: nil, defaultLang: nil)) else {
                Issue.record("\(name): not read as a post")
                return
            }
        }
    }

    @Test("front matter nested 10k deep, or one 10 MB value, is read or refused, never a crash")
    func frontMatter() async {
        for (name, yaml) in [
            ("10k [", "title: T\ntags: " + String(repeating: "[", count: 10_000)),
            ("10k {", "title: T\nx: " + String(repeating: "{a: ", count: 10_000)),
            ("10k indented levels", "title: T\n" + (0..<2_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")),
            ("10 MB value", "title: " + String(repeating: "t", count: Self.tenMB)),
        ] {
            await expectWithinBudget(name) { _ = MarkdownPostReader.read("---\n\(yaml)\n---\nbody\n", path: "p.md", layout: .of(relativePath: "p.md", site: nil, defaultLang: nil)) }
        }
    }

    @Test("Staticman comments")
    func staticman() async {
        for (name, message) in [
            ("100k < in HTML", String(repeating: "<", count: 100_000)),
            ("100k <a unclosed tags", String(repeating: "<a \"", count: 100_000)),
            ("10 MB message", String(repeating: "x", count: Self.tenMB)),
        ] {
            let yaml = "_id: c1\nname: N\ndate: 2025-01-01\nmessage: '" + message.replacingOccurrences(of: "'", with: "''") + "'\n"
            await expectWithinBudget(name) {
                if case .failure(let problem) = StaticmanCommentReader.read(yaml, path: "c1.yml", fileName: "c1") {
                    Issue.record("\(name): \(problem)")
                }
            }
        }
    }

    @Test("JSON Lines")
    func jsonLines() async {
        let body = String(repeating: "<b>&amp", count: Self.tenMB / 8)
        let lines = [
            #"{"slug": "a", "title": "A", "body": "\#(body)"}"#,
            #"{"slug": "b", "title": "B", "body": "x", "tags": "# + String(repeating: "[", count: 10_000),
            #"{"slug": "c", "title": "C", "body": "\#(String(repeating: "<", count: 100_000))"}"#,
        ].joined(separator: "\n")
        await expectWithinBudget("JSON Lines") {
            var bytes = Array(lines.utf8)
            let (posts, problems) = bytes.withUnsafeMutableBufferPointer { JSONLinesReader.read(bytes: UnsafeBufferPointer($0), path: "x.jsonl") }
            #expect(posts.map(\.slug) == ["a", "c"])
            #expect(problems.map(\.location.line) == [2])
        }
    }

    @Test("scraped pages")
    func scrapedPages() async {
        let header = "home about posts\n\nA Title\n17 February 2025\n"
        for (name, article, comments) in [
            ("10 MB article line", String(repeating: "word ", count: Self.tenMB / 5), ""),
            ("100k < in the article", String(repeating: "<", count: 100_000), ""),
            ("50k undated comments", "text", String(repeating: "Ann Lee\nhello\n", count: 50_000)),
            ("50k doubled names", "text", String(repeating: "Ann Lee\nAnn Lee\n", count: 50_000)),
            ("10 MB comment line", "text", "Ann Lee\n" + String(repeating: "w ", count: Self.tenMB / 2) + "\nMarch 7, 2025 at 8:35 PM\n"),
        ] {
            let page = header + article + "\nCategory:\nNews\nAuthor:\nIan\nDiscussion\n" + comments + "home about posts\n"
            await expectWithinBudget(name) {
                do {
                    _ = try ScrapedPageReader.read(page, path: "p.txt")
                } catch {
                    Issue.record("\(name): \(error)")
                }
            }
        }
    }

    @Test("HTML to text and dates")
    func helpers() async {
        for (name, html) in [
            ("100k <", String(repeating: "<", count: 100_000)),
            ("100k <a", String(repeating: "<a", count: 100_000)),
            ("100k <a with unclosed quotes", String(repeating: "<a \"'", count: 100_000)),
            ("100k unclosed <script>", String(repeating: "<script>", count: 100_000)),
            ("100k </script without >", "<script>" + String(repeating: "</script", count: 100_000)),
            ("100k unterminated entities", String(repeating: "&amp&#x", count: 100_000)),
            ("10 MB line", String(repeating: "a ", count: Self.tenMB / 2)),
        ] {
            await expectWithinBudget(name) { _ = PlainText.fromHTML(html) }
        }
        let line = String(repeating: "17 February 2025 ", count: Self.tenMB / 17)
        await expectWithinBudget("10 MB date") {
            #expect(DateText.parse(line) == nil)
            #expect(!DateText.isDateLine(line))
        }
    }

    @Test("HTML pages of a built site")
    func htmlPages() async {
        let article = "<!DOCTYPE html><html><head><title>T</title></head><body><article><h1>T</h1><time datetime=\"2024-01-01\">x</time>"
        func nested(_ open: String, _ count: Int) -> String { String(repeating: open, count: count) }
        for (name, html) in [
            ("100k <", article + nested("<", 100_000)),
            ("100k <a with unclosed quotes", article + nested("<a \"'", 100_000)),
            ("100k unquoted attributes", article + "<p " + nested("a=b ", 100_000) + ">x</p>"),
            ("100k distinct attributes", article + "<p " + (0..<100_000).map { "a\($0)=b" }.joined(separator: " ") + ">x</p>"),
            ("10k broken JSON-LD scripts", article + nested("<script type=\"application/ld+json\">{\"@type\": \"Article\",,}</script>\n", 10_000)),
            ("50k unclosed <div>", article + nested("<div>", 50_000)),
            ("100k </span> under 10k open <div>", article + nested("<div>", 10_000) + nested("</span>", 100_000)),
            ("50k <li> under 10k open <div>", article + "<ul>" + nested("<div>", 10_000) + nested("<li>x", 50_000)),
            ("50k <p> and </p>", article + nested("<p>x</p></p>", 50_000)),
            ("100k unclosed <script>", article + nested("<script>", 100_000)),
            ("100k </script without >", article + "<script>" + nested("</script", 100_000)),
            ("100k </ in a script", article + "<script>" + nested("'</div>' < ", 100_000) + "</script></article>"),
            ("100k <!-- -- > and <![CDATA[", article + nested("<!-- -- > <![CDATA[ ]] ", 100_000)),
            ("100k unterminated entities", article + nested("&amp&#x&#99999999999;", 100_000)),
            ("10k nested comments", article + nested("<div class=\"p-comment h-cite\"><span class=\"p-author\">A</span>", 10_000)),
            ("10k nested schema.org comments", article + nested("<li itemprop=\"comment\" itemscope><ol>", 10_000)),
            ("10k nested mailto links", article + nested("<a href=\"mailto:a@b.example\"><b>", 10_000)),
            ("10k nested h-entries", nested("<div class=\"h-entry\"><h1 class=\"p-name\">t</h1>", 10_000)),
            ("100k [ in JSON-LD", "<script type=\"application/ld+json\">" + nested("[", 100_000) + "</script>"),
            ("JSON-LD comments 500 deep", "<script type=\"application/ld+json\">{\"@type\":\"BlogPosting\",\"headline\":\"T\","
                + nested("\"comment\":{\"text\":\"x\",", 250) + "\"x\":1" + nested("}", 251) + "</script>"),
            ("10 MB of text", article + nested("word ", Self.tenMB / 5)),
            ("2 MB class attribute", article + "<p class=\"" + nested("c ", Self.tenMB / 10) + "\">x</p>"),
        ] {
            let bytes = Array(html.utf8)
            await expectWithinBudget(name) {
                _ = BuiltSiteReader.read(SitePage(document: HTMLDocument(bytes: bytes)), path: "p.html", relativePath: "p.html")
            }
        }
    }

    /// Runs `work` in a task of its own and fails the test if `budget` passes first. A reader that blew up
    /// keeps running in the background: the test has failed by then, and the process ends with the run.
    private func expectWithinBudget(_ name: String, _ work: @escaping @Sendable () -> Void) async {
        let finish = Finish()
        let finished = await withCheckedContinuation { continuation in
            finish.wait(continuation)
            Task.detached {
                work()
                finish(true)
            }
            Task.detached {
                try? await Task.sleep(for: Self.budget)
                finish(false)
            }
        }
        #expect(finished, "\(name): not read within \(Self.budget)")
    }
}

/// Resumes a continuation once: with the work's end or with the deadline, whichever comes first.
private final class Finish: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    func wait(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation.withLock { $0 = continuation } }

    func callAsFunction(_ value: Bool) { continuation.withLock { $0.take() }?.resume(returning: value) }
}
