import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Reading a corpus")
struct CorpusReaderTests {
    @Test("a Markdown post gives every front matter field, and defaults slug and url")
    func markdownFields() throws {
        let dir = TemporaryDirectory()
        dir.write("c/posts/first.md", Fixtures.post(
            title: "First: a Post", date: "2025-02-17", author: "Ian Stone", categories: ["Customer Experience"],
            tags: ["empathy", "support"], body: "Hello [link text](https://example.com) and `code` &amp; more."))
        let corpus = try CorpusReader().read(at: dir.url("c"))
        let post = try #require(corpus.posts.first)
        #expect(post.slug == "first")
        #expect(post.title == "First: a Post")
        #expect(post.url == "/posts/first/")
        #expect(post.date == "2025-02-17")
        #expect(post.author == "Ian Stone")
        #expect(post.categories == ["Customer Experience"])
        #expect(post.tags == ["empathy", "support"])
        #expect(post.body == "Hello link text and code & more.")
        #expect(corpus.problems.isEmpty)
    }

    @Test("a Jekyll file name gives the slug and date; explicit url and slug win; drafts are left out")
    func jekyllAndDrafts() throws {
        let dir = TemporaryDirectory()
        dir.write("c/_posts/2024-05-12-my-post.md", Fixtures.post(title: "My Post", body: "text"))
        dir.write("c/other.md", Fixtures.post(title: "Other", slug: "custom", extra: "url: /blog/custom/", body: "text"))
        dir.write("c/draft.md", Fixtures.post(title: "Draft", extra: "draft: true", body: "text"))
        dir.write("c/README.md", "# Not a post\n")
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.map(\.slug) == ["custom", "my-post"])
        #expect(corpus.posts[1].date == "2024-05-12")
        #expect(corpus.posts[0].url == "/blog/custom/")
        #expect(corpus.drafts == 1)
        #expect(corpus.problems.isEmpty)
    }

    @Test("Staticman comments attach to their post in date order, with replies")
    func staticmanComments() throws {
        let dir = TemporaryDirectory()
        dir.write("c/posts/p.md", Fixtures.post(title: "P", slug: "p", body: "text"))
        dir.write("c/comments/p/b.yml", Fixtures.comment(id: "b", name: "Bo", date: "2025-03-02T10:00:00Z", message: "Reply", replyingTo: "a"))
        dir.write("c/comments/p/a.yml", Fixtures.comment(id: "a", name: "Al", date: "2025-03-01T10:00:00Z", message: "First\nline two"))
        let corpus = try CorpusReader().read(at: dir.url("c"))
        let comments = try #require(corpus.posts.first?.comments)
        #expect(comments.map(\.id) == ["a", "b"])
        #expect(comments[0].author == "Al")
        #expect(comments[0].date == "2025-03-01T10:00:00")
        #expect(comments[0].body == "First\nline two")
        #expect(comments[1].replyTo == "a")
    }

    @Test("JSON Lines posts need only slug, title and body; comments come inline")
    func jsonLines() throws {
        let dir = TemporaryDirectory()
        let line1 = #"{"slug": "a", "title": "A", "body": "<p>Alpha &amp; omega</p>"}"#
        let line2 = #"{"slug": "b", "title": "B", "url": "/b/", "date": "2025-02-17", "author": "X", "categories": ["C"], "tags": ["t"], "body": "Beta", "comments": [{"id": "1", "author": "Y", "date": "2025-02-18", "body": "Nice"}, {"id": 2, "body": "Re", "replyTo": "1"}]}"#
        dir.write("export.jsonl", line1 + "\n\n" + line2 + "\n")
        let corpus = try CorpusReader().read(at: dir.url("export.jsonl"))
        #expect(corpus.posts.map(\.slug) == ["a", "b"])
        #expect(corpus.posts[0].body == "Alpha & omega")
        #expect(corpus.posts[0].url == "/posts/a/")
        let b = corpus.posts[1]
        #expect(b.url == "/b/" && b.date == "2025-02-17" && b.categories == ["C"] && b.tags == ["t"])
        #expect(b.comments.map(\.id) == ["1", "2"])
        #expect(b.comments[1].replyTo == "1")
        #expect(corpus.problems.isEmpty)
    }

    @Test("each bad file is reported with its path (and line) and skipped, and the rest is read")
    func badInput() throws {
        let dir = TemporaryDirectory()
        dir.write("c/good.md", Fixtures.post(title: "Good", slug: "good", body: "fine"))
        dir.write("c/broken.md", "---\ntitle: \"Broken\ntags: [a, b\n---\nbody\n")
        dir.write("c/untitled.md", "---\ndate: 2025-01-01\n---\nbody\n")
        dir.write("c/nofront.md", "Just text\n")
        dir.write("c/badutf8.md", bytes: Array("---\ntitle: T\n---\nline\n".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        dir.write("c/zdupe.md", Fixtures.post(title: "Dupe", slug: "good", body: "again"))
        dir.write("c/baddate.md", Fixtures.post(title: "Bad date", slug: "bad-date", date: "someday", body: "x"))
        dir.write("c/comments/missing-post/c1.yml", Fixtures.comment(id: "c1", name: "A", date: "2025-01-01", message: "orphan"))
        // A byte-order mark, a bad UTF-8 byte on line 4 (only that line is lost), a Windows line ending.
        dir.write("c/export.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array((#"{"slug": "j1", "title": "J1", "body": "ok"}"# + "\n{not json\n"
            + #"{"slug": "j3", "body": "no title"}"# + "\n" + #"{"slug": "j4", "title": "J"#).utf8) + [0xC3, 0x28]
            + Array((#"", "body": "x"}"# + "\n" + #"{"slug": "j5", "title": "J5", "body": "fine"}"# + "\r\n").utf8))
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.map(\.slug) == ["good", "j1", "j5"])
        func problem(_ file: String) -> CorpusProblem? {
            corpus.problems.first { $0.location.path.hasSuffix(file) }
        }
        #expect(problem("broken.md")?.message.contains("YAML does not parse") == true)
        #expect((problem("broken.md")?.location.line ?? 0) >= 2)
        #expect(problem("untitled.md")?.message.contains("no `title`") == true)
        #expect(problem("nofront.md")?.message.contains("no front matter") == true)
        #expect(problem("badutf8.md")?.message == "not valid UTF-8 text")
        #expect(problem("badutf8.md")?.location.line == 5)
        #expect(problem("zdupe.md")?.message.contains("already used by") == true)
        #expect(problem("baddate.md")?.message.contains("not a date") == true)
        #expect(problem("missing-post/c1.yml")?.message.contains("'missing-post', which is not in the corpus") == true)
        let jsonl = corpus.problems.filter { $0.location.path.hasSuffix("export.jsonl") }.map { $0.location.line }
        #expect(jsonl == [2, 3, 4])
        #expect(corpus.problems.first { $0.location.path.hasSuffix("export.jsonl") && $0.location.line == 4 }?.message == "not valid UTF-8 text")
        #expect(corpus.skippedCount == 10)
        #expect(corpus.problems.allSatisfy { $0.severity == .skipped })
    }

    @Test("a missing corpus is an error that names the path")
    func missingCorpus() {
        #expect(throws: CorpusError.self) { try CorpusReader().read(at: "/nonexistent/corpus") }
        do {
            _ = try CorpusReader().read(at: "/nonexistent/corpus")
        } catch {
            #expect("\(error)".contains("/nonexistent/corpus"))
        }
    }

    @Test("the shipped corpus reads without problems, in every format")
    func shippedCorpus() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = try CorpusReader().read(at: root.appendingPathComponent("corpus").path)
        #expect(corpus.problems == [])
        #expect(corpus.posts.count >= 40)
        #expect(corpus.posts.filter { !$0.comments.isEmpty }.count >= 40)
        let sources = Set(corpus.posts.map { ($0.source.path as NSString).pathExtension })
        #expect(sources == ["md", "jsonl", "txt", "xml"])
    }
}
