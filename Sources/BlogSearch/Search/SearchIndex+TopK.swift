import CSQLiteExtras
import Foundation
import GRDB

/// What the top-k path needs of a generation beyond its postings: FTS5's row count and every post's norms,
/// read once when the generation opens.
struct TopKSupport: Sendable {
    let rows: Double
    /// Per post id d: norms[(d - 1) * 4 + column], as blogsearch_rank computes them.
    let norms: [Double]

    /// Nil when the generation has no postings (built before them) or they were scored for other weights.
    static func load(_ db: Database, manifest: Manifest, weights: RankingWeights, path: String) throws -> TopKSupport? {
        guard let recorded = manifest.rankingWeights.flatMap(RankingWeights.init(json:)), recorded == weights,
              try db.tableExists("postings") else { return nil }
        let statistics = try FTS5Statistics.read(db, path: path, posts: manifest.posts)
        return TopKSupport(rows: Double(statistics.rows), norms: statistics.norms(weights))
    }
}

/// Which path ranked a search: `SearchResponse.rankedBy`.
enum RankingPath {
    /// blogsearch's postings, top k without scoring every match (topk.c).
    static let postings = "postings"
    /// FTS5 ranking every match with blogsearch_rank.
    static let fts5 = "fts5"
}

extension SearchIndex {
    /// A query the postings can answer: every positive phrase one term (no phrase of several words, no
    /// prefix), as FTS5 stems it.
    struct TopKPlan {
        /// Per phrase of `ParsedQuery.phrases`: its term.
        var terms: [String]
        /// Per phrase: the clause it belongs to.
        var clauseOf: [Int32]
        var clauseCount: Int
    }

    func topKPlan(_ parsed: ParsedQuery) -> TopKPlan? {
        guard topK != nil, !parsed.hasPrefixTerm else { return nil }
        var terms: [String] = []
        var clauseOf: [Int32] = []
        for (c, clause) in parsed.clauses.enumerated() {
            let phrases: [ParsedQuery.Clause] = if case .any(let inner) = clause { inner } else { [clause] }
            for phrase in phrases {
                guard case .phrase(let tokens, false) = phrase, tokens.count == 1,
                      let stems = try? tokenizers.with({ $0.terms(tokens[0]) }), stems.count == 1 else { return nil }
                terms.append(stems[0])
                clauseOf.append(Int32(c))
            }
        }
        guard !terms.isEmpty, terms.count <= 64 else { return nil }
        return TopKPlan(terms: terms, clauseOf: clauseOf, clauseCount: parsed.clauses.count)
    }

    /// One term's postings, copied out of SQLite for the evaluation.
    final class LoadedPostings {
        let bytes: UnsafeMutableRawBufferPointer
        let df: Int32, nBlocks: Int32, docs: Int, freqs: Int, positions: Int
        let hasPositions: Bool

