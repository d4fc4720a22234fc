import CSQLiteExtras
import Foundation
import GRDB

/// What the postings ranker needs of a generation beyond its postings: FTS5's row count and every post's
/// norms, read once when the generation opens.
final class TopKSupport: Sendable {
    let rows: Double
    /// Per post id d: norms[(d - 1) * 4 + column], as blogsearch_rank computes them; owned, for the evaluator.
    nonisolated(unsafe) let norms: UnsafeMutableBufferPointer<Double>
    /// Whether the generation says where each comment starts (`comment_starts`): then the comment a hit
    /// matched in comes from the phrases' instances, without tokenizing every comment.
    let commentStarts: Bool
    /// Whether the generation marks every 32nd token of each body (`snippet_marks`), for snippets that do not
    /// tokenize the body from its beginning.
    let snippetMarks: Bool

    private init(rows: Double, norms: [Double], commentStarts: Bool, snippetMarks: Bool) {
        self.rows = rows
        self.norms = .allocate(capacity: max(1, norms.count))
        _ = self.norms.initialize(from: norms)
        self.commentStarts = commentStarts
        self.snippetMarks = snippetMarks
    }

    deinit { norms.deallocate() }

    /// Nil when the generation has no postings (built before them) or they were scored for other weights.
    static func load(_ db: Database, manifest: Manifest, weights: RankingWeights, path: String) throws -> TopKSupport? {
        guard let recorded = manifest.rankingWeights.flatMap(RankingWeights.init(json:)), recorded == weights,
              try db.tableExists("postings") else { return nil }
        let statistics = try FTS5Statistics.read(db, path: path, posts: manifest.posts)
        return TopKSupport(rows: Double(statistics.rows), norms: statistics.norms(weights),
                           commentStarts: try db.tableExists("comment_starts"), snippetMarks: try db.tableExists("snippet_marks"))
    }
}

/// Ranks with blogsearch's own postings (topk.c): the top k of relevance order without scoring every match,
/// the same page as `FTS5Ranker`. It ranks what its postings can answer: relevance order, a generation whose
/// postings were scored with the index's weights, and phrases whose terms the plan knows (`QueryPlan.terms`).
struct PostingsTopKRanker: Ranker {
    /// What the evaluation found besides the page: per phrase of the plan (`QueryPlan.terms`), the postings it
    /// was ranked with, which also make its hits.
    struct Answer {
        var postings: [LoadedPostings]
    }

    func rank(_ plan: QueryPlan, _ match: QueryPlan.Match, _ db: Database, index: SearchIndex) throws -> Ranking? {
        guard let support = index.topK, plan.request.sort == .relevance, let terms = plan.terms else { return nil }
        let request = plan.request
        let allowed = try allowedPosts(db, index: index, facets: match.facets, excluded: plan.parsed.excluded)
        let postings = try load(terms, db, index: index)
        let k = request.offset + request.limit
        let lists = postings.map(\.postings)
        let weights = index.weights
        let fields = [weights.title, weights.taxonomy, weights.body, weights.comments]
        let capacity = max(1, lists.map { Int($0.df) }.reduce(0, +))
        var matches = [Int32](repeating: 0, count: capacity)
        var hitDocs = [Int32](repeating: 0, count: k), hitScores = [Double](repeating: 0, count: k)
        var hitAll = [UInt8](repeating: 0, count: k)
        var result = bs_topk_result()
        var query = bs_topk_query(
            nPhrase: Int32(lists.count), phrases: nil, clauseOf: nil, nClause: Int32(terms.clauseCount), k1: weights.k1,
            proximity: weights.proximity, weight: (fields[0].weight, fields[1].weight, fields[2].weight, fields[3].weight),
            rows: support.rows, norms: UnsafePointer(support.norms.baseAddress), lo: Int32(match.range.lowerBound),
            hi: Int32(match.range.upperBound), allowed: nil, k: Int32(k), tiered: match.tiered ? 1 : 0,
            maxInstancesPerPosition: terms.maxInstancesPerPosition, boost: nil, maxBoost: match.boost?.max ?? 1)
        // Array arguments are valid for the call they are passed to: the query's pointers are set inside it.
        let code = evaluate(&query, &result, lists, terms.clauseOf, allowed ?? [], match.boost?.factors ?? [],
                            &matches, &hitDocs, &hitScores, &hitAll, filtered: allowed != nil, boosted: match.boost != nil)
        withExtendedLifetime(postings) {}
        guard code == 0 else {
            throw SearchError.indexCorrupt(path: index.generation.path, reason: "the postings of \(terms.sources) do not decode")
        }
        matches.removeSubrange(Int(result.nMatches)...)
        let page = (0..<Int(result.nHits)).dropFirst(request.offset).map {
            RankedPost(id: Int64(hitDocs[$0]), score: hitScores[$0], all: hitAll[$0] != 0)
        }
        return Ranking(matches: matches, allCount: Int(result.allCount), page: page, rankedBy: RankingPath.postings,
                       evidence: .postings(Answer(postings: postings)))
    }

