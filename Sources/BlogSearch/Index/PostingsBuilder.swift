import CSQLiteExtras
import Foundation
import GRDB

/// blogsearch's own postings (layout: `PostingsFormat`), made in two steps: the posts' tokens (`PostTokens`, the
/// one tokenizer pass the vectors share, beside the text writing) grouped by term (`init`); then, once FTS5 has
/// written the text index, the block maxima scored with FTS5's own statistics and the rows written (`store`).
///
/// The postings depend only on the posts and FTS5's statistics, so an incremental build — which tokenizes only
/// the changed and new posts and reads the others' postings from the previous generation — equals a full
/// build's byte for byte.
struct PostingsBuilder: Sendable {
    /// The tokenized posts' terms, in byte order.
    let terms: [String]
    /// Term t's postings, in post order: `docs[termStarts[t]..<termStarts[t + 1]]`, their freqs bytes from
    /// `freqStarts[t]` and their positions bytes (each with its varint length first, as stored) from
    /// `positionStarts[t]` — `PostingsFormat`'s layouts, ready to copy.
    let termStarts: [Int]
    let freqStarts: [Int]
    let positionStarts: [Int]
    let docs: [Int32]
    let freqs: [UInt8]
    let positions: [UInt8]
    /// Per tokenized post with comments: the offset of each comment's first token, as little-endian UInt32s.
    let commentStarts: [(doc: Int32, starts: [UInt8])]
    let snippetMarks: [(doc: Int32, marks: [UInt8])]

    /// Groups the postings of `runs` (in post id order) by term: a counting sort.
    init(_ runs: [PostTokens]) {
        var vocabulary = Set<String>()
        for run in runs { vocabulary.formUnion(run.terms) }
        terms = vocabulary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(terms.count)
        for (id, term) in terms.enumerated() { ids[term] = Int32(id) }
        let global = runs.map { $0.terms.map { ids[$0]! } }

        // Each posting's bytes: its freqs, then its positions with their length first, in posting order.
        func forEachPosting(_ run: PostTokens, _ body: (_ p: Int, _ doc: Int32, _ freqs: Range<Int>, _ positions: Range<Int>) -> Void) {
            run.freqBytes.withUnsafeBufferPointer { freqs in
                run.positionBytes.withUnsafeBufferPointer { positions in
                    var f = 0, x = 0
                    for n in 0..<run.docs.count {
                        for p in run.postings(ofPost: n) {
                            let f0 = f, x0 = x
                            _ = PostingBytes.readFreqs(freqs, at: &f)
                            x += Int(PostingBytes.readVarint(positions, at: &x))
                            body(p, run.docs[n], f0..<f, x0..<x)
                        }
                    }
                }
            }
        }
        var postingCount = [Int](repeating: 0, count: terms.count + 1)
        var freqCount = postingCount, positionCount = postingCount
        for (r, run) in runs.enumerated() {
            forEachPosting(run) { p, _, freqs, positions in
                let t = Int(global[r][Int(run.postingTerm[p])]) + 1
                postingCount[t] += 1
                freqCount[t] += freqs.count
                positionCount[t] += positions.count
            }
        }
        for t in 0..<terms.count {
            postingCount[t + 1] += postingCount[t]
            freqCount[t + 1] += freqCount[t]
            positionCount[t + 1] += positionCount[t]
        }
        var docs = [Int32](repeating: 0, count: postingCount[terms.count])
        var freqs = [UInt8](repeating: 0, count: freqCount[terms.count])
        var positions = [UInt8](repeating: 0, count: positionCount[terms.count])
        var fill = (docs: postingCount, freqs: freqCount, positions: positionCount)
        docs.withUnsafeMutableBufferPointer { docs in
            freqs.withUnsafeMutableBufferPointer { freqs in
                positions.withUnsafeMutableBufferPointer { positions in
                    for (r, run) in runs.enumerated() {
                        run.freqBytes.withUnsafeBufferPointer { runFreqs in
                            run.positionBytes.withUnsafeBufferPointer { runPositions in
                                forEachPosting(run) { p, doc, f, x in
                                    let t = Int(global[r][Int(run.postingTerm[p])])
                                    docs[fill.docs[t]] = doc
                                    fill.docs[t] += 1
                                    (freqs.baseAddress! + fill.freqs[t]).update(from: runFreqs.baseAddress! + f.lowerBound, count: f.count)
                                    fill.freqs[t] += f.count
                                    (positions.baseAddress! + fill.positions[t]).update(from: runPositions.baseAddress! + x.lowerBound, count: x.count)
                                    fill.positions[t] += x.count
                                }
                            }
                        }
                    }
                }
            }
        }
        self.docs = docs
        self.freqs = freqs
        self.positions = positions
        termStarts = postingCount
        freqStarts = freqCount
        positionStarts = positionCount
        commentStarts = runs.flatMap { run in
            run.commentStarts.map { doc, starts in
                var bytes: [UInt8] = []
                for start in starts { PostingBytes.appendUInt32(UInt32(start), to: &bytes) }
                return (doc, bytes)
            }
        }
        snippetMarks = runs.flatMap(\.snippetMarks)
    }

