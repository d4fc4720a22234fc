import Foundation
import GRDB
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Related posts")
struct RelatedTests {
    let dir = TemporaryDirectory()
    let index: SearchIndex

    init() throws {
        index = try Fixtures.blogIndex(dir)
    }

    func related(_ source: RelatedRequest.Source, limit: Int = 10, exclude: [String] = [], sameCategory: Bool = false,
                 olderOnly: Bool = false) throws -> [RelatedResponse.Item] {
        try index.related(RelatedRequest(source, limit: limit, exclude: exclude, sameCategory: sameCategory, olderOnly: olderOnly)).related
    }

    @Test("the closest post comes first, explained by shared words, tags and categories")
    func closest() throws {
        let items = try related(.slug("sla-basics"))
        let first = try #require(items.first)
        #expect(first.slug == "queue-management")
        #expect(first.sharedTerms.contains("response"))
        #expect(first.sharedTerms.contains("sla"))
        #expect(first.sharedTags == ["metrics"])
        #expect(first.sharedCategories == ["Support Operations"])
        #expect(items.map(\.score) == items.map(\.score).sorted(by: >))
    }

    @Test("a post is never related to itself, and explicit exclusions are honoured", arguments: [
        "empathy-in-support", "angry-customers", "sla-basics", "queue-management", "escaping-forms",
    ])
    func neverSelf(slug: String) throws {
        let items = try related(.slug(slug), limit: 100)
        #expect(!items.contains { $0.slug == slug })
        if let first = items.first {
            #expect(!(try related(.slug(slug), exclude: [first.slug])).contains { $0.slug == first.slug })
        }
    }

    @Test("similarity is symmetric: if A lists B, B lists A with the same score")
    func symmetric() throws {
        let a = try related(.slug("empathy-in-support"))
        let b = try related(.slug("angry-customers"))
        let ab = try #require(a.first { $0.slug == "angry-customers" })
        let ba = try #require(b.first { $0.slug == "empathy-in-support" })
        #expect(abs(ab.score - ba.score) < 1e-4)
    }

    @Test("same-category and older-only options filter the list")
    func options() throws {
        let same = try related(.slug("angry-customers"), sameCategory: true)
        #expect(!same.isEmpty)
        #expect(same.allSatisfy { $0.sharedCategories == ["Customer Support"] })
        let older = try related(.slug("queue-management"), olderOnly: true)
        #expect(older.allSatisfy { ($0.date ?? "9999") < "2025-02-17" })
        #expect(older.contains { $0.slug == "sla-basics" })
        #expect(try related(.slug("sla-basics"), olderOnly: true).isEmpty)   // the oldest post
    }

    @Test("posts with no text in common are not related (the minimum score drops them)")
    func noCommonText() throws {
        let items = try related(.slug("escaping-forms"), limit: 100)
        #expect(!items.contains { $0.slug == "sla-basics" })
        #expect(items.allSatisfy { $0.score >= RelatedWeights.default.minimumScore })
    }

    @Test("free text finds the posts it is about")
    func freeText() throws {
        let response = try index.related(RelatedRequest(.text("How should agents respond when an angry customer escalates?")))
        #expect(response.slug == nil)
        #expect(response.related.first?.slug == "angry-customers")
        #expect(response.related.first?.sharedTags == [])
        #expect(try related(.text("the and of")).isEmpty)
        #expect(try related(.text("zyxxy qwerty")).isEmpty)
    }

    @Test("a post can be named by its URL, path or full address")
    func byURL() throws {
        for url in ["/posts/sla-basics/", "/posts/sla-basics", "https://blog.example/posts/sla-basics/?utm_source=x"] {
            #expect(try index.related(RelatedRequest(.url(url))).slug == "sla-basics")
        }
    }

    @Test("an unknown slug or URL is an error naming it, with close matches")
    func unknown() {
        #expect(throws: SearchError.postNotFound(slug: "sla-basic", suggestions: ["sla-basics"])) {
            try index.related(RelatedRequest(.slug("sla-basic")))
        }
        #expect(throws: SearchError.self) { try index.related(RelatedRequest(.url("/nope/"))) }
        #expect(throws: SearchError.invalidParameter(name: "limit", message: "0 is not between 1 and 100")) {
            try index.related(RelatedRequest(.slug("sla-basics"), limit: 0))
        }
    }

    @Test("beyond the precomputed K, more come from the vectors, in the same order with the same scores")
    func beyondK() throws {
        let dir = TemporaryDirectory()
        let corpusPath = Fixtures.blog(in: dir)
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes"), relatedK: 1).build(try CorpusReader().read(at: corpusPath), corpusPath: corpusPath)
        let small = try SearchIndex.open(directory: dir.url("indexes"))
        let full = try index.related(RelatedRequest(.slug("empathy-in-support"), limit: 100)).related
        let computed = try small.related(RelatedRequest(.slug("empathy-in-support"), limit: 100)).related
        #expect(full.count == 3)
        #expect(computed.map(\.slug) == full.map(\.slug))
        #expect(zip(computed, full).allSatisfy { abs($0.score - $1.score) < 1e-4 && $0.sharedTerms == $1.sharedTerms })
    }

    @Test("empty and one-post corpora build and answer with nothing related")
    func tinyCorpora() throws {
        let dir = TemporaryDirectory()
        let one = Corpus(posts: [Post(slug: "only", title: "Only post", body: "alone here", source: SourceLocation(path: "x.md"))])
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(one, corpusPath: "mem")
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(try index.related(RelatedRequest(.slug("only"))).related.isEmpty)
        #expect(try index.related(RelatedRequest(.text("alone"))).related.map(\.slug) == ["only"])
        let empty = Corpus(posts: [Post(slug: "blank", title: "", body: "", source: SourceLocation(path: "y.md")),
                                   Post(slug: "blank2", title: "the", body: "", source: SourceLocation(path: "z.md"))])
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes2")).build(empty, corpusPath: "mem")
        #expect(try SearchIndex.open(directory: dir.url("indexes2")).related(RelatedRequest(.slug("blank"))).related.isEmpty)
    }

    @Test("vector terms are exactly FTS5's terms, on a varied sample")
    func tokenizerMatchesFTS5() throws {
        let sample = [
            "Customers' e-mails about naïve café résumés, 24/7 support & SLA-breaches!",
            "Running runners ran; RUNS run-time 3.14 über Ǆemal ﬁnance",
            "日本語のテキスト and emoji 🙂 plus ΑΘΗΝΑ and straße",
        ]
        let tokenizer = try TermTokenizer()
        let dir = TemporaryDirectory()
        let queue = try GRDB.DatabaseQueue(path: dir.url("t.sqlite"), configuration: SQLiteSetup.configuration(readonly: false))
        try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = '\(Analyzer.tokenizerSpec)')")
            try db.execute(sql: "CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
            for (i, text) in sample.enumerated() {
                try db.execute(sql: "INSERT INTO t(rowid, x) VALUES (?, ?)", arguments: [i + 1, text])
            }
        }
        for (i, text) in sample.enumerated() {
            let fts = try queue.read { db in
                try String.fetchAll(db, sql: "SELECT term FROM v WHERE doc = ? ORDER BY offset", arguments: [i + 1])
            }
            #expect(tokenizer.terms(text) == fts)
        }
    }
}
