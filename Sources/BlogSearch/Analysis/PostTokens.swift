import Foundation

/// A run of posts through FTS5's tokenizer, once, for everything a build derives from tokens: the postings
/// (`PostingsBuilder`: each term's counts per text column and its positions, where each comment starts, the
/// snippet marks) and the vectors (`TermVectorBuilder`: the same counts, and the forms each term was written in).
///
/// A token is looked up by its source text as written: FTS5's term is a function of that text alone, so the
/// term's string is made once per distinct form in the run, not once per token.
struct PostTokens: Sendable {
    /// The run's terms, with ids local to the run.
    private(set) var terms: [String] = []
    /// Per term: whether it is a stop word (`TermTokenizer.stopTerms`), which vectors leave out.
    private(set) var isStop: [Bool] = []
    /// Each distinct source text of a token in the run, as written, with its term and how often it occurs
    /// per text column.
    private(set) var surfaces: [Surface] = []

    struct Surface: Sendable {
        var text: String
        var term: Int32
        /// The language the form was analysed in (`PostText.language`; "" for English and the default).
        var language: String
        var counts: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
    }

    /// One posting per post and term: posts in the order added, a post's postings in local term id order.
    private(set) var postingTerm: [Int32] = []
    /// The postings' bytes, one after the other, read in order (no offsets are kept: 12 bytes a posting, 57M
    /// postings at 100k posts): each posting's counts per text column (`PostingBytes.appendFreqs`), and its
    /// positions as `PostingsFormat` stores them — a varint byte length, then per column present its token
    /// offsets as varint differences (the first from 0).
    private(set) var freqBytes: [UInt8] = []
    private(set) var positionBytes: [UInt8] = []
    /// Per post added, in order: its id, and the index of its first posting (the next post's first ends its
    /// postings).
    private(set) var docs: [Int32] = []
    private(set) var postStart: [Int32] = []

    /// Per post with comments: its id and the offset of each comment's first token in the comments column.
    private(set) var commentStarts: [(doc: Int32, starts: [Int32])] = []
    /// Per post with a body of more than `snippetMarkEvery` tokens: the byte offsets of its body's tokens 0,
    /// 32, 64, … as little-endian UInt32s.
    private(set) var snippetMarks: [(doc: Int32, marks: [UInt8])] = []

    /// snippet.c's SNIPPET_MARK_EVERY.
    static let snippetMarkEvery = 32
    /// Posts per unit of parallel work.
    static let runSize = 512

    private var termIDs: [String: Int32] = [:]
    /// The forms seen in the language of the post being added; a form's term depends on its language, so each
    /// language of the run has a table of its own (`otherLanguages`, by `PostText.language`, "" for English).
    private var surfaceIDs = FormTable()
    private var surfaceLanguage = ""
    private var otherLanguages: [String: FormTable] = [:]
    private var keys: [UInt64] = []
    private var scratch: [UInt8] = []