    /// One term's rows.
    struct Encoded: Sendable {
        var term: String
        var df: Int
        var blocks: [UInt8] = []
        var docs: [UInt8] = []
        var freqs: [UInt8] = []
        var positions: [UInt8] = []
    }

    /// Terms encoded per batch: an incremental build reads the previous postings of one batch at a time.
    static let batchSize = 4096

    /// Writes the postings into the generation `db`, whose text index is complete: block maxima scored with
    /// `weights` and FTS5's statistics, read from the same file. With `kept` (an incremental build: `db` is a
    /// copy of the previous generation, and only posts `kept` does not name were tokenized), every kept post's
    /// postings, comment starts and snippet marks are read from the tables the copy still holds, so that
    /// the result equals a full build's byte for byte. Returns how many terms were written.
    func store(_ db: Database, path: String, posts: Int, weights: RankingWeights, kept: (@Sendable (Int32) -> Bool)? = nil) throws -> Int {
        let statistics = try FTS5Statistics.read(db, path: path, posts: posts)
        let norms = statistics.norms(weights)
        let fields = [weights.title, weights.taxonomy, weights.body, weights.comments]
        let score = Score(norms: norms, weight: fields.map(\.weight), k1: weights.k1, rows: Double(statistics.rows))

        // Every term, fresh or previous, in byte order; a fresh term's index in `terms`.
        var all = terms
        var fresh: [String: Int]? = nil
        if kept != nil {
            let previous = Set(try String.fetchAll(db, sql: "SELECT term FROM postings"))
            all = Array(previous.union(terms)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            fresh = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, $0) })
        }

        try db.execute(sql: "DROP TABLE IF EXISTS postings_next; DROP TABLE IF EXISTS positions_next")
        for statement in Schema.postingsTables(postings: "postings_next", positions: "positions_next") { try db.execute(sql: statement) }
        let insertPostings = try db.makeStatement(sql: "INSERT INTO postings_next(id, term, df, blocks, docs, freqs) VALUES (?, ?, ?, ?, ?, ?)")
        let insertPositions = try db.makeStatement(sql: "INSERT INTO positions_next(id, data) VALUES (?, ?)")
        let previousRows = kept == nil ? nil : try db.makeStatement(sql: """
            SELECT p.term, p.df, p.docs, p.freqs, x.data FROM postings p JOIN positions x ON x.id = p.id
            WHERE p.term >= ? AND p.term <= ?
            """)
        var written = 0
        for batch in stride(from: 0, to: all.count, by: Self.batchSize) {
            let slice = Array(all[batch..<min(all.count, batch + Self.batchSize)])
            var previous: [String: Stored] = [:]
            if let previousRows {
                for row in try Row.fetchAll(previousRows, arguments: [slice.first!, slice.last!]) {
                    previous[row[0]] = Stored(df: row[1], docs: [UInt8](row[2] as Data), freqs: [UInt8](row[3] as Data), positions: [UInt8](row[4] as Data))
                }
            }
            let shared = Unchecked((builder: self, previous: previous, fresh: fresh, offset: batch))
            let encoded: [Encoded] = Parallel.map(count: slice.count) { range in
                let data = shared.value
                return range.map { i in
                    let term = slice[i]
                    let t = data.fresh.map { $0[term] } ?? data.offset + i
                    return data.builder.encode(term: term, fresh: t, previous: data.previous[term], kept: kept, score: score)
                }
            }
            // A previous term whose every post changed is gone, as it would be from a full build.
            for term in encoded where term.df > 0 {
                written += 1
                try insertPostings.execute(arguments: [written, term.term, term.df, Data(term.blocks), Data(term.docs), Data(term.freqs)])
                try insertPositions.execute(arguments: [written, Data(term.positions)])
            }
        }

        // Comment starts and snippet marks: the kept posts' rows as they were, the fresh posts' new.
        var marks = snippetMarks.map { ($0.doc, Data($0.marks)) }
        var starts = commentStarts.map { ($0.doc, Data($0.starts)) }
        if let kept {
            for row in try Row.fetchAll(db, sql: "SELECT post_id, body FROM snippet_marks") where kept(row[0]) { marks.append((row[0], row[1])) }
            for row in try Row.fetchAll(db, sql: "SELECT post_id, starts FROM comment_starts") where kept(row[0]) { starts.append((row[0], row[1])) }
        }
        try db.execute(sql: "DROP TABLE IF EXISTS positions; DROP TABLE IF EXISTS postings")
        try db.execute(sql: "ALTER TABLE postings_next RENAME TO postings; ALTER TABLE positions_next RENAME TO positions")
        for statement in Schema.postingsSideTables { try db.execute(sql: statement) }
        let insertMarks = try db.makeStatement(sql: "INSERT INTO snippet_marks(post_id, body) VALUES (?, ?)")
        for (doc, data) in marks.sorted(by: { $0.0 < $1.0 }) { try insertMarks.execute(arguments: [doc, data]) }
        let insertStarts = try db.makeStatement(sql: "INSERT INTO comment_starts(post_id, starts) VALUES (?, ?)")
        for (doc, data) in starts.sorted(by: { $0.0 < $1.0 }) { try insertStarts.execute(arguments: [doc, data]) }
        return written
    }

    /// A term's rows as the previous generation stored them.
    struct Stored {
        var df: Int
        var docs: [UInt8]
        var freqs: [UInt8]
        var positions: [UInt8]
    }

    /// What a posting's score needs besides its counts: FTS5's statistics and the ranking weights.
    struct Score: Sendable {
        var norms: [Double]
        var weight: [Double]
        var k1: Double
        var rows: Double
    }

    /// One term's postings, read one at a time from the stored layouts: ids as numbers (`ids`) or as varint
    /// differences (`deltas`), freqs bytes, positions bytes each with its length first.
    private struct Reader {
        var ids: UnsafeBufferPointer<Int32>? = nil
        var deltas: UnsafeBufferPointer<UInt8>? = nil
        var freqs: UnsafeBufferPointer<UInt8>
        var positions: UnsafeBufferPointer<UInt8>
        var count: Int
        var n = 0, d = 0, f = 0, p = 0
        var doc: Int32 = 0
        var tf: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        var freqRange = 0..<0, positionRange = 0..<0

        /// Moves to the next posting; false past the last.
        mutating func next() -> Bool {
            guard n < count else { return false }
            if let ids { doc = ids[n] } else if let deltas { doc += Int32(PostingBytes.readVarint(deltas, at: &d)) }
            let f0 = f, p0 = p
            tf = PostingBytes.readFreqs(freqs, at: &f)
            p += Int(PostingBytes.readVarint(positions, at: &p))
            freqRange = f0..<f
            positionRange = p0..<p
            n += 1
            return true
        }
    }

    /// Term `term`'s rows: its fresh postings (term index `fresh` of `terms`, if it has any) merged in post order
    /// with the `previous` generation's postings of the posts `kept` names.
    private func encode(term: String, fresh: Int?, previous: Stored?, kept: ((Int32) -> Bool)?, score: Score) -> Encoded {
        let empty: [UInt8] = []
        let old = previous ?? Stored(df: 0, docs: empty, freqs: empty, positions: empty)
        return old.docs.withUnsafeBufferPointer { oldDocs in
            old.freqs.withUnsafeBufferPointer { oldFreqs in
                old.positions.withUnsafeBufferPointer { oldPositions in
                    docs.withUnsafeBufferPointer { newDocs in
                        freqs.withUnsafeBufferPointer { newFreqs in
                            positions.withUnsafeBufferPointer { newPositions in
                                var a = Reader(deltas: oldDocs, freqs: oldFreqs, positions: oldPositions, count: old.df)
                                var b = Reader(ids: UnsafeBufferPointer(start: nil, count: 0), freqs: newFreqs, positions: newPositions, count: 0)
                                if let t = fresh {
                                    b = Reader(ids: UnsafeBufferPointer(rebasing: newDocs[termStarts[t]..<termStarts[t + 1]]),
                                               freqs: UnsafeBufferPointer(rebasing: newFreqs[freqStarts[t]..<freqStarts[t + 1]]),
                                               positions: UnsafeBufferPointer(rebasing: newPositions[positionStarts[t]..<positionStarts[t + 1]]),
                                               count: termStarts[t + 1] - termStarts[t])
                                }
                                // The kept previous postings, counted first: the idf depends on the term's df.
                                var df = b.count
                                if let kept, a.count > 0 {
                                    var count = a
                                    while count.next() { if kept(count.doc) { df += 1 } }
                                } else {
                                    df += a.count
                                }
                                var out = Encoded(term: term, df: df)
                                guard df > 0 else { return out }
                                out.docs.reserveCapacity(df * 2)
                                out.freqs.reserveCapacity(oldFreqs.count + b.freqs.count)
                                out.positions.reserveCapacity(oldPositions.count + b.positions.count)
                                out.blocks.reserveCapacity((df + PostingsFormat.blockSize - 1) / PostingsFormat.blockSize * PostingsFormat.blockHeaderBytes)
                                let idf = bs_term_idf(score.rows, Double(df))
                                var hasA = a.next(), hasB = b.next()
                                func skipDropped() { while hasA, let kept, !kept(a.doc) { hasA = a.next() } }
                                skipDropped()
                                var n = 0
                                var last: Int32 = 0
                                var blockMax = 0.0
                                var blockStart = (docs: 0, freqs: 0, positions: 0)
                                score.norms.withUnsafeBufferPointer { norms in
                                    score.weight.withUnsafeBufferPointer { weight in
                                        while hasA || hasB {
                                            let fromA = hasA && (!hasB || a.doc < b.doc)
                                            let r = fromA ? a : b
                                            PostingBytes.appendVarint(UInt32(r.doc - last), to: &out.docs)
                                            last = r.doc
                                            out.freqs.append(contentsOf: UnsafeBufferPointer(rebasing: r.freqs[r.freqRange]))
                                            out.positions.append(contentsOf: UnsafeBufferPointer(rebasing: r.positions[r.positionRange]))
                                            var tf = r.tf
                                            let s = withUnsafePointer(to: &tf) { tf in
                                                tf.withMemoryRebound(to: Int32.self, capacity: PostingsFormat.textColumns) { tf in
                                                    bs_posting_score(idf, tf, norms.baseAddress! + Int(r.doc - 1) * PostingsFormat.textColumns, weight.baseAddress, score.k1)
                                                }
                                            }
                                            blockMax = max(blockMax, s)
                                            n += 1
                                            if n % PostingsFormat.blockSize == 0 || n == df {
                                                PostingBytes.appendUInt32(UInt32(last), to: &out.blocks)
                                                PostingBytes.appendUInt32(UInt32(blockStart.docs), to: &out.blocks)
                                                PostingBytes.appendUInt32(UInt32(blockStart.freqs), to: &out.blocks)
                                                PostingBytes.appendUInt32(UInt32(blockStart.positions), to: &out.blocks)
                                                // Rounded up, so that the stored maximum is never below a score computed in double.
                                                let bound = blockMax > 0 ? Float(blockMax).nextUp : 0
                                                PostingBytes.appendUInt32(bound.bitPattern, to: &out.blocks)
                                                blockMax = 0
                                                blockStart = (out.docs.count, out.freqs.count, out.positions.count)
                                            }
                                            if fromA {
                                                hasA = a.next()
                                                skipDropped()
                                            } else {
                                                hasB = b.next()
                                            }
                                        }
                                    }
                                }
                                return out
                            }
                        }
                    }
                }
            }
        }
    }
}
