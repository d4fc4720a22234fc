import Foundation
import GRDB
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// Incremental rebuilds: the previous generation's text is reused for unchanged posts, and what is published
/// answers exactly as a full build of the same corpus.
@Suite("Incremental rebuilds")
struct IncrementalTests {
    static let words = ["swarm", "queue", "ticket", "refund", "escalation", "empathy", "latency", "backlog",
                        "sla", "triage", "macro", "survey", "churn", "onboarding", "handoff", "runbook"]

    /// A corpus where posts share words unevenly, with comments, tags and dates in order of slug.
    static func corpus(_ count: Int) -> [Post] {
        (0..<count).map { i in
            let body = (0..<40).map { k in words[(i * 7 + k * k) % words.count] }.joined(separator: " ")
            let comments = (0..<(i % 4)).map { c in
                Comment(id: "c\(c)", author: "reader \(c)", date: nil, body: "about the \(words[(i + c) % words.count]) part, thanks")
            }
            return Post(slug: String(format: "post-%03d", i), title: "The \(words[i % words.count]) guide \(i)",
                        date: String(format: "2024-%02d-%02d", 1 + i / 28, 1 + i % 28), categories: [i % 2 == 0 ? "Support" : "Ops"],
                        tags: [words[(i * 3) % words.count]], body: body, comments: comments,
                        source: SourceLocation(path: "posts.jsonl", line: i + 1))
        }
    }

    func build(_ posts: [Post], into dir: String, incremental: Bool = true) throws -> BuildSummary {
        var builder = IndexBuilder(indexesDirectory: dir)
        builder.incremental = incremental
        return try builder.build(Corpus(posts: posts), corpusPath: "mem")
    }

    /// Everything a reader can get from a generation, for comparison: search responses and related lists.
    func answers(_ dir: String, slugs: [String]) throws -> [String] {
        let index = try SearchIndex.open(directory: dir)
        var out: [String] = []
        for query in ["swarm", "refund escalation", "thanks", "\"the backlog\"", "tri*", "guide -churn", "reader", "typo"] {
            for filter in [SearchRequest(query: query, limit: 50), SearchRequest(query: query, categories: ["Ops"]),
                           SearchRequest(query: query, since: "2024-02-01")] {
                var response = try index.search(filter)
                response.tookMs = 0
                out.append("\(response)")
            }
        }
        for slug in slugs {
            var related = try index.related(RelatedRequest(.slug(slug), limit: 20))
            related.tookMs = 0
            out.append("\(related)")
        }
        return out
    }

