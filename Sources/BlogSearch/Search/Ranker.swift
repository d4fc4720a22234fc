import Foundation
import GRDB

/// A post on the ranked page.
struct RankedPost: Sendable, Hashable {
    var id: Int64
    var score: Double
    /// Whether it matches every clause (tier one).
    var all: Bool
}

/// What a ranker found: how many posts match, which, and the page.
struct Ranking {
    /// Every matching post's id (both tiers, within the filters), for the total and the facet counts.
    var matches: [Int32]
    /// How many match every clause.
    var allCount: Int
    /// The page: `request.offset ..< request.offset + request.limit` of the ranked matches.
    var page: [RankedPost]
    /// Which ranker it was (`SearchResponse.rankedBy`).
    var rankedBy: String
    /// What the ranker found beyond the page that a hit maker may make its hits from.
    var evidence: Evidence

    enum Evidence {
        case none
        /// Per post of the page: FTS5's snippet (marked with U+E000/U+E001) and matched-columns mask, made by
        /// the ranking statement itself.
        case fts5Rows([(snippet: String?, mask: Int)])
        /// The postings each phrase was ranked with, which also hold its positions in every post.
        case postings(PostingsTopKRanker.Answer)
    }
}

/// Ranks a planned query. Every ranker gives the same page in the same order as `FTS5Ranker`, the
/// reference (`TopKExactnessTests`); a faster one is another conformance, tried before it.
protocol Ranker: Sendable {
    /// Ranks the plan's matches, or returns nil when this ranker cannot rank this plan (the next one does).
    func rank(_ plan: QueryPlan, _ match: QueryPlan.Match, _ db: Database, index: SearchIndex) throws -> Ranking?
}

/// Which ranker ranked a search: `SearchResponse.rankedBy`.
enum RankingPath {
    /// blogsearch's postings, top k without scoring every match (`PostingsTopKRanker`).
    static let postings = "postings"
    /// FTS5 ranking every match with blogsearch_rank (`FTS5Ranker`).
    static let fts5 = "fts5"
}

/// FTS5 ranks every match with `blogsearch_rank`: the reference every other ranker must equal, and the ranker
/// of what the others cannot rank (date order, a phrase ending in a prefix, a generation without postings).
/// Each ranked query is an inner `MATCH … ORDER BY rank LIMIT` over `post_text`, with the filters inside the
/// MATCH (facet tokens) or as rowid ranges (dates).
struct FTS5Ranker: Ranker {
    func rank(_ plan: QueryPlan, _ match: QueryPlan.Match, _ db: Database, index: SearchIndex) throws -> Ranking? {
        let request = plan.request
        let range = match.range
        var ranking = Ranking(matches: [], allCount: 0, page: [], rankedBy: RankingPath.fts5, evidence: .none)
        let blob = try Data.fetchOne(db.cachedStatement(sql: "SELECT blogsearch_rowids(rowid) FROM post_text WHERE post_text MATCH ? AND rowid BETWEEN ? AND ?"),
                                     arguments: [match.anyPosts, range.lowerBound, range.upperBound]) ?? Data()
        ranking.matches = blob.withUnsafeBytes { raw in
            (0..<raw.count / 8).map { Int32(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
        guard !ranking.matches.isEmpty else { return ranking }
        ranking.allCount = match.tiered
            ? try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM post_text WHERE post_text MATCH ? AND rowid BETWEEN ? AND ?"),
                               arguments: [match.allPosts, range.lowerBound, range.upperBound]) ?? 0
            : ranking.matches.count
        let rankFunction = index.weights.rankFunction
        let total = ranking.matches.count, allCount = ranking.allCount
        if let boost = match.boost {
            // Every match of a tier scored by FTS5, its score boosted, sorted as the postings sort (score
            // descending, then id): the reference for the boost.
            func ordered(_ expression: String) throws -> [(id: Int64, score: Double)] {
                try Row.fetchAll(db.cachedStatement(sql: "SELECT rowid, rank FROM post_text WHERE post_text MATCH ? AND rank MATCH ? AND rowid BETWEEN ? AND ?"),
                                 arguments: [expression, rankFunction, range.lowerBound, range.upperBound])
                    .map { row -> (id: Int64, score: Double) in
                        let id: Int64 = row[0]
                        return (id, -(row[1] as Double) * boost.factors[Int(id) - 1])
                    }
                    .sorted { ($1.score, $0.id) < ($0.score, $1.id) }
            }
            if request.offset < allCount {
                ranking.page += try ordered(match.expression(allTerms: true)).dropFirst(request.offset).prefix(request.limit)
                    .map { RankedPost(id: $0.id, score: $0.score, all: true) }
            }
            if match.tiered, ranking.page.count < request.limit, allCount < total {
                ranking.page += try ordered(match.restPosts).dropFirst(max(0, request.offset - allCount)).prefix(request.limit - ranking.page.count)
                    .map { RankedPost(id: $0.id, score: $0.score, all: false) }
            }
            return ranking
        }
        // `ORDER BY rank` with `rank MATCH 'function(…)'` lets FTS5 rank all matches in its own sorter and call
        // the snippet and column functions only for the rows of the page. By date: FTS5 walks its rowids (date
        // order) backwards and ranks only the rows of the page.
        let ranked = """
            SELECT rowid, rank, blogsearch_snippet(post_text, 2, \(Snippet.tokens)), blogsearch_columns(post_text)
            FROM post_text WHERE post_text MATCH ? AND rank MATCH ? AND rowid BETWEEN ? AND ?
            ORDER BY \(request.sort == .date ? "rowid DESC" : "rank") LIMIT ? OFFSET ?
            """
        var rows: [(row: Row, all: Bool)] = []
        if request.offset < allCount {
            rows += try Row.fetchAll(db.cachedStatement(sql: ranked), arguments: [
                match.expression(allTerms: true), rankFunction, range.lowerBound, range.upperBound,
                min(request.limit, allCount - request.offset), request.offset,
            ]).map { ($0, true) }
        }
        if match.tiered, rows.count < request.limit, allCount < total {
            rows += try Row.fetchAll(db.cachedStatement(sql: ranked), arguments: [
                match.restPosts, rankFunction, range.lowerBound, range.upperBound, request.limit - rows.count, max(0, request.offset - allCount),
            ]).map { ($0, false) }
        }
        ranking.page = rows.map { RankedPost(id: $0.row[0], score: -($0.row[1] as Double), all: $0.all) }
        ranking.evidence = .fts5Rows(rows.map { (snippet: $0.row[2], mask: $0.row[3] ?? 0) })
        return ranking
    }
}
