import CSQLiteExtras
import Foundation
import GRDB
import Synchronization

/// blogsearch's own postings (layout: `PostingsFormat`), made in two steps: every post tokenized with FTS5's own
/// tokenizer, per text column with positions (`tokenize`, beside the text writing); then, once FTS5 has
/// written the text index, the block maxima scored with FTS5's own statistics and the rows written (`store`).
///
/// Every build tokenizes every post for this: the postings depend only on the posts and FTS5's statistics,
/// so an incremental build's postings equal a full build's byte for byte.
struct PostingsBuilder: Sendable {
    /// The terms of a run of posts, with ids local to the run, and their postings in post order.
    struct Chunk: Sendable {
        var terms: [String] = []
        var termIDs: [String: Int32] = [:]
        var postingTerm: [Int32] = []
        var postingDoc: [Int32] = []
        /// Where each posting's bytes start in `freqBytes` and `positionBytes` (the next posting's start ends them).
        var freqStart: [UInt32] = []
        var positionStart: [UInt32] = []
        var freqBytes: [UInt8] = []
        var positionBytes: [UInt8] = []

        /// Per post with comments: its id and the offset of each comment's first token in the comments column.
        var commentStarts: [(doc: Int32, starts: [Int32])] = []
        /// Per post with a body of more than `snippetMarkEvery` tokens: the byte offsets of its tokens 0, 32, 64, …
        var snippetMarks: [(doc: Int32, marks: [UInt8])] = []

        /// `comments` are the comment texts the comments column joins (with blank lines, which no token spans):
        /// tokenized one by one, so that where each starts is known.
        mutating func add(_ text: PostText, comments: [String], doc: Int32, tokenizer: TermTokenizer) {
            // One key per token: local term id, column, position; sorted, a post's postings in term order.
            var keys: [UInt64] = []
            var marks: [UInt8] = []
            func add(_ field: String, column: Int, from position: inout UInt64) {
                tokenizer.forEachTerm(in: field) { term, start in
                    keys.append(UInt64(intern(term)) << 32 | UInt64(column) << 28 | min(position, (1 << 28) - 1))
                    if column == 2, position % UInt64(PostingsFormat.snippetMarkEvery) == 0 {
                        PostingsFormat.appendUInt32(UInt32(start), to: &marks)
                    }
                    position += 1
                }
            }
            for (column, field) in [text.title, text.taxonomy, text.body].enumerated() where !field.isEmpty {
                var position: UInt64 = 0
                add(field, column: column, from: &position)
            }
            // A body of one mark starts at its beginning anyway.
            if marks.count > 4 { snippetMarks.append((doc, marks)) }
            var position: UInt64 = 0
            var starts: [Int32] = []
            for comment in comments {
                starts.append(Int32(min(position, UInt64(Int32.max))))
                add(comment, column: 3, from: &position)
            }
            if !starts.isEmpty { commentStarts.append((doc, starts)) }
            keys.sort()
            var i = 0
            var scratch: [UInt8] = []
            while i < keys.count {
                let term = Int32(keys[i] >> 32)
                var counts: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
                scratch.removeAll(keepingCapacity: true)
                var previous = (column: -1, position: UInt32(0))
                while i < keys.count, Int32(keys[i] >> 32) == term {
                    let column = Int((keys[i] >> 28) & 0xF), position = UInt32(keys[i] & ((1 << 28) - 1))
                    switch column {
                    case 0: counts.0 += 1
                    case 1: counts.1 += 1
                    case 2: counts.2 += 1
                    default: counts.3 += 1
                    }
                    PostingsFormat.appendVarint(column == previous.column ? position - previous.position : position, to: &scratch)
                    previous = (column, position)
                    i += 1
                }
                postingTerm.append(term)
                postingDoc.append(doc)
                freqStart.append(UInt32(freqBytes.count))
                positionStart.append(UInt32(positionBytes.count))
                PostingsFormat.appendFreqs(counts, to: &freqBytes)
                positionBytes.append(contentsOf: scratch)
            }
        }

        private mutating func intern(_ term: String) -> Int32 {
            if let id = termIDs[term] { return id }
            let id = Int32(terms.count)
            termIDs[term] = id
            terms.append(term)
            return id
        }
    }

    /// Every post tokenized, in chunks on every core.
    let chunks: [Chunk]
    let seconds: Double

    static let chunkSize = 512

