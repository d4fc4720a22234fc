import Foundation
import GRDB
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Index generations")
struct IndexTests {
    func build(_ dir: TemporaryDirectory, posts: Int, keep: Int = 3) throws -> BuildSummary {
        let corpus = Corpus(posts: (0..<posts).map {
            Post(slug: "p\($0)", title: "Post \($0)", body: "body text \($0)", source: SourceLocation(path: "p\($0).md"))
        })
        return try IndexBuilder(indexesDirectory: dir.url("indexes"), keep: keep).build(corpus, corpusPath: "mem")
    }

    @Test("each build publishes the next generation, CURRENT names it, and old ones are pruned")
    func generations() throws {
        let dir = TemporaryDirectory()
        for n in 1...4 {
            let summary = try build(dir, posts: n)
            #expect(summary.generation.number == n)
            #expect(summary.manifest.posts == n)
        }
        let store = GenerationStore(directory: dir.url("indexes"))
        #expect(store.list().map(\.number) == [2, 3, 4])
        #expect(try store.current().number == 4)
        let current = try String(contentsOfFile: dir.url("indexes/CURRENT"), encoding: .utf8)
        #expect(current == "gen-000004.sqlite\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.url("indexes"))
        #expect(!files.contains { $0.hasPrefix(".building-") })
    }

    @Test("the manifest records format, counts, tokenizer and a corpus digest that follows the content")
    func manifest() throws {
        let dir = TemporaryDirectory()
        let a = try build(dir, posts: 3).manifest
        let b = try build(dir, posts: 3).manifest
        let c = try build(dir, posts: 4).manifest
        #expect(a.formatVersion == Schema.formatVersion && a.tokenizer == "blogsearch default en")
        #expect(a.corpusDigest == b.corpusDigest)
        #expect(a.corpusDigest != c.corpusDigest)
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(index.manifest == c)
    }

    @Test("an empty corpus publishes nothing and the previous generation keeps serving")
    func emptyCorpusKeepsPrevious() throws {
        let dir = TemporaryDirectory()
        _ = try build(dir, posts: 2)
        #expect(throws: IndexError.self) { try build(dir, posts: 0) }
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(index.generation.number == 1)
        #expect(index.postCount == 2)
    }

    @Test("a build that fails while writing leaves no file behind and the previous generation current")
    func failedBuild() throws {
        let dir = TemporaryDirectory()
        _ = try build(dir, posts: 2)
        // Two posts with the same slug violate the UNIQUE constraint mid-build (the reader never lets this through).
        let corpus = Corpus(posts: [
            Post(slug: "same", title: "A", body: "a", source: SourceLocation(path: "a.md")),
            Post(slug: "same", title: "B", body: "b", source: SourceLocation(path: "b.md")),
        ])
        #expect(throws: IndexError.self) { try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: "mem") }
        let store = GenerationStore(directory: dir.url("indexes"))
        #expect(store.list().map(\.number) == [1])
        #expect(try store.current().number == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.url("indexes")).filter { !$0.hasPrefix(".") }
        #expect(files.sorted() == ["CURRENT", "gen-000001.sqlite"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url("indexes")).filter { $0.hasPrefix(".building") } == [])
    }

    @Test("leftovers of a killed build are cleaned up by the next one")
    func abandonedBuild() throws {
        let dir = TemporaryDirectory()
        dir.write("indexes/.building-999999999-1.sqlite", "partial")
        _ = try build(dir, posts: 1)
        #expect(!FileManager.default.fileExists(atPath: dir.url("indexes/.building-999999999-1.sqlite")))
    }

    @Test("no index is a clear error naming the folder")
    func noIndex() {
        do {
            _ = try SearchIndex.open(directory: "/nonexistent/indexes")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("no index in /nonexistent/indexes"))
        }
    }

    @Test("an index of another format version is refused with a clear message")
    func otherFormat() throws {
        let dir = TemporaryDirectory()
        let summary = try build(dir, posts: 1)
        let queue = try DatabaseQueue(path: summary.generation.path)
        try queue.write { try $0.execute(sql: "UPDATE manifest SET value = '99' WHERE key = 'formatVersion'") }
        try queue.close()
        do {
            _ = try SearchIndex.open(directory: dir.url("indexes"))
            Issue.record("expected an error")
        } catch .formatVersion(_, let found, let expected) {
            #expect(found == 99 && expected == Schema.formatVersion)
        }
    }

    @Test("a truncated or foreign file is refused, not served")
    func corrupt() throws {
        let dir = TemporaryDirectory()
        let summary = try build(dir, posts: 1)
        try Data("not sqlite at all".utf8).write(to: URL(fileURLWithPath: summary.generation.path))
        #expect(throws: StoreError.self) { try SearchIndex.open(directory: dir.url("indexes")) }
    }

    @Test("the committed index of the current format still opens and answers")
    func committedFixture() throws {
        let generation = Generation(number: 1, path: Fixtures.directory + "/format-6/gen-000001.sqlite")
        let index = try SearchIndex(generation: generation)
        #expect(index.manifest.formatVersion == Schema.formatVersion)
        #expect(index.post(slug: "angry-customers")?.lang == "en")
        let response = try index.search(SearchRequest(query: "swarming"))
        #expect(response.hits.map(\.slug) == ["angry-customers"])
        #expect(try index.related(RelatedRequest(.slug("sla-basics"))).related.first?.slug == "queue-management")
    }

    @Test("the committed indexes of formats 1 and 5 (before languages) are refused with a message that says to rebuild", arguments: [1, 5])
    func olderFixture(format: Int) {
        let generation = Generation(number: 1, path: Fixtures.directory + "/format-\(format)/gen-000001.sqlite")
        do {
            _ = try SearchIndex(generation: generation)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("has index format \(format), this blogsearch reads format \(Schema.formatVersion): rebuild it with `blogsearch index`"))
        }
    }
}