    /// Adds one post. `comments` are the texts the comments column joins (with blank lines, which no token
    /// spans), tokenized one by one so that where each starts is known.
    mutating func add(_ text: PostText, comments: [String], doc: Int32, tokenizer: TermTokenizer) {
        // One key per token: local term id, column, position; sorted, the post's postings in term order.
        keys.removeAll(keepingCapacity: true)
        var marks: [UInt8] = []
        func add(_ field: String, column: Int, from position: inout UInt64) {
            tokenizer.forEachRawToken(in: field) { term, text, source in
                let form = UnsafeBufferPointer(rebasing: text[source])
                let hash = FormTable.hash(form)
                let s = Int(surfaceIDs.find(form, hash: hash) ?? newSurface(form, hash: hash, term: term, tokenizer: tokenizer))
                Self.count(column, in: &surfaces[s].counts)
                keys.append(UInt64(surfaces[s].term) << 32 | UInt64(column) << 28 | min(position, (1 << 28) - 1))
                if column == 2, position % UInt64(Self.snippetMarkEvery) == 0 {
                    PostingBytes.appendUInt32(UInt32(source.lowerBound), to: &marks)
                }
                position += 1
            }
        }
        let language = text.language
        if (language ?? "") != surfaceLanguage {
            otherLanguages[surfaceLanguage] = surfaceIDs
            surfaceLanguage = language ?? ""
            surfaceIDs = otherLanguages.removeValue(forKey: surfaceLanguage) ?? FormTable()
        }
        docs.append(doc)
        postStart.append(Int32(postingTerm.count))
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
            // Only the comments column's start is marked; each comment is analysed in its language too.
            if let language, LanguageMarker.markerLength(comment) == 0 {
                add(LanguageMarker.mark(comment, language: language), column: 3, from: &position)
            } else {
                add(comment, column: 3, from: &position)
            }
        }
        if !starts.isEmpty { commentStarts.append((doc, starts)) }
        keys.sort()
        var i = 0
        while i < keys.count {
            let term = Int32(keys[i] >> 32)
            var counts: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
            scratch.removeAll(keepingCapacity: true)
            var previous = (column: -1, position: UInt32(0))
            while i < keys.count, Int32(keys[i] >> 32) == term {
                let column = Int((keys[i] >> 28) & 0xF), position = UInt32(keys[i] & ((1 << 28) - 1))
                Self.count(column, in: &counts)
                PostingBytes.appendVarint(column == previous.column ? position - previous.position : position, to: &scratch)
                previous = (column, position)
                i += 1
            }
            postingTerm.append(term)
            PostingBytes.appendFreqs(counts, to: &freqBytes)
            PostingBytes.appendVarint(UInt32(scratch.count), to: &positionBytes)
            positionBytes.append(contentsOf: scratch)
        }
    }

    /// One more occurrence in text column `column` (0 title, 1 taxonomy, 2 body, 3 comments).
    @inline(__always)
    private static func count(_ column: Int, in counts: inout (Int32, Int32, Int32, Int32)) {
        switch column {
        case 0: counts.0 += 1
        case 1: counts.1 += 1
        case 2: counts.2 += 1
        default: counts.3 += 1
        }
    }

    private mutating func newSurface(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, term termBytes: UnsafeRawBufferPointer,
                                     tokenizer: TermTokenizer) -> Int32 {
        let term = String(decoding: termBytes, as: UTF8.self)
        let id: Int32
        if let known = termIDs[term] {
            id = known
        } else {
            id = Int32(terms.count)
            termIDs[term] = id
            terms.append(term)
            isStop.append(tokenizer.stopTerms.contains(term))
        }
        let s = Int32(surfaces.count)
        surfaces.append(Surface(text: String(decoding: bytes, as: UTF8.self), term: id, language: surfaceLanguage))
        surfaceIDs.insert(bytes, hash: hash, surface: s)
        return s
    }

    /// The postings of the post added `n`-th: a range of the posting arrays.
    func postings(ofPost n: Int) -> Range<Int> {
        Int(postStart[n])..<(n + 1 < postStart.count ? Int(postStart[n + 1]) : postingTerm.count)
    }

    /// `count` posts tokenized in runs of `runSize` on every core, the runs in order; `post(i)` gives the i-th
    /// post's text, its comments and its id.
    /// - Throws: the tokenizer's error when FTS5 or its tokenizer is missing.
    static func tokenize(count: Int, post: @Sendable (Int) -> (text: PostText, comments: [String], doc: Int32)) throws -> [PostTokens] {
        try TermTokenizer.inChunks(count: count, chunkSize: runSize) { tokenizer, range in
            var run = PostTokens()
            for i in range {
                let (text, comments, doc) = post(i)
                run.add(text, comments: comments, doc: doc, tokenizer: tokenizer)
            }
            // What only adding needs: the lookup tables (at 100k posts, hundreds of MB over all runs).
            run.keys = []
            run.scratch = []
            run.termIDs = [:]
            run.surfaceIDs = FormTable()
            run.otherLanguages = [:]
            return run
        }
    }
}

/// The forms of a run, found by their UTF-8 bytes without making a string per token: open addressing over form
/// numbers, each slot with its form's hash, the forms' bytes in one array.
private struct FormTable {
    private var slots: [Int32] = []
    private var hashes: [UInt64] = []
    /// Form n's bytes are `bytes[starts[n]..<starts[n + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Form n's surface (its index in `PostTokens.surfaces`).
    private var surfaces: [Int32] = []

    /// FNV-1a over the bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// The surface of the form `form`, whose hash is `hash`, if it was added.
    func find(_ form: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while slots[i] >= 0 {
            if hashes[i] == hash {
                let n = Int(slots[i])
                let equal = starts[n + 1] - starts[n] == form.count && bytes.withUnsafeBufferPointer { all in
                    form.isEmpty || memcmp(all.baseAddress! + starts[n], form.baseAddress!, form.count) == 0
                }
                if equal { return surfaces[n] }
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `form` (not yet in the table), whose hash is `hash`, with its surface.
    mutating func insert(_ form: UnsafeBufferPointer<UInt8>, hash: UInt64, surface: Int32) {
        let n = Int32(starts.count - 1)
        surfaces.append(surface)
        bytes.append(contentsOf: form)
        starts.append(bytes.count)
        if (Int(n) + 1) * 2 > slots.count {
            let old = (slots, hashes)
            slots = [Int32](repeating: -1, count: max(1024, old.0.count * 2))
            hashes = [UInt64](repeating: 0, count: slots.count)
            for (slot, h) in zip(old.0, old.1) where slot >= 0 { place(slot, hash: h) }
        }
        place(n, hash: hash)
    }

    private mutating func place(_ n: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = n
        hashes[i] = hash
    }
}