    /// The vector store, related lists and postings of the current generation, row by row: vocabulary (ids,
    /// document frequencies, display and surface forms), vectors (ids, weights and counts, bit for bit), lists,
    /// and the postings with their block maxima and positions, and the spelling vocabulary, byte for byte.
    func vectorStore(_ dir: String) throws -> [String] {
        let generation = try #require(try GenerationStore(directory: dir).current())
        let queue = try DatabaseQueue(path: generation.path)
        defer { try? queue.close() }
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT id || ' ' || term || ' ' || df || ' ' || display || ' ' || surfaces FROM terms ORDER BY id")
                + String.fetchAll(db, sql: "SELECT post_id || ' ' || hex(term_ids) || ' ' || hex(weights) || ' ' || hex(counts) FROM vectors ORDER BY post_id")
                + String.fetchAll(db, sql: "SELECT post_id || ' ' || rank || ' ' || other_id || ' ' || score || ' ' || shared_terms FROM related ORDER BY post_id, rank")
                + String.fetchAll(db, sql: "SELECT id || ' ' || term || ' ' || df || ' ' || hex(blocks) || ' ' || hex(docs) || ' ' || hex(freqs) FROM postings ORDER BY id")
                + String.fetchAll(db, sql: "SELECT id || ' ' || hex(data) FROM positions ORDER BY id")
                + String.fetchAll(db, sql: "SELECT post_id || ' ' || hex(starts) FROM comment_starts ORDER BY post_id")
                + String.fetchAll(db, sql: "SELECT post_id || ' ' || hex(body) FROM snippet_marks ORDER BY post_id")
                + String.fetchAll(db, sql: "SELECT hex(chars) || ' ' || hex(starts) || ' ' || hex(counts) FROM spelling")
        }
    }

    /// Expects equal answers, reporting the first that differs.
    func expectSame(_ actual: [String], _ expected: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        if let i = actual.indices.first(where: { $0 < expected.count && actual[$0] != expected[$0] }) {
            Issue.record("answer \(i) differs:\n\(actual[i])\nexpected:\n\(expected[i])", sourceLocation: sourceLocation)
        }
    }

    @Test("changed and appended posts are rewritten; the result answers exactly as a full build")
    func identicalToFull() throws {
        let dir = TemporaryDirectory()
        var posts = IncrementalTests.corpus(60)
        posts[5].body += " Swarmed by Swarmers."   // forms of `swarm` that only this version holds
        #expect(try build(posts, into: dir.url("incremental")).reuse == .full(reason: "there is no previous generation"))
        posts[5].body = IncrementalTests.corpus(60)[5].body + " Updated: a typo fixed, and a word on refund escalation."
        posts[17].comments.append(Comment(id: "late", author: "someone", date: nil, body: "a late swarm question"))
        posts[30].comments.removeAll()
        posts[41].tags = ["churn", "typo"]
        posts[44].source = SourceLocation(path: "posts.jsonl", line: 999)   // moved in the file, same content
        for i in 60..<63 {
            var post = IncrementalTests.corpus(i + 1)[i]
            post.date = "2025-01-0\(i - 59)"
            posts.append(post)
        }
        let summary = try build(posts, into: dir.url("incremental"))
        #expect(summary.reuse == .incremental(reused: 56, changed: 4, added: 3))
        #expect(summary.related.source == .counted(reused: 56, tokenized: 7))
        #expect(summary.generation.number == 2)
        let full = try build(posts, into: dir.url("full"), incremental: false)
        #expect(full.reuse == .full(reason: "a full build was asked for"))
        #expect(summary.manifest.corpusDigest == full.manifest.corpusDigest)
        #expect(summary.manifest.comments == full.manifest.comments)
        let slugs = posts.map(\.slug)
        let expected = try answers(dir.url("full"), slugs: slugs)
        expectSame(try answers(dir.url("incremental"), slugs: slugs), expected)
        #expect(expected.contains { $0.contains("post-041") && $0.contains("typo") })
        let store = try vectorStore(dir.url("full"))
        expectSame(try vectorStore(dir.url("incremental")), store)
        #expect(!store.contains { $0.contains("swarmed") || $0.contains("swarmers") })
        // Nothing changed: every post reused, the related lists kept, still the same answers.
        let again = try build(posts, into: dir.url("incremental"))
        #expect(again.reuse == .incremental(reused: 63, changed: 0, added: 0))
        #expect(again.related.source == .kept)
        expectSame(try answers(dir.url("incremental"), slugs: slugs), expected)
        expectSame(try vectorStore(dir.url("incremental")), store)
    }

    @Test("other settings: related lists are recomputed (term counts reused only under the same field weights)")
    func settingsChange() throws {
        let dir = TemporaryDirectory()
        let posts = IncrementalTests.corpus(50)
        _ = try build(posts, into: dir.url("incremental"))
        func tuned(_ key: String, _ value: Double, into path: String, incremental: Bool = true) throws -> BuildSummary {
            var tuning = IndexTuning()
            let known = tuning.set(key, value)
            #expect(known)
            tuning.incremental = incremental
            var builder = IndexBuilder(indexesDirectory: path)
            tuning.apply(to: &builder)
            return try builder.build(Corpus(posts: posts), corpusPath: "mem")
        }
        // Another K: the same counts, new lists.
        let k = try tuned("k", 5, into: dir.url("incremental"))
        #expect(k.related.source == .counted(reused: 50, tokenized: 0))
        _ = try tuned("k", 5, into: dir.url("k5"), incremental: false)
        expectSame(try vectorStore(dir.url("incremental")), try vectorStore(dir.url("k5")))
        // Other field weights: the counts themselves change, every post is tokenized again.
        let weighted = try tuned("comments", 1, into: dir.url("incremental"))
        #expect(weighted.related.source == .tokenized)
        _ = try tuned("comments", 1, into: dir.url("comments1"), incremental: false)
        expectSame(try vectorStore(dir.url("incremental")), try vectorStore(dir.url("comments1")))
    }

    @Test("the content hash changes with every indexed field and with where fields end, not with the source")
    func contentHash() {
        let post = IncrementalTests.corpus(4)[3]
        let hash = ContentHash.of(post)
        var variants: [Post] = []
        for change in 0..<9 {
            var p = post
            switch change {
            case 7: p.lang = "ja"
            case 8: p.translationKey = "k"
            case 0: p.title += "!"
            case 1: p.body = String(p.body.dropLast())
            case 2: p.tags = [p.tags[0] + "x"]
            case 3: p.categories = [p.categories[0], "More"]
            case 4: p.comments[0].body += "."
            case 5: p.comments.removeLast()
            default: (p.tags, p.categories) = (p.categories, p.tags)   // the same words, in other fields
            }
            variants.append(p)
        }
        #expect(variants.allSatisfy { ContentHash.of($0) != hash })
        var moved = post
        moved.source = SourceLocation(path: "elsewhere.jsonl", line: 7)
        #expect(ContentHash.of(moved) == hash)
        // Fed whole or byte by byte, across the 8-byte words: the same value.
        let text = Array("a body that is longer than a few words, with ümlauts".utf8)
        var whole = StreamHasher(), bytes = StreamHasher()
        whole.add(byte: 1)
        text.withUnsafeBufferPointer { whole.add($0) }
        bytes.add(byte: 1)
        for b in text { bytes.add(byte: b) }
        #expect(whole.finish() == bytes.finish())
    }

    @Test("a removed post, a post dated before the newest or a changed date that reorders makes a full build, with the reason")
    func fallsBackToFull() throws {
        let dir = TemporaryDirectory()
        let posts = IncrementalTests.corpus(40)
        _ = try build(posts, into: dir.url("indexes"))
        var removed = posts
        removed.remove(at: 3)
        guard case .full(let reason) = try build(removed, into: dir.url("indexes")).reuse else {
            Issue.record("expected a full build")
            return
        }
        #expect(reason.contains("1 post(s) fewer"))
        var earlier = removed
        var old = IncrementalTests.corpus(41)[40]
        old.date = "2023-06-01"
        earlier.append(old)
        guard case .full(let why) = try build(earlier, into: dir.url("indexes")).reuse else {
            Issue.record("expected a full build")
            return
        }
        #expect(why.contains("ids move"))
        let slugs = earlier.map(\.slug)
        let fresh = TemporaryDirectory()
        _ = try build(earlier, into: fresh.url("indexes"), incremental: false)
        expectSame(try answers(dir.url("indexes"), slugs: slugs), try answers(fresh.url("indexes"), slugs: slugs))
    }
}