    /// Tokenizes the posts at `indexes` (ascending; post i has id i + 1), by default all of them. An
    /// incremental build tokenizes the changed and new posts only, and `store` takes the others' postings
    /// from the previous generation.
    static func tokenize(_ posts: [Post], only indexes: [Int]? = nil) throws -> PostingsBuilder {
        let started = ContinuousClock.now
        let shared = Unchecked((posts: posts, indexes: indexes ?? Array(posts.indices)))
        let chunks = try TermTokenizer.inChunks(count: shared.value.indexes.count, chunkSize: chunkSize) { tokenizer, range in
            var local = Chunk()
            for n in range {
                let i = shared.value.indexes[n]
                let post = shared.value.posts[i]
                local.add(PostText(post), comments: PostText.comments(post), doc: Int32(i + 1), tokenizer: tokenizer)
            }
            return local
        }
        return PostingsBuilder(chunks: chunks, seconds: (ContinuousClock.now - started).seconds)
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

    /// One posting to encode: its post id, its `freqs` bytes and its positions (without the length prefix).
    struct Source {
        var doc: Int32
        var freqs: ArraySlice<UInt8>
        var positions: ArraySlice<UInt8>
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
        let weight = fields.map(\.weight)

        // The fresh postings grouped by term, in post order (chunks and posts come in id order): a counting sort.
        var freshVocabulary = Set<String>()
        for chunk in chunks { freshVocabulary.formUnion(chunk.terms) }
        let freshTerms = Array(freshVocabulary)
        var freshIDs: [String: Int32] = [:]
        freshIDs.reserveCapacity(freshTerms.count)
        for (id, term) in freshTerms.enumerated() { freshIDs[term] = Int32(id) }
        let global = chunks.map { $0.terms.map { freshIDs[$0]! } }
        var starts = [Int](repeating: 0, count: freshTerms.count + 1)
        for (c, chunk) in chunks.enumerated() { for local in chunk.postingTerm { starts[Int(global[c][Int(local)]) + 1] += 1 } }
        for t in 0..<freshTerms.count { starts[t + 1] += starts[t] }
        var fill = starts
        var order = [UInt64](repeating: 0, count: starts[freshTerms.count])
        for (c, chunk) in chunks.enumerated() {
            for (p, local) in chunk.postingTerm.enumerated() {
                let t = Int(global[c][Int(local)])
                order[fill[t]] = UInt64(c) << 32 | UInt64(p)
                fill[t] += 1
            }
        }

        // Every term, fresh or previous, in byte order.
        var vocabulary = freshVocabulary
        if kept != nil { vocabulary.formUnion(try String.fetchAll(db, sql: "SELECT term FROM postings")) }
        let terms = vocabulary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        try db.execute(sql: "DROP TABLE IF EXISTS postings_next; DROP TABLE IF EXISTS positions_next")
        for statement in Schema.postingsTables(postings: "postings_next", positions: "positions_next") { try db.execute(sql: statement) }
        let insertPostings = try db.makeStatement(sql: "INSERT INTO postings_next(id, term, df, blocks, docs, freqs) VALUES (?, ?, ?, ?, ?, ?)")
        let insertPositions = try db.makeStatement(sql: "INSERT INTO positions_next(id, data) VALUES (?, ?)")
        let previousRows = kept == nil ? nil : try db.makeStatement(sql: """
            SELECT p.term, p.df, p.docs, p.freqs, x.data FROM postings p JOIN positions x ON x.id = p.id
            WHERE p.term >= ? AND p.term <= ?
            """)
        let rows = Double(statistics.rows), k1 = weights.k1
        var written = 0
        for batch in stride(from: 0, to: terms.count, by: Self.batchSize) {
            let slice = Array(terms[batch..<min(terms.count, batch + Self.batchSize)])
            var previous: [String: (df: Int, docs: [UInt8], freqs: [UInt8], positions: [UInt8])] = [:]
            if let previousRows {
                for row in try Row.fetchAll(previousRows, arguments: [slice.first!, slice.last!]) {
                    previous[row[0]] = (row[1], [UInt8](row[2] as Data), [UInt8](row[3] as Data), [UInt8](row[4] as Data))
                }
            }
            let shared = Unchecked((chunks: chunks, order: order, starts: starts, norms: norms, previous: previous, freshIDs: freshIDs))
            let encoded: [Encoded] = Parallel.map(count: slice.count) { range in
                let data = shared.value
                return range.map { i in
                    let term = slice[i]
                    var sources: [Source] = []
                    if let old = data.previous[term], let kept {
                        sources = PostingsBuilder.decode(df: old.df, docs: old.docs, freqs: old.freqs, positions: old.positions).filter { kept($0.doc) }
                    }
                    if let t = data.freshIDs[term] {
                        let fresh = data.order[data.starts[Int(t)]..<data.starts[Int(t) + 1]].map { reference in
                            let chunk = data.chunks[Int(reference >> 32)], p = Int(reference & 0xFFFF_FFFF)
                            let freqEnd = p + 1 < chunk.freqStart.count ? Int(chunk.freqStart[p + 1]) : chunk.freqBytes.count
                            let positionEnd = p + 1 < chunk.positionStart.count ? Int(chunk.positionStart[p + 1]) : chunk.positionBytes.count
                            return Source(doc: chunk.postingDoc[p], freqs: chunk.freqBytes[Int(chunk.freqStart[p])..<freqEnd],
                                          positions: chunk.positionBytes[Int(chunk.positionStart[p])..<positionEnd])
                        }
                        sources = sources.isEmpty ? fresh : (sources + fresh).sorted { $0.doc < $1.doc }
                    }
                    return PostingsBuilder.encode(term: term, postings: sources, norms: data.norms, weight: weight, k1: k1, rows: rows)
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
        var marks: [(Int32, Data)] = [], commentStarts: [(Int32, Data)] = []
        if let kept {
            for row in try Row.fetchAll(db, sql: "SELECT post_id, body FROM snippet_marks") where kept(row[0]) { marks.append((row[0], row[1])) }
            for row in try Row.fetchAll(db, sql: "SELECT post_id, starts FROM comment_starts") where kept(row[0]) { commentStarts.append((row[0], row[1])) }
        }
        for chunk in chunks {
            marks += chunk.snippetMarks.map { ($0.doc, Data($0.marks)) }
            commentStarts += chunk.commentStarts.map { doc, starts in
                var bytes: [UInt8] = []
                for start in starts { PostingsFormat.appendUInt32(UInt32(start), to: &bytes) }
                return (doc, Data(bytes))
            }
        }
        try db.execute(sql: "DROP TABLE IF EXISTS positions; DROP TABLE IF EXISTS postings")
        try db.execute(sql: "ALTER TABLE postings_next RENAME TO postings; ALTER TABLE positions_next RENAME TO positions")
        for statement in Schema.postingsSideTables { try db.execute(sql: statement) }
        let insertMarks = try db.makeStatement(sql: "INSERT INTO snippet_marks(post_id, body) VALUES (?, ?)")
        for (doc, data) in marks.sorted(by: { $0.0 < $1.0 }) { try insertMarks.execute(arguments: [doc, data]) }
        let insertStarts = try db.makeStatement(sql: "INSERT INTO comment_starts(post_id, starts) VALUES (?, ?)")
        for (doc, data) in commentStarts.sorted(by: { $0.0 < $1.0 }) { try insertStarts.execute(arguments: [doc, data]) }
        return written
    }

    /// A stored term's postings, back as sources (positions without their length prefix).
    static func decode(df: Int, docs: [UInt8], freqs: [UInt8], positions: [UInt8]) -> [Source] {
        var out: [Source] = []
        out.reserveCapacity(df)
        docs.withUnsafeBufferPointer { docBytes in
            freqs.withUnsafeBufferPointer { freqBytes in
                positions.withUnsafeBufferPointer { positionBytes in
                    var d = 0, f = 0, p = 0
                    var doc: Int32 = 0
                    for _ in 0..<df {
                        doc += Int32(PostingsFormat.readVarint(docBytes, at: &d))
                        let freqStart = f
                        _ = PostingsFormat.readFreqs(freqBytes, at: &f)
                        let length = Int(PostingsFormat.readVarint(positionBytes, at: &p))
                        out.append(Source(doc: doc, freqs: freqs[freqStart..<f], positions: positions[p..<(p + length)]))
                        p += length
                    }
                }
            }
        }
        return out
    }

    /// One term's blocks, docs, freqs and positions from its postings, in post order.
    private static func encode(term: String, postings: [Source], norms: [Double], weight: [Double], k1: Double, rows: Double) -> Encoded {
        var out = Encoded(term: term, df: postings.count)
        guard !postings.isEmpty else { return out }
        let idf = bs_term_idf(rows, Double(postings.count))
        var previous: Int32 = 0
        var blockMax = 0.0
        var blockStart = (docs: 0, freqs: 0, positions: 0)
        func closeBlock(last: Int32) {
            PostingsFormat.appendUInt32(UInt32(last), to: &out.blocks)
            PostingsFormat.appendUInt32(UInt32(blockStart.docs), to: &out.blocks)
            PostingsFormat.appendUInt32(UInt32(blockStart.freqs), to: &out.blocks)
            PostingsFormat.appendUInt32(UInt32(blockStart.positions), to: &out.blocks)
            // Rounded up, so that the stored maximum is never below a score computed in double.
            let bound = blockMax > 0 ? Float(blockMax).nextUp : 0
            PostingsFormat.appendUInt32(bound.bitPattern, to: &out.blocks)
            blockMax = 0
            blockStart = (out.docs.count, out.freqs.count, out.positions.count)
        }
        for (n, posting) in postings.enumerated() {
            let doc = posting.doc
            PostingsFormat.appendVarint(UInt32(doc - previous), to: &out.docs)
            previous = doc
            out.freqs.append(contentsOf: posting.freqs)
            PostingsFormat.appendVarint(UInt32(posting.positions.count), to: &out.positions)
            out.positions.append(contentsOf: posting.positions)
            let counts = posting.freqs.withUnsafeBufferPointer { bytes in
                var offset = 0
                return PostingsFormat.readFreqs(bytes, at: &offset)
            }
            let score = [counts.0, counts.1, counts.2, counts.3].withUnsafeBufferPointer { tf in
                norms.withUnsafeBufferPointer { norms in
                    bs_posting_score(idf, tf.baseAddress, norms.baseAddress! + Int(doc - 1) * PostingsFormat.textColumns, weight, k1)
                }
            }
            blockMax = max(blockMax, score)
            if (n + 1) % PostingsFormat.blockSize == 0 || n + 1 == postings.count { closeBlock(last: doc) }
        }
        return out
    }
}