    /// Runs `bs_topk` with the arrays' storage as the query's and the result's buffers.
    private func evaluate(_ query: inout bs_topk_query, _ result: inout bs_topk_result, _ lists: [bs_postings], _ clauseOf: [Int32],
                          _ allowed: [UInt8], _ boost: [Double], _ matches: UnsafeMutablePointer<Int32>,
                          _ hitDocs: UnsafeMutablePointer<Int32>, _ hitScores: UnsafeMutablePointer<Double>,
                          _ hitAll: UnsafeMutablePointer<UInt8>, filtered: Bool, boosted: Bool) -> Int32 {
        lists.withUnsafeBufferPointer { lists in
            clauseOf.withUnsafeBufferPointer { clauseOf in
                allowed.withUnsafeBufferPointer { allowed in
                    boost.withUnsafeBufferPointer { boost in
                        query.phrases = lists.baseAddress
                        query.clauseOf = clauseOf.baseAddress
                        query.allowed = filtered ? allowed.baseAddress : nil
                        query.boost = boosted ? boost.baseAddress : nil
                        result.matches = matches
                        result.hitDocs = hitDocs
                        result.hitScores = hitScores
                        result.hitAll = hitAll
                        return bs_topk(&query, &result)
                    }
                }
            }
        }
    }

    /// Each phrase's postings: a term's stored ones, a phrase's made from its terms', a prefix's the union of
    /// every term starting with it. Positions are loaded only when the proximity bonus needs them (two
    /// phrases or more) or a phrase is made from them.
    private func load(_ terms: QueryPlan.PhraseTerms, _ db: Database, index: SearchIndex) throws -> [LoadedPostings] {
        let weights = index.weights
        let support = index.topK!
        let withPositions = weights.proximity > 0 && terms.sources.count >= 2
        let fields = [weights.title, weights.taxonomy, weights.body, weights.comments]
        let scoring = bs_scoring(k1: weights.k1, weight: (fields[0].weight, fields[1].weight, fields[2].weight, fields[3].weight),
                                 rows: support.rows, norms: UnsafePointer(support.norms.baseAddress))
        var stored: [String: LoadedPostings] = [:]
        let select = try db.cachedStatement(sql: "SELECT id, df, blocks, docs, freqs FROM postings WHERE term = ?")
        let positions = try db.cachedStatement(sql: "SELECT data FROM positions WHERE id = ?")
        // A row of `postings` (id, df, blocks, docs, freqs), read through SQLite's C API: the blobs are copied
        // once, straight from SQLite's pages. Without its positions, it remembers their row for the hits.
        func load(_ row: StatementRow, positions needed: Bool) throws -> LoadedPostings {
            let df = Int(row.int64(1))
            guard needed else {
                let loaded = LoadedPostings(df: df, row: row, positions: nil)
                loaded.positionsRow = row.int64(0)
                return loaded
            }
            return try positions.firstRow(id: row.int64(0)) { LoadedPostings(df: df, row: row, positions: $0) }
                ?? LoadedPostings(df: df, row: row, positions: nil)
        }
        func term(_ term: String, positions needed: Bool) throws -> LoadedPostings {
            if let done = stored[term], done.postings.positions != nil || !needed { return done }
            let loaded = try select.firstRow(text: term) { try load($0, positions: needed) } ?? LoadedPostings.empty(positions: needed)
            stored[term] = loaded
            return loaded
        }
        func made(_ parts: [LoadedPostings], _ make: (UnsafePointer<bs_postings>, Int32, UnsafeMutablePointer<bs_postings>) -> Int32) throws -> LoadedPostings {
            var out = bs_postings()
            let lists = parts.map(\.postings)
            let rc = lists.withUnsafeBufferPointer { make($0.baseAddress!, Int32(lists.count), &out) }
            guard rc == 0 else { throw SearchError.indexCorrupt(path: index.generation.path, reason: "postings of \(terms.sources) do not decode") }
            return LoadedPostings(made: out)
        }
        var loaded: [QueryPlan.PhraseTerms.Source: LoadedPostings] = [:]
        for source in terms.sources where loaded[source] == nil {
            switch source {
            case .term(let word):
                loaded[source] = try term(word, positions: withPositions)
            case .phrase(let words):
                let parts = try words.map { try term($0, positions: true) }
                loaded[source] = try made(parts) { lists, n, out in withUnsafePointer(to: scoring) { bs_phrase_postings(lists, n, $0, out) } }
            case .prefix(let stem):
                // Every term that starts with the stem, in byte order from it.
                var parts: [LoadedPostings] = []
                try db.cachedStatement(sql: "SELECT id, df, blocks, docs, freqs, term FROM postings WHERE term >= ? ORDER BY term")
                    .forEachRow(text: stem) { row in
                        guard let term = row.text(5), term.utf8.starts(with: stem.utf8) else { return false }
                        parts.append(try load(row, positions: withPositions))
                        return true
                    }
                loaded[source] = parts.isEmpty
                    ? LoadedPostings.empty(positions: withPositions)
                    : try made(parts) { lists, n, out in withUnsafePointer(to: scoring) { bs_union_postings(lists, n, withPositions ? 1 : 0, $0, out) } }
            }
        }
        return terms.sources.map { loaded[$0]! }
    }

