import Foundation
import Synchronization

/// What the previous generation's vector store gives an incremental build: its vocabulary with the surface
/// forms counted, and every post's weighted term counts, so that only changed posts are tokenized again.
struct TermCache: Sendable {
    /// Sorted as `TermVectorBuilder.precedes` sorts.
    var terms: [String]
    var surfaces: [[String: Int32]]
    /// Per post of the previous generation (id − 1): term ids into `terms`, sorted, with weighted counts.
    var counts: [(ids: [Int32], counts: [Float])]
}

/// Builds the vocabulary and the TF-IDF vector of every post, with FTS5's own tokenizer.
///
/// For post d and term t (a stem, exactly as the search index holds it):
///
///     c(t,d)   = Σ_fields  w_field · occurrences of t in the field        (VectorWeights)
///     tf(t,d)  = 1 + ln c(t,d)   when c ≥ 1,   c(t,d) when 0 < c < 1     (sublinear; continuous at 1)
///     idf(t)   = ln((1 + N) / (1 + df(t))) + 1                           (smoothed, as scikit-learn: never 0)
///     v(t,d)   = tf(t,d) · idf(t),   then v(d) is divided by its L2 norm  (so cosine = dot product)
///
/// English stop words (the query list, stemmed by the same tokenizer) are not terms of any vector.
///
/// Term ids follow the terms' byte order, so that they depend only on which terms the corpus holds: an
/// incremental build (`init(posts:reusing:…)`) that tokenizes only the changed posts gets the same ids,
/// counts, document frequencies and display forms as a full build, to the last bit.
struct TermVectorBuilder {
    let weights: VectorWeights
    /// The vocabulary, sorted by UTF-8 bytes.
    private(set) var terms: [String] = []
    private(set) var documentFrequency: [Int32] = []
    /// Surface forms seen for each term, with how often, to explain a match in the reader's words.
    private(set) var surfaces: [[String: Int32]] = []
    /// Per post (in the order given): weighted term counts, sorted by term id.
    private(set) var counts: [(ids: [Int32], counts: [Float])] = []

    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Counts the terms of `count` posts (in post id order; `text(i)` is post i's), tokenizing chunks of posts on
    /// every core.
    init(count: Int, text: @Sendable @escaping (Int) -> PostText, weights: VectorWeights = .default) throws {
        let fresh = try Self.analyse(count: count, weights: weights, text: text)
        self.init(weights: weights, count: count, previous: nil, reused: { _ in nil }, fresh: fresh, removed: [])
    }

    /// The vectors of posts already tokenized (`tokens`: every post, in post id order).
    init(count: Int, tokens: [PostTokens], weights: VectorWeights = .default) {
        self.init(weights: weights, count: count, previous: nil, reused: { _ in nil }, fresh: Self.chunks(from: tokens, weights: weights), removed: [])
    }

    /// Counts the terms of `count` posts (`text(i)` is post i's) reusing the previous generation's counts for every post `reused` names
    /// (post index → its index in `cache.counts`); the others are tokenized. `removedTexts` are the previous
    /// versions of posts that changed or vanished: their surface forms are taken back out of the counts.
    /// `tokens`, when given, are the other posts already tokenized, in post order.
    init(count: Int, text: @Sendable @escaping (Int) -> PostText, reusing cache: TermCache, reused: (Int) -> Int?,
         removedTexts: [PostText], weights: VectorWeights, tokens: [PostTokens]? = nil) throws {
        let freshIndexes = (0..<count).filter { reused($0) == nil }
        let fresh = try tokens.map { Self.chunks(from: $0, weights: weights) }
            ?? Self.analyse(count: freshIndexes.count, weights: weights) { text(freshIndexes[$0]) }
        let texts = Unchecked(removedTexts)
        let removed = try Self.analyse(count: removedTexts.count, weights: weights) { texts.value[$0] }
        self.init(weights: weights, count: count, previous: cache, reused: reused, fresh: fresh, removed: removed)
    }

    /// Tokenizes `count` texts in chunks on every core.
    private static func analyse(count: Int, weights: VectorWeights, text: @Sendable @escaping (Int) -> PostText) throws -> [Chunk] {
        let tokens = try PostTokens.tokenize(count: count) { i in
            let post = text(i)
            return (post, [post.comments], Int32(i + 1))
        }
        return chunks(from: tokens, weights: weights)
    }

    private static func chunks(from tokens: [PostTokens], weights: VectorWeights) -> [Chunk] {
        Parallel.map(count: tokens.count) { range in range.map { Chunk(tokens[$0], weights: weights) } }
    }

    /// Joins reused counts (from `previous`) and freshly tokenized posts (`fresh`, in post order) into one
    /// vocabulary, sorted, so that ids do not depend on which posts were tokenized.
    private init(weights: VectorWeights, count: Int, previous: TermCache?, reused: (Int) -> Int?, fresh: [Chunk],
                 removed: [Chunk]) {
        self.weights = weights
        // The vocabulary: every term of a fresh post, and every previous term a reused post still holds.
        var used = [Bool](repeating: false, count: previous?.terms.count ?? 0)
        var source: [Int?] = []
        source.reserveCapacity(count)
        for p in 0..<count {
            let old = reused(p)
            source.append(old)
            if let old, let previous { for id in previous.counts[old].ids { used[Int(id)] = true } }
        }
        var vocabulary = Set<String>()
        for chunk in fresh { vocabulary.formUnion(chunk.terms) }
        if let previous { for (id, term) in previous.terms.enumerated() where used[id] { vocabulary.insert(term) } }
        terms = vocabulary.sorted(by: Self.precedes)
        var termIDs: [String: Int32] = [:]
        termIDs.reserveCapacity(terms.count)
        for (id, term) in terms.enumerated() { termIDs[term] = Int32(id) }

        // Surface forms: the previous counts, less the versions that changed or vanished, plus the fresh ones.
        surfaces = Array(repeating: [:], count: terms.count)
        var renumbered: [Int32] = []
        if let previous {
            renumbered = previous.terms.map { termIDs[$0] ?? -1 }
            for (old, id) in renumbered.enumerated() where id >= 0 { surfaces[Int(id)] = previous.surfaces[old] }
        }
        for chunk in removed {
            for (local, term) in chunk.terms.enumerated() {
                guard let id = termIDs[term] else { continue }
                for (form, n) in chunk.surfaces[local] {
                    let left = (surfaces[Int(id)][form] ?? 0) - n
                    surfaces[Int(id)][form] = left > 0 ? left : nil
                }
            }
        }
        var freshIDs: [[Int32]] = []
        for chunk in fresh {
            let global = chunk.terms.map { termIDs[$0]! }
            for (local, id) in global.enumerated() {
                for (form, n) in chunk.surfaces[local] { surfaces[Int(id)][form, default: 0] += n }
            }
            freshIDs.append(global)
        }

        // Counts per post, in post order: renumbered (both vocabularies are sorted the same way, so the ids
        // stay sorted), or from the fresh chunks.
        counts.reserveCapacity(count)
        var next = (chunk: 0, post: 0)
        for p in 0..<count {
            if let old = source[p], let previous {
                let post = previous.counts[old]
                counts.append((post.ids.map { renumbered[Int($0)] }, post.counts))
            } else {
                let chunk = fresh[next.chunk]
                let post = chunk.counts[next.post]
                var pairs = zip(post.ids.map { freshIDs[next.chunk][Int($0)] }, post.counts).map { ($0, $1) }
                pairs.sort { $0.0 < $1.0 }
                counts.append((pairs.map(\.0), pairs.map(\.1)))
                next.post += 1
                if next.post == chunk.counts.count { next = (next.chunk + 1, 0) }
            }
        }
        documentFrequency = [Int32](repeating: 0, count: terms.count)
        for post in counts { for id in post.ids { documentFrequency[Int(id)] += 1 } }
    }

    /// The weighted term counts of a run of posts, with ids local to the run, and the forms each term was written in.
    private struct Chunk {
        var terms: [String] = []
        var surfaces: [[String: Int32]] = []
        /// Per post of the run, in order.
        var counts: [(ids: [Int32], counts: [Float])] = []

        init(_ tokens: PostTokens, weights: VectorWeights) {
            let w = (weights.title, weights.taxonomy, weights.body, weights.comments)
            // A term's id here, given when it is first counted: a stop word, or a term only of fields that weigh
            // nothing, is no term of any vector.
            var ids = [Int32](repeating: -1, count: tokens.terms.count)
            tokens.freqBytes.withUnsafeBufferPointer { freqs in
                // The postings' counts come one after the other, in posting order.
                var offset = 0
                for n in 0..<tokens.postStart.count {
                    var postIDs: [Int32] = [], postCounts: [Float] = []
                    for p in tokens.postings(ofPost: n) {
                        let tf = PostingBytes.readFreqs(freqs, at: &offset)
                        if tokens.isStop[Int(tokens.postingTerm[p])] { continue }
                        // Each occurrence adds its field's weight, fields in column order: the sum a pass over the
                        // tokens in text order makes, to the last bit.
                        var count: Float = 0
                        var counted = false
                        func add(_ occurrences: Int32, _ weight: Double) {
                            guard weight > 0, occurrences > 0 else { return }
                            for _ in 0..<occurrences { count += Float(weight) }
                            counted = true
                        }
                        add(tf.0, w.0)
                        add(tf.1, w.1)
                        add(tf.2, w.2)
                        add(tf.3, w.3)
                        guard counted else { continue }
                        let t = Int(tokens.postingTerm[p])
                        if ids[t] < 0 {
                            ids[t] = Int32(terms.count)
                            terms.append(tokens.terms[t])
                            surfaces.append([:])
                        }
                        postIDs.append(ids[t])
                        postCounts.append(count)
                    }
                    counts.append((postIDs, postCounts))
                }
            }
            for surface in tokens.surfaces {
                let id = ids[Int(surface.term)]
                guard id >= 0 else { continue }
                let c = surface.counts
                let n = (w.0 > 0 ? c.0 : 0) + (w.1 > 0 ? c.1 : 0) + (w.2 > 0 ? c.2 : 0) + (w.3 > 0 ? c.3 : 0)
                guard n > 0 else { continue }
                // Most words are already lowercase ASCII: `lowercased()` (Unicode case mapping) only when not.
                let lower = surface.text.utf8.allSatisfy({ $0 < 0x41 || ($0 > 0x5A && $0 < 0x80) }) ? surface.text : surface.text.lowercased()
                // A form of another language than English carries its language's marker: the spelling
                // vocabulary is kept per language (`Spelling.perLanguage`).
                let form = surface.language.isEmpty ? lower : LanguageMarker.mark(lower, language: surface.language)
                surfaces[Int(id)][form, default: 0] += n
            }
        }
    }

    /// The most frequent surface form of each term, whatever its language (ties: the shortest, then
    /// alphabetical).
    func displayForms() -> [String] {
        surfaces.enumerated().map { id, marked in
            let forms = Self.unmarked(marked)
            return forms.max { a, b in (a.value, -a.key.count, b.key) < (b.value, -b.key.count, a.key) }?.key ?? terms[id]
        }
    }

    /// A term's forms without their language markers, the counts of a form written in several languages added.
    static func unmarked(_ forms: [String: Int32]) -> [String: Int32] {
        guard forms.keys.contains(where: { $0.utf8.first == 0x01 }) else { return forms }
        var result: [String: Int32] = [:]
        for (form, n) in forms { result[String(LanguageMarker.strip(form).text), default: 0] += n }
        return result
    }

    // MARK: - Storage of the surface counts: "count<TAB>form" lines (a token never holds a tab or newline)

    static func encodeSurfaces(_ forms: [String: Int32]) -> String {
        forms.sorted { precedes($0.key, $1.key) }.map { "\($0.value)\t\($0.key)" }.joined(separator: "\n")
    }

    static func decodeSurfaces(_ text: String) -> [String: Int32]? {
        var forms: [String: Int32] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let tab = line.firstIndex(of: "\t"), let n = Int32(line[..<tab]) else { return nil }
            forms[String(line[line.index(after: tab)...])] = n
        }
        return forms
    }

    static func idf(documentFrequency df: Int, documents n: Int) -> Double {
        log(Double(1 + n) / Double(1 + df)) + 1
    }

    static func tf(_ c: Double) -> Double { c >= 1 ? 1 + log(c) : c }

    /// The normalised vectors, in the order posts were added.
    func vectors() -> [SparseVector] {
        let n = counts.count
        let idf = documentFrequency.map { TermVectorBuilder.idf(documentFrequency: Int($0), documents: n) }
        return Parallel.map(count: n) { range in
            range.map { p in
                let post = counts[p]
                var weights = zip(post.ids, post.counts).map { TermVectorBuilder.tf(Double($1)) * idf[Int($0)] }
                let norm = sqrt(weights.reduce(0) { $0 + $1 * $1 })
                if norm > 0 { weights = weights.map { $0 / norm } }
                return SparseVector(ids: post.ids, weights: weights.map(Float.init))
            }
        }
    }
}