        init(df: Int, blocks: Data, docs: Data, freqs: Data, positions: Data?) {
            let parts = [blocks, docs, freqs, positions ?? Data()]
            bytes = .allocate(byteCount: max(1, parts.reduce(0) { $0 + $1.count }), alignment: 8)
            var offset = 0
            for part in parts {
                part.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + part.count)]))
                offset += part.count
            }
            self.df = Int32(df)
            nBlocks = Int32(blocks.count / PostingsFormat.blockHeaderBytes)
            self.docs = docs.count
            self.freqs = freqs.count
            self.positions = positions?.count ?? 0
            hasPositions = positions != nil
        }

        deinit { bytes.deallocate() }

        var postings: bs_postings {
            let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let blocks = Int(nBlocks) * PostingsFormat.blockHeaderBytes
            return bs_postings(blocks: base, nBlocks: nBlocks, docs: base + blocks, freqs: base + blocks + docs,
                               positions: hasPositions ? base + blocks + docs + freqs : nil,
                               nDocs: Int32(docs), nFreqs: Int32(freqs), nPositions: Int32(positions), df: df)
        }
    }

    /// What the evaluation found: the page's hits and the counts.
    struct TopKAnswer {
        var matches: [Int64]
        var allCount: Int
        var hits: [(id: Int64, score: Double, all: Bool)]
    }

    /// Ranks with the postings. `allowed` filters post ids (facets, exclusions), nil when every post passes.
    func topK(_ plan: TopKPlan, _ db: Database, range: ClosedRange<Int64>, allowed: [UInt8]?, k: Int, tiered: Bool) throws -> TopKAnswer {
        let support = topK!
        let withPositions = weights.proximity > 0 && plan.terms.count >= 2
        var loaded: [String: LoadedPostings] = [:]
        let select = try db.cachedStatement(sql: "SELECT id, df, blocks, docs, freqs FROM postings WHERE term = ?")
        let positions = try db.cachedStatement(sql: "SELECT data FROM positions WHERE id = ?")
        for term in plan.terms where loaded[term] == nil {
            if let row = try Row.fetchOne(select, arguments: [term]) {
                let id: Int64 = row[0]
                let data = withPositions ? try Data.fetchOne(positions, arguments: [id]) : nil
                loaded[term] = LoadedPostings(df: row[1], blocks: row[2], docs: row[3], freqs: row[4], positions: data)
            } else {
                loaded[term] = LoadedPostings(df: 0, blocks: Data(), docs: Data(), freqs: Data(), positions: withPositions ? Data() : nil)
            }
        }
        let lists = plan.terms.map { loaded[$0]!.postings }
        let capacity = max(1, plan.terms.map { Int(loaded[$0]!.df) }.reduce(0, +))
        var matches = [Int32](repeating: 0, count: capacity)
        var hitDocs = [Int32](repeating: 0, count: k), hitScores = [Double](repeating: 0, count: k)
        var hitAll = [UInt8](repeating: 0, count: k)
        let fields = [weights.title, weights.taxonomy, weights.body, weights.comments]
        var result = bs_topk_result()
        let rc = lists.withUnsafeBufferPointer { lists in
            plan.clauseOf.withUnsafeBufferPointer { clauseOf in
                support.norms.withUnsafeBufferPointer { norms in
                    matches.withUnsafeMutableBufferPointer { matches in
                        hitDocs.withUnsafeMutableBufferPointer { hitDocs in
                            hitScores.withUnsafeMutableBufferPointer { hitScores in
                                hitAll.withUnsafeMutableBufferPointer { hitAll in
                                    allowedPointer(allowed) { allowed in
                                        var query = bs_topk_query(
                                            nPhrase: Int32(lists.count), phrases: lists.baseAddress, clauseOf: clauseOf.baseAddress,
                                            nClause: Int32(plan.clauseCount), k1: weights.k1, proximity: weights.proximity,
                                            weight: (fields[0].weight, fields[1].weight, fields[2].weight, fields[3].weight),
                                            rows: support.rows, norms: norms.baseAddress, lo: Int32(range.lowerBound),
                                            hi: Int32(range.upperBound), allowed: allowed, k: Int32(k), tiered: tiered ? 1 : 0)
                                        result.matches = matches.baseAddress
                                        result.hitDocs = hitDocs.baseAddress
                                        result.hitScores = hitScores.baseAddress
                                        result.hitAll = hitAll.baseAddress
                                        return bs_topk(&query, &result)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard rc == 0 else {
            throw SearchError.indexCorrupt(path: generation.path, reason: "the postings of \(plan.terms) do not decode")
        }
        return TopKAnswer(matches: matches.prefix(Int(result.nMatches)).map { Int64($0) }, allCount: Int(result.allCount),
                          hits: (0..<Int(result.nHits)).map { (Int64(hitDocs[$0]), hitScores[$0], hitAll[$0] != 0) })
    }

    private func allowedPointer<R>(_ allowed: [UInt8]?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
        guard let allowed else { return body(nil) }
        return allowed.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// The posts that pass the facet filters and exclusions, as a bitmap by post id; nil when there are none.
    func allowedPosts(_ db: Database, facets: [String], excluded: [ParsedQuery.Clause]) throws -> [UInt8]? {
        guard !facets.isEmpty || !excluded.isEmpty else { return nil }
        var bitmap = [UInt8](repeating: facets.isEmpty ? 0xFF : 0, count: posts.count / 8 + 1)
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
