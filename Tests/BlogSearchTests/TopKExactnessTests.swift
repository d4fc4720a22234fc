import Foundation
import GRDB
import Synchronization
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// The top-k path over blogsearch's postings must answer exactly as FTS5 ranking every match: the same posts
/// in the same order with the same scores (to the bit), totals, facets, snippets and comments, for every
/// query it takes, with filters and pages beyond the first.
@Suite("Top-k search equals exhaustive ranking")
struct TopKExactnessTests {
    /// A deterministic generator (SplitMix64), so that a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        /// Zipf-like: low indexes far more often.
        mutating func skewed(_ n: Int) -> Int { min(n - 1, Int(Double(n) * pow(Double(below(10_000)) / 10_000, 3))) }
    }

    /// Words with stems that collide (`connect`, `connected`, `connection`), stop words, and a long tail.
    static let vocabulary: [String] = {
        let fixed = ["connect", "connected", "connection", "refund", "refunds", "the", "and", "of", "queue", "queues", "ticket",
                     "escalation", "escalate", "empathy", "latency", "backlog", "triage", "macro", "survey", "churn"]
        let syllables = ["ka", "lo", "mi", "ne", "su", "ra", "to", "vi", "ze", "po", "qui", "dra"]
        var tail: [String] = []
        for a in syllables { for b in syllables where a != b { tail.append(a + b) } }
        return fixed + tail
    }()

    static func corpus(_ count: Int, seed: UInt64) -> [Post] {
        var random = Random(state: seed)
        let categories = ["Support", "Ops", "Product", "Hiring"], tags = ["sla", "csat", "tools", "people", "metrics", "ai"]
        func text(_ words: Int) -> String {
            (0..<words).map { _ in vocabulary[random.skewed(vocabulary.count)] }.joined(separator: " ")
        }
        return (0..<count).map { i in
            // Some posts repeat a short body: equal scores, where only the tie-break orders them.
            let body = i % 17 == 3 ? "connect the queue and the ticket" : text(20 + random.below(200))
            let comments = (0..<random.below(5)).map { c in
                Comment(id: "c\(c)", author: "reader \(c)", date: nil, body: text(3 + random.below(40)))
            }
            let date: String? = i % 11 == 0 ? nil : String(format: "2024-%02d-%02d", 1 + random.below(12), 1 + random.below(28))
            return Post(slug: String(format: "post-%04d", i), title: i % 17 == 3 ? "Same title" : text(2 + random.below(6)),
                        date: date, author: ["Ana", "Bo", "Cy"][random.below(3)],
                        categories: [categories[random.below(categories.count)]],
                        tags: Array(Set((0..<random.below(3)).map { _ in tags[random.below(tags.count)] })).sorted(),
                        body: body, comments: comments, source: SourceLocation(path: "posts.jsonl", line: i + 1))
        }
    }

    /// Queries of every class the postings answer: one word (common, rare, a stop word alone is dropped), two
    /// and three words, repeated words, OR groups, exclusions (words and phrases), long questions, phrases
    /// (common words next to each other are rare: most phrases match little or nothing), prefixes.
    static func queries(_ count: Int, seed: UInt64) -> [String] {
        var random = Random(state: seed)
        func word() -> String { vocabulary[random.below(4) == 0 ? random.below(vocabulary.count) : random.skewed(vocabulary.count)] }
        func prefix() -> String { String(word().prefix(2 + random.below(3))) + "*" }
        return (0..<count).map { i in
            switch i % 12 {
            case 0: return word()
            case 1: return "\(word()) \(word())"
            case 2: return "\(word()) \(word()) \(word())"
            case 3: return "\(word()) OR \(word()) OR \(word())"
            case 4: let w = word(); return "\(w) \(word()) \(w)"
            case 5: return "\(word()) \(word()) -\(word())"
            case 6: return "how do I \(word()) the \(word()) when \(word()) and \(word()) \(word())?"
            case 7: return "\(word()) -\"\(word()) \(word())\" \(word()) OR \(word())"
            case 8:
                // Half of the phrases from the body some posts share, so that phrases match.
                let shared = ["connect", "the", "queue", "and", "the", "ticket"]
                let from = random.below(4)
                return random.below(2) == 0 ? "\"\(word()) \(word())\"" : "\"" + shared[from...(from + 1 + random.below(2))].joined(separator: " ") + "\""
            case 9: return "\"\(word()) \(word()) \(word())\" \(word())"
            case 10: return "\(prefix()) \(word())"
            default: let p = prefix(); return "\(p) OR \"\(word()) \(word())\" \(p)"
            }
        }
    }

    /// A response with the timing and the path taken left out.
    func comparable(_ response: SearchResponse) -> SearchResponse {
        var copy = response
        copy.tookMs = 0
        copy.rankedBy = ""
        return copy
    }

    /// Counts the pages a hit maker made (a non-empty page it did not pass on).
    final class CountingHitMaker: HitMaker {
        let inner: any HitMaker
        let pages = Mutex(0)
        init(_ inner: any HitMaker) { self.inner = inner }

        func hits(_ ranking: Ranking, _ plan: QueryPlan, _ db: Database, index: SearchIndex) throws -> [SearchResponse.Hit]? {
            let made = try inner.hits(ranking, plan, db, index: index)
            if let made, !made.isEmpty { pages.withLock { $0 += 1 } }
            return made
        }
    }

    @Test("every ranker gives FTS5Ranker's answer: thousands of queries, with filters and pages")
    func sameAnswers() throws {
        let dir = TemporaryDirectory()
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(Corpus(posts: Self.corpus(400, seed: 7)), corpusPath: "mem")
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        var compared = 0, byPostings = 0, withWords = 0, withHits = 0, secondTier = 0, ties = 0, phrasesFound = 0, prefixesFound = 0, comments = 0
        let fastRankers = SearchIndex.rankers.filter { !($0 is FTS5Ranker) }
        #expect(!fastRankers.isEmpty)
        // Hits made from the postings, counted; the other makers as the search has them.
        let postingsHits = CountingHitMaker(PostingsHitMaker())
        let hitMakers: [any HitMaker] = [postingsHits] + HitMakers.full.filter { !($0 is PostingsHitMaker) }
        for (n, query) in Self.queries(2_000, seed: 11).enumerated() {
            var request = SearchRequest(query: query)
            switch n % 6 {
            case 1: request.offset = 10
            case 2: request.categories = ["Support"]
            case 3: request.since = "2024-03-01"; request.until = "2024-09-30"
            case 4: request.tags = ["sla"]; request.author = "Bo"; request.limit = 5
            case 5: request.offset = 37; request.limit = 25
            default: break
            }
            // The recency boost multiplies scores: its bound must keep the answers exact too.
            if n % 7 == 2 { request.recencyHalfLifeDays = n % 2 == 0 ? 30 : 400 }
            let exhaustive = try index.search(request, rankers: [FTS5Ranker()], hits: HitMakers.full)
            #expect(exhaustive.rankedBy == RankingPath.fts5)
            for ranker in fastRankers.dropLast() {
                #expect(comparable(try index.search(request, rankers: [ranker, FTS5Ranker()], hits: HitMakers.full)) == comparable(exhaustive),
                        "query \(n) '\(query)' ranked by \(ranker)")
            }
            let topK = try index.search(request, rankers: [fastRankers.last!, FTS5Ranker()], hits: hitMakers)
            if topK.rankedBy == RankingPath.postings { byPostings += 1 }
            if topK.hint == nil { withWords += 1 }
            if comparable(topK) != comparable(exhaustive) {
                let got = topK.hits.map { "\($0.slug) \($0.score) \($0.matchesAllTerms)" }
                let expected = exhaustive.hits.map { "\($0.slug) \($0.score) \($0.matchesAllTerms)" }
                let differing = zip(topK.hits, exhaustive.hits).first { $0 != $1 }.map { "\n first differing hit:\n \($0.0)\n expected:\n \($0.1)" } ?? ""
                Issue.record("query \(n) '\(query)' \(request): totals \(topK.total)/\(exhaustive.total)\n got \(got)\n expected \(expected)\(differing)")
                break
            }
            compared += 1
            if !topK.hits.isEmpty { withHits += 1 }
            if topK.hits.contains(where: { !$0.matchesAllTerms }) { secondTier += 1 }
            if zip(topK.hits, topK.hits.dropFirst()).contains(where: { $0.score == $1.score }) { ties += 1 }
            if query.hasPrefix("\""), !topK.hits.isEmpty { phrasesFound += 1 }
            if query.contains("*"), !topK.hits.isEmpty { prefixesFound += 1 }
            comments += topK.hits.filter { $0.comment != nil }.count
        }
        #expect(compared == 2_000)
        // Every query with a word left after the stop words is one the postings take; most find something,
        // many reach the second tier, and some pages hold equal scores, which only the tie-break orders.
        #expect(withWords > 1_850)
        #expect(byPostings == withWords)
        #expect(withHits > 1_500)
        #expect(secondTier > 150)
        #expect(ties > 10)
        #expect(phrasesFound > 50)
        #expect(prefixesFound > 150)
        // The matched comment comes from the postings' positions on one path and from tokenizing on the other;
        // the snippets from the positions and from FTS5's instances.
        #expect(comments > 2_000)
        #expect(postingsHits.pages.withLock { $0 } > 1_000)
    }

    @Test("a phrase ending in a prefix goes to FTS5 and says so; weights the postings were not scored for too")
    func fallbacks() throws {
        let dir = TemporaryDirectory()
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(Corpus(posts: Self.corpus(60, seed: 3)), corpusPath: "mem")
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(try index.search(SearchRequest(query: "queue")).rankedBy == RankingPath.postings)
        #expect(try index.search(SearchRequest(query: "\"the queue\"")).rankedBy == RankingPath.postings)
        #expect(try index.search(SearchRequest(query: "conn*")).rankedBy == RankingPath.postings)
        let fts5 = try index.search(SearchRequest(query: "\"the qu\"*"))
        #expect(fts5.rankedBy == RankingPath.fts5)
        #expect(fts5.total > 0)
        var other = RankingWeights.default
        other.k1 = 1.2
        let reweighted = try SearchIndex.open(directory: dir.url("indexes"), weights: other)
        #expect(try reweighted.search(SearchRequest(query: "queue")).rankedBy == RankingPath.fts5)
    }
}
