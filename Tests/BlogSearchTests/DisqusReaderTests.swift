import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Reading a Disqus export")
struct DisqusReaderTests {
    /// Two Markdown posts and `Fixtures/disqus/disqus-export.xml` (threads by URL, by identifier, and one orphan).
    static func corpus(_ dir: TemporaryDirectory) throws -> String {
        dir.write("c/posts/refund-policies.md", Fixtures.post(title: "Refund Policies", date: "2024-02-01", body: "Thirty days."))
        dir.write("c/posts/survey-fatigue.md", Fixtures.post(title: "Survey Fatigue", date: "2024-02-02", extra: "url: /2023/06/survey-fatigue/", body: "Fewer surveys."))
        try FileManager.default.copyItem(atPath: Fixtures.directory + "/disqus/disqus-export.xml", toPath: dir.url("c/comments.xml"))
        return dir.url("c")
    }

    @Test("threads attach to posts by normalised URL or by identifier = slug; replies keep their parent")
    func matching() throws {
        let dir = TemporaryDirectory()
        let corpus = try CorpusReader().read(at: try Self.corpus(dir))
        let refunds = try #require(corpus.posts.first { $0.slug == "refund-policies" })
        #expect(refunds.comments.map(\.id) == ["disqus-7001", "disqus-7002", "disqus-7005"])
        #expect(refunds.comments.map(\.replyTo) == [nil, "disqus-7001", nil])   // 7005 answers a deleted comment
        #expect(refunds.comments[0].author == "Björn Þórsson")
        #expect(refunds.comments[0].date == "2024-03-05T10:00:00")
        #expect(refunds.comments[0].body == "Refunds within 30 days are fair & clear. Naïve question: what about gift cards?")
        let surveys = try #require(corpus.posts.first { $0.slug == "survey-fatigue" })
        #expect(surveys.comments.map(\.author) == ["Sam O'Neil"])
    }

    @Test("deleted and spam comments, e-mails and IPs are left out; unmatched threads are reported with examples")
    func leftOut() throws {
        let dir = TemporaryDirectory()
        let corpus = try CorpusReader().read(at: try Self.corpus(dir))
        let json = String(decoding: try JSONEncoder().encode(corpus.posts), as: UTF8.self)
        for secret in ["secret", "@", "203.0.113", "198.51.100"] { #expect(!json.contains(secret), "\(secret)") }
        #expect(corpus.commentCount == 4)
        #expect(corpus.problems.count == 1)
        let problem = try #require(corpus.problems.first)
        #expect(problem.severity == .skipped)
        #expect(problem.location.path.hasSuffix("c/comments.xml"))
        #expect(problem.message.hasPrefix("1 comment thread(s) match no post in the corpus (https://blog.example/posts/gone-post/)"))
        #expect(problem.message.contains("their 1 comment(s) are left out"))
    }

    @Test("URLs are compared without scheme, www., trailing slash, index.html, query or fragment")
    func urlKeys() {
        typealias Key = ThreadMatcher.URLKey
        #expect(Key("http://www.Blog.example/posts/a?x=1#disqus_thread") == Key("https://blog.example/posts/a/"))
        #expect(Key("//blog.example/posts/a/index.html") == Key("https://blog.example/posts/a"))
        #expect(Key("/posts/a/").host == nil)
        #expect(Key("https://blog.example:443/posts/%C3%A9t%C3%A9/").path == "/posts/été")
        #expect(Key("https://blog.example/posts/a") != Key("https://blog.example/posts/b"))
        #expect(Key("https://blog.example/") == Key("https://www.blog.example"))
    }

    @Test("a changed Disqus comment rewrites only its post on an incremental build")
    func incremental() throws {
        let dir = TemporaryDirectory()
        let path = try Self.corpus(dir)
        let builder = IndexBuilder(indexesDirectory: dir.url("indexes"))
        _ = try builder.build(try CorpusReader().read(at: path), corpusPath: path)
        let export = try String(contentsOfFile: dir.url("c/comments.xml"), encoding: .utf8)
        try export.replacingOccurrences(of: "surveys every week are too many", with: "monthly surveys are plenty")
            .write(toFile: dir.url("c/comments.xml"), atomically: true, encoding: .utf8)
        let summary = try builder.build(try CorpusReader().read(at: path), corpusPath: path)
        #expect(summary.reuse == .incremental(reused: 1, changed: 1, added: 0))
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(try index.search(SearchRequest(query: "monthly plenty")).hits.map(\.slug) == ["survey-fatigue"])
    }
}