    /// The posts that pass the facet filters and exclusions, as a bitmap by post id; nil when there are none.
    private func allowedPosts(_ db: Database, index: SearchIndex, facets: [String], excluded: [ParsedQuery.Clause]) throws -> [UInt8]? {
        guard !facets.isEmpty || !excluded.isEmpty else { return nil }
        var bitmap = [UInt8](repeating: facets.isEmpty ? 0xFF : 0, count: index.postCount / 8 + 1)
        let rowids = try db.cachedStatement(sql: "SELECT blogsearch_rowids(rowid) FROM post_text WHERE post_text MATCH ?")
        func each(_ expression: String, _ body: (Int) -> Void) throws {
            let blob = try Data.fetchOne(rowids, arguments: [expression]) ?? Data()
            blob.withUnsafeBytes { raw in
                for i in 0..<(raw.count / 8) { body(Int(raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
            }
        }
        if !facets.isEmpty {
            try each(facets.map { "facets : " + MatchExpression.quote($0) }.joined(separator: " AND ")) { bitmap[$0 >> 3] |= 1 << ($0 & 7) }
        }
        if !excluded.isEmpty {
            let expression = MatchExpression.textColumns + " : (" + excluded.map(MatchExpression.render).joined(separator: " OR ") + ")"
            try each(expression) { bitmap[$0 >> 3] &= ~(1 << ($0 & 7)) }
        }
        return bitmap
    }
}

/// Postings handed to the evaluator (topk.c): a term's, copied out of SQLite, or made at query time from other
/// postings (query_postings.c: a phrase from its terms' positions, a prefix as the union of its terms).
final class LoadedPostings {
    private(set) var postings: bs_postings
    private let owned: UnsafeMutableRawBufferPointer?
    /// A stored term's row of `positions`, when its positions were not loaded: a hit reads its block there.
    var positionsRow: Int64?

    /// Postings read from the current rows of `postings` (blocks, docs and freqs in columns 2–4) and
    /// `positions` (column 0), when given, copied once.
    convenience init(df: Int, row: StatementRow, positions: StatementRow?) {
        self.init(df: df, row.withBytes(2) { blocks in row.withBytes(3) { docs in row.withBytes(4) { freqs in
            guard let positions else { return LoadedPostings.copy(blocks, docs, freqs, nil) }
            return positions.withBytes(0) { LoadedPostings.copy(blocks, docs, freqs, $0) }
        } } })
    }

    private init(df: Int, _ copied: (bytes: UnsafeMutableRawBufferPointer, counts: [Int], positions: Bool)) {
        owned = copied.bytes
        let base = copied.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let counts = copied.counts
        postings = bs_postings(blocks: base, nBlocks: Int32(counts[0] / PostingsFormat.blockHeaderBytes), docs: base + counts[0],
                               freqs: base + counts[0] + counts[1],
                               positions: copied.positions ? base + counts[0] + counts[1] + counts[2] : nil,
                               nDocs: Int32(counts[1]), nFreqs: Int32(counts[2]), nPositions: Int32(counts[3]), df: Int32(df))
    }

    /// The parts in one new buffer, in order, and their byte counts.
    private static func copy(_ blocks: UnsafeRawBufferPointer, _ docs: UnsafeRawBufferPointer, _ freqs: UnsafeRawBufferPointer,
                             _ positions: UnsafeRawBufferPointer?) -> (bytes: UnsafeMutableRawBufferPointer, counts: [Int], positions: Bool) {
        let parts = [blocks, docs, freqs, positions ?? UnsafeRawBufferPointer(start: nil, count: 0)]
        let counts = parts.map(\.count)
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, counts.reduce(0, +)), alignment: 8)
        var offset = 0
        for part in parts where part.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + part.count)]).copyMemory(from: part)
            offset += part.count
        }
        return (bytes, counts, positions != nil)
    }

    /// A term no post holds.
    static func empty(positions: Bool) -> LoadedPostings {
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        return LoadedPostings(df: 0, copy(none, none, none, positions ? none : nil))
    }

    /// Takes postings made by bs_phrase_postings or bs_union_postings.
    init(made: bs_postings) {
        postings = made
        owned = nil
    }

    deinit {
        if let owned { owned.deallocate() } else { bs_postings_free(&postings) }
    }
}
