import Foundation
import Testing
@testable import BlogSearch

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
        #expect(try build(posts, into: dir.url("incremental")).reuse == .full(reason: "there is no previous generation"))
        posts[5].body += " Updated: a typo fixed, and a word on refund escalation."
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
        #expect(summary.generation.number == 2)
        let full = try build(posts, into: dir.url("full"), incremental: false)
        #expect(full.reuse == .full(reason: "a full build was asked for"))
        #expect(summary.manifest.corpusDigest == full.manifest.corpusDigest)
        #expect(summary.manifest.comments == full.manifest.comments)
        let slugs = posts.map(\.slug)
        let expected = try answers(dir.url("full"), slugs: slugs)
        expectSame(try answers(dir.url("incremental"), slugs: slugs), expected)
        #expect(expected.contains { $0.contains("post-041") && $0.contains("typo") })
        // Nothing changed: every post reused, still the same answers.
        let again = try build(posts, into: dir.url("incremental"))
        #expect(again.reuse == .incremental(reused: 63, changed: 0, added: 0))
        expectSame(try answers(dir.url("incremental"), slugs: slugs), expected)
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
