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
                PostingsFormat.appendVarint(UInt32(scratch.count), to: &positionBytes)
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

    /// Tokenizes `posts` (post i has id i + 1).
    static func tokenize(_ posts: [Post]) throws -> PostingsBuilder {
        let started = ContinuousClock.now
        let shared = Unchecked(posts)
        let chunks = try TermTokenizer.inChunks(count: posts.count, chunkSize: chunkSize) { tokenizer, range in
            var local = Chunk()
            for i in range {
                let post = shared.value[i]
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

    /// Writes the postings into the generation `db`, whose text index is complete: block maxima scored with
    /// `weights` and FTS5's statistics, read from the same file. Returns how many terms were written.
    func store(_ db: Database, path: String, posts: Int, weights: RankingWeights) throws -> Int {
        let statistics = try FTS5Statistics.read(db, path: path, posts: posts)
        let norms = statistics.norms(weights)
        let fields = [weights.title, weights.taxonomy, weights.body, weights.comments]
        let weight = fields.map(\.weight)

        // The vocabulary, sorted by bytes; each chunk's local ids mapped to it.
        var vocabulary = Set<String>()
        for chunk in chunks { vocabulary.formUnion(chunk.terms) }
        let terms = vocabulary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(terms.count)
        for (id, term) in terms.enumerated() { ids[term] = Int32(id) }
        let global = chunks.map { $0.terms.map { ids[$0]! } }

        // Postings grouped by term, in post order (chunks and posts come in id order): a counting sort.
        var starts = [Int](repeating: 0, count: terms.count + 1)
        for (c, chunk) in chunks.enumerated() { for local in chunk.postingTerm { starts[Int(global[c][Int(local)]) + 1] += 1 } }
        for t in 0..<terms.count { starts[t + 1] += starts[t] }
        var fill = starts
        var order = [UInt64](repeating: 0, count: starts[terms.count])
        for (c, chunk) in chunks.enumerated() {
            for (p, local) in chunk.postingTerm.enumerated() {
                let t = Int(global[c][Int(local)])
                order[fill[t]] = UInt64(c) << 32 | UInt64(p)
                fill[t] += 1
            }
        }

        let shared = Unchecked((chunks: chunks, order: order, starts: starts, norms: norms, terms: terms))
        let rows = Double(statistics.rows), k1 = weights.k1
        let encoded: [Encoded] = Parallel.map(count: terms.count) { range in
            let data = shared.value
            return range.map { t in
                PostingsBuilder.encode(term: data.terms[t], postings: data.order[data.starts[t]..<data.starts[t + 1]], chunks: data.chunks,
                                       norms: data.norms, weight: weight, k1: k1, rows: rows)
            }
        }

        for statement in Schema.postingsStatements { try db.execute(sql: statement) }
        let insertPostings = try db.makeStatement(sql: "INSERT INTO postings(id, term, df, blocks, docs, freqs) VALUES (?, ?, ?, ?, ?, ?)")
        let insertPositions = try db.makeStatement(sql: "INSERT INTO positions(id, data) VALUES (?, ?)")
        for (t, term) in encoded.enumerated() {
            try insertPostings.execute(arguments: [t + 1, term.term, term.df, Data(term.blocks), Data(term.docs), Data(term.freqs)])
            try insertPositions.execute(arguments: [t + 1, Data(term.positions)])
        }
        let insertMarks = try db.makeStatement(sql: "INSERT INTO snippet_marks(post_id, body) VALUES (?, ?)")
        for chunk in chunks {
            for (doc, marks) in chunk.snippetMarks { try insertMarks.execute(arguments: [doc, Data(marks)]) }
        }
        let insertStarts = try db.makeStatement(sql: "INSERT INTO comment_starts(post_id, starts) VALUES (?, ?)")
        for chunk in chunks {
            for (doc, starts) in chunk.commentStarts {
                var bytes: [UInt8] = []
                for start in starts { PostingsFormat.appendUInt32(UInt32(start), to: &bytes) }
                try insertStarts.execute(arguments: [doc, Data(bytes)])
            }
        }
        return encoded.count
    }

    /// One term's blocks, docs, freqs and positions from its postings (references into `chunks`, in post order).
    private static func encode(term: String, postings: ArraySlice<UInt64>, chunks: [Chunk], norms: [Double], weight: [Double],
                               k1: Double, rows: Double) -> Encoded {
        var out = Encoded(term: term, df: postings.count)
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
        for (n, reference) in postings.enumerated() {
            let chunk = chunks[Int(reference >> 32)], p = Int(reference & 0xFFFF_FFFF)
            let doc = chunk.postingDoc[p]
            PostingsFormat.appendVarint(UInt32(doc - previous), to: &out.docs)
            previous = doc
            let freqEnd = p + 1 < chunk.freqStart.count ? Int(chunk.freqStart[p + 1]) : chunk.freqBytes.count
            let freqs = chunk.freqBytes[Int(chunk.freqStart[p])..<freqEnd]
            out.freqs.append(contentsOf: freqs)
            let positionEnd = p + 1 < chunk.positionStart.count ? Int(chunk.positionStart[p + 1]) : chunk.positionBytes.count
            out.positions.append(contentsOf: chunk.positionBytes[Int(chunk.positionStart[p])..<positionEnd])
            let counts = freqs.withUnsafeBufferPointer { bytes in
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
