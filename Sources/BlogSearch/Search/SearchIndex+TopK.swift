import CSQLiteExtras
import Foundation
import GRDB

/// What the top-k path needs of a generation beyond its postings: FTS5's row count and every post's norms,
/// read once when the generation opens.
struct TopKSupport: Sendable {
    let rows: Double
    /// Per post id d: norms[(d - 1) * 4 + column], as blogsearch_rank computes them.
    let norms: [Double]
    /// Whether the generation says where each comment starts (`comment_starts`): then the comment a hit
    /// matched in comes from FTS5's instances, without tokenizing every comment.
    let commentStarts: Bool
    /// Whether the generation marks every 32nd token of each body (`snippet_marks`), for snippets that do not
    /// tokenize the body from its beginning.
    let snippetMarks: Bool

    /// Nil when the generation has no postings (built before them) or they were scored for other weights.
    static func load(_ db: Database, manifest: Manifest, weights: RankingWeights, path: String) throws -> TopKSupport? {
        guard let recorded = manifest.rankingWeights.flatMap(RankingWeights.init(json:)), recorded == weights,
              try db.tableExists("postings") else { return nil }
        let statistics = try FTS5Statistics.read(db, path: path, posts: manifest.posts)
        return TopKSupport(rows: Double(statistics.rows), norms: statistics.norms(weights),
                           commentStarts: try db.tableExists("comment_starts"), snippetMarks: try db.tableExists("snippet_marks"))
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
    /// A query the postings can answer, with the postings each of its phrases needs.
    struct TopKPlan {
        /// Where a phrase's postings come from.
        enum Source: Hashable {
            /// One term's stored postings.
            case term(String)
            /// Several terms in a row: made from their postings (`bs_phrase_postings`).
            case phrase([String])
            /// Every term starting with the stem: their union (`bs_union_postings`).
            case prefix(String)
        }
        /// Per phrase of `ParsedQuery.phrases` (after prefix expansion).
        var sources: [Source]
        /// Per phrase: the clause it belongs to.
        var clauseOf: [Int32]
        var clauseCount: Int

        /// Each phrase's length in terms: what a highlight of one of its instances covers.
        var phraseLengths: [Int] {
            sources.map { if case .phrase(let terms) = $0 { terms.count } else { 1 } }
        }

        /// The most phrases one token position can hold an instance of (the proximity bound needs it): for
        /// single words, how often the most repeated one is repeated; otherwise at most every other phrase.
        var maxInstancesPerPosition: Int32 {
            guard sources.allSatisfy({ if case .term = $0 { true } else { false } }) else { return Int32(max(1, sources.count - 1)) }
            var counts: [Source: Int32] = [:]
            for source in sources { counts[source, default: 0] += 1 }
            return counts.values.max() ?? 1
        }
    }

    /// The plan for `parsed` (prefixes already expanded), or nil when the postings cannot answer it: no
    /// postings, or a phrase ending in a prefix.
    func topKPlan(_ parsed: ParsedQuery) -> TopKPlan? {
        guard topK != nil else { return nil }
        return try? tokenizers.with { tokenizer -> TopKPlan? in
            var sources: [TopKPlan.Source] = []
            var clauseOf: [Int32] = []
            for (c, clause) in parsed.clauses.enumerated() {
                let phrases: [ParsedQuery.Clause] = if case .any(let inner) = clause { inner } else { [clause] }
                for phrase in phrases {
                    // FTS5 tokenizes a quoted phrase as a whole, with the index's tokenizer.
                    guard case .phrase(let tokens, let prefix) = phrase else { return nil }
                    let terms = tokenizer.terms(tokens.joined(separator: " "))
                    guard !terms.isEmpty else { return nil }
                    if prefix {
                        guard terms.count == 1 else { return nil }
                        sources.append(.prefix(terms[0]))
                    } else {
                        sources.append(terms.count == 1 ? .term(terms[0]) : .phrase(terms))
                    }
                    clauseOf.append(Int32(c))
                }
            }
            guard !sources.isEmpty, sources.count <= 64 else { return nil }
            return TopKPlan(sources: sources, clauseOf: clauseOf, clauseCount: parsed.clauses.count)
        } ?? nil
    }

    /// Postings handed to topk.c: a term's, copied out of SQLite, or made at query time.
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

    /// What the evaluation found: the page's hits and the counts.
    struct TopKAnswer {
        var matches: [Int32]
        var allCount: Int
        var hits: [(id: Int64, score: Double, all: Bool)]
        /// Per phrase of the plan: the postings it was ranked with, which also make its hits.
        var postings: [LoadedPostings]
    }

    /// Ranks with the postings. `allowed` filters post ids (facets, exclusions), nil when every post passes.
    /// - Parameter boost: per post (by id - 1), a factor of at least 1 its score is multiplied by, and the
    ///   largest (`recencyFactors`).
    func topK(_ plan: TopKPlan, _ db: Database, range: ClosedRange<Int64>, allowed: [UInt8]?, k: Int, tiered: Bool,
              boost: (factors: [Double], max: Double)? = nil) throws -> TopKAnswer {
        let support = topK!
        let withPositions = weights.proximity > 0 && plan.sources.count >= 2
        let fields = [weights.title, weights.taxonomy, weights.body, weights.comments]
        let weight = (fields[0].weight, fields[1].weight, fields[2].weight, fields[3].weight)
        return try support.norms.withUnsafeBufferPointer { norms in
            let scoring = bs_scoring(k1: weights.k1, weight: weight, rows: support.rows, norms: norms.baseAddress)
            var terms: [String: LoadedPostings] = [:]
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
                if let done = terms[term], done.postings.positions != nil || !needed { return done }
                let loaded = try select.firstRow(text: term) { try load($0, positions: needed) } ?? LoadedPostings.empty(positions: needed)
                terms[term] = loaded
                return loaded
            }
            func made(_ parts: [LoadedPostings], _ make: (UnsafePointer<bs_postings>, Int32, UnsafeMutablePointer<bs_postings>) -> Int32) throws -> LoadedPostings {
                var out = bs_postings()
                let lists = parts.map(\.postings)
                let rc = lists.withUnsafeBufferPointer { make($0.baseAddress!, Int32(lists.count), &out) }
                guard rc == 0 else { throw SearchError.indexCorrupt(path: generation.path, reason: "postings of \(plan.sources) do not decode") }
                return LoadedPostings(made: out)
            }
            var loaded: [TopKPlan.Source: LoadedPostings] = [:]
            for source in plan.sources where loaded[source] == nil {
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
            let lists = plan.sources.map { loaded[$0]!.postings }
            let capacity = max(1, lists.map { Int($0.df) }.reduce(0, +))
            var matches = [Int32](repeating: 0, count: capacity)
            var hitDocs = [Int32](repeating: 0, count: k), hitScores = [Double](repeating: 0, count: k)
            var hitAll = [UInt8](repeating: 0, count: k)
            var result = bs_topk_result()
            let rc = lists.withUnsafeBufferPointer { lists in
                plan.clauseOf.withUnsafeBufferPointer { clauseOf in
                    matches.withUnsafeMutableBufferPointer { matches in
                        hitDocs.withUnsafeMutableBufferPointer { hitDocs in
                            hitScores.withUnsafeMutableBufferPointer { hitScores in
                                hitAll.withUnsafeMutableBufferPointer { hitAll in
                                    boostPointer(boost?.factors) { boostFactors in allowedPointer(allowed) { allowed in
                                        var query = bs_topk_query(
                                            nPhrase: Int32(lists.count), phrases: lists.baseAddress, clauseOf: clauseOf.baseAddress,
                                            nClause: Int32(plan.clauseCount), k1: weights.k1, proximity: weights.proximity,
                                            weight: weight, rows: support.rows, norms: norms.baseAddress, lo: Int32(range.lowerBound),
                                            hi: Int32(range.upperBound), allowed: allowed, k: Int32(k), tiered: tiered ? 1 : 0,
                                            maxInstancesPerPosition: plan.maxInstancesPerPosition, boost: boostFactors,
                                            maxBoost: boost?.max ?? 1)
                                        result.matches = matches.baseAddress
                                        result.hitDocs = hitDocs.baseAddress
                                        result.hitScores = hitScores.baseAddress
                                        result.hitAll = hitAll.baseAddress
                                        return bs_topk(&query, &result)
                                    } }
                                }
                            }
                        }
                    }
                }
            }
            withExtendedLifetime(loaded) {}
            guard rc == 0 else {
                throw SearchError.indexCorrupt(path: generation.path, reason: "the postings of \(plan.sources) do not decode")
            }
            matches.removeSubrange(Int(result.nMatches)...)
            return TopKAnswer(matches: matches, allCount: Int(result.allCount),
                              hits: (0..<Int(result.nHits)).map { (Int64(hitDocs[$0]), hitScores[$0], hitAll[$0] != 0) },
                              postings: plan.sources.map { loaded[$0]! })
        }
    }

    private func boostPointer<R>(_ boost: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
        guard let boost else { return body(nil) }
        return boost.withUnsafeBufferPointer { body($0.baseAddress) }
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
