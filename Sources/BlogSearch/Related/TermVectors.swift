import Foundation
import Synchronization

/// A sparse vector: term ids in increasing order, with their weights.
struct SparseVector: Sendable, Hashable {
    var ids: [Int32]
    var weights: [Float]

    static let empty = SparseVector(ids: [], weights: [])

    /// Calls `body` with the positions (in self, in other) of every term both vectors hold: a merge of two
    /// sorted lists, linear in their lengths.
    @inline(__always)
    func forEachShared(_ other: SparseVector, _ body: (Int, Int) -> Void) {
        var i = 0, j = 0
        while i < ids.count, j < other.ids.count {
            let a = ids[i], b = other.ids[j]
            if a == b {
                body(i, j)
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
    }

    /// Σ a_t · b_t over the terms both hold: the cosine, as both are L2-normalised.
    func dot(_ other: SparseVector) -> Float {
        var sum: Float = 0
        forEachShared(other) { sum += weights[$0] * other.weights[$1] }
        return sum
    }

    /// The shared terms, largest contribution a_t · b_t first.
    func sharedTerms(_ other: SparseVector) -> [(id: Int32, contribution: Float)] {
        var shared: [(id: Int32, contribution: Float)] = []
        forEachShared(other) { shared.append((ids[$0], weights[$0] * other.weights[$1])) }
        return shared.sorted { $0.contribution > $1.contribution }
    }

    /// The `count` heaviest terms, heaviest first.
    func strongest(_ count: Int) -> [Int32] {
        ids.indices.sorted { weights[$0] > weights[$1] }.prefix(count).map { ids[$0] }
    }

    // MARK: - Storage: little-endian Int32 ids and Float32 weights

    var idBlob: Data { ids.withUnsafeBufferPointer { Data(buffer: $0) } }
    var weightBlob: Data { weights.withUnsafeBufferPointer { Data(buffer: $0) } }

    init(ids: [Int32], weights: [Float]) {
        self.ids = ids
        self.weights = weights
    }

    init?(idBlob: Data, weightBlob: Data) {
        guard idBlob.count % 4 == 0, idBlob.count == weightBlob.count else { return nil }
        let n = idBlob.count / 4
        var ids = [Int32](repeating: 0, count: n)
        var weights = [Float](repeating: 0, count: n)
        _ = ids.withUnsafeMutableBytes { idBlob.copyBytes(to: $0) }
        _ = weights.withUnsafeMutableBytes { weightBlob.copyBytes(to: $0) }
        self.init(ids: ids, weights: weights)
    }
}

/// How post text becomes TF-IDF vectors. Every number is documented where it is used.
public struct VectorWeights: Sendable, Hashable, Codable {
    /// Weight of one occurrence in each field, before the sublinear transform.
    public var title: Double
    /// Categories and tags as words.
    public var taxonomy: Double
    public var body: Double
    public var comments: Double

    public init(title: Double, taxonomy: Double, body: Double, comments: Double) {
        self.title = title
        self.taxonomy = taxonomy
        self.body = body
        self.comments = comments
    }

    /// Title and taxonomy weigh more than body text: they are the author's own summary of the post (title 2
    /// over 1: +0.004 nDCG@10 on Cranfield's related benchmark; on the synthetic one, title 1 and taxonomy 1
    /// left nDCG@10 at 0.937 and lowered P@5 from 0.945 to 0.940). Comments count half: readers discuss the post's topic, and on the synthetic corpus
    /// (Benchmarks/related/synthetic_related.py, 3,000 posts) comments at 0.5 raised nDCG@10 from 0.944 to
    /// 0.957 over leaving them out; 1.0 gave the same, 0.25 less. Half keeps a chatty thread from outweighing
    /// the post. Table in BENCHMARKS.md.
    public static let `default` = VectorWeights(title: 2.0, taxonomy: 1.5, body: 1.0, comments: 0.5)
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
struct TermVectorBuilder {
    let weights: VectorWeights
    private(set) var terms: [String] = []
    private(set) var documentFrequency: [Int32] = []
    /// Surface forms seen for each term, to explain a match in the reader's words rather than in stems.
    private var surfaces: [[String: Int32]] = []
    /// Per post (in the order given): weighted term counts, sorted by term id.
    private var counts: [(ids: [Int32], counts: [Float])] = []

    /// Posts per unit of parallel work. Fixed, not per core, so that the vocabulary order and the surface
    /// forms kept do not depend on the machine.
    static let chunkSize = 512
    /// Distinct surface forms counted per term (per chunk, then merged): enough to find the common one.
    static let surfaceLimit = 16

    /// Counts the terms of every post (in post id order), tokenizing chunks of posts on every core.
    init(_ posts: [Post], weights: VectorWeights = .default) throws {
        self.weights = weights
        let chunks = (posts.count + Self.chunkSize - 1) / Self.chunkSize
        let failure = Mutex<(any Error)?>(nil)
        let shared = Unchecked(posts)
        let analysed: [Chunk] = Parallel.map(count: chunks) { range in
            let tokenizer: TermTokenizer
            do { tokenizer = try TermTokenizer() } catch {
                failure.withLock { $0 = error }
                return []
            }
            return range.map { chunk in
                var local = Chunk()
                let posts = shared.value
                for post in posts[(chunk * Self.chunkSize)..<min(posts.count, (chunk + 1) * Self.chunkSize)] {
                    local.add(post, tokenizer: tokenizer, weights: weights)
                }
                return local
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        // Merge in chunk order: a term's id is its first appearance in post order, as if read in one pass.
        var termIDs: [String: Int32] = [:]
        counts.reserveCapacity(posts.count)
        for chunk in analysed {
            var global = [Int32](repeating: 0, count: chunk.terms.count)
            for (local, term) in chunk.terms.enumerated() {
                let id: Int32
                if let known = termIDs[term] {
                    id = known
                } else {
                    id = Int32(terms.count)
                    termIDs[term] = id
                    terms.append(term)
                    documentFrequency.append(0)
                    surfaces.append([:])
                }
                global[local] = id
                documentFrequency[Int(id)] += chunk.documentFrequency[local]
                for (form, n) in chunk.surfaces[local] where surfaces[Int(id)].count < Self.surfaceLimit || surfaces[Int(id)][form] != nil {
                    surfaces[Int(id)][form, default: 0] += n
                }
            }
            for post in chunk.counts {
                var pairs = zip(post.ids.map { global[Int($0)] }, post.counts).map { ($0, $1) }
                pairs.sort { $0.0 < $1.0 }
                counts.append((pairs.map(\.0), pairs.map(\.1)))
            }
        }
    }

    /// The terms of a run of posts, with ids local to the run.
    private struct Chunk {
        var termIDs: [String: Int32] = [:]
        var terms: [String] = []
        var documentFrequency: [Int32] = []
        var surfaces: [[String: Int32]] = []
        var counts: [(ids: [Int32], counts: [Float])] = []

        mutating func add(_ post: Post, tokenizer: TermTokenizer, weights: VectorWeights) {
            var count: [Int32: Float] = [:]
            func addField(_ text: String, _ weight: Double) {
                guard weight > 0, !text.isEmpty else { return }
                tokenizer.forEachToken(in: text) { token in
                    if TextAnalyzer.stopTerms.contains(token.term) { return }
                    let id = intern(token.term)
                    count[id, default: 0] += Float(weight)
                    // Most words are already lowercase ASCII: `lowercased()` (Unicode case mapping) only when not.
                    let surface = token.surface.utf8.allSatisfy({ $0 < 0x41 || ($0 > 0x5A && $0 < 0x80) })
                        ? String(token.surface) : token.surface.lowercased()
                    if surfaces[Int(id)].count < TermVectorBuilder.surfaceLimit || surfaces[Int(id)][surface] != nil {
                        surfaces[Int(id)][surface, default: 0] += 1
                    }
                }
            }
            addField(post.title, weights.title)
            addField((post.categories + post.tags).joined(separator: "\n"), weights.taxonomy)
            addField(post.body, weights.body)
            if weights.comments > 0 {
                for comment in post.comments { addField(comment.body, weights.comments) }
            }
            for id in count.keys { documentFrequency[Int(id)] += 1 }
            counts.append((Array(count.keys), Array(count.values)))
        }

        private mutating func intern(_ term: String) -> Int32 {
            if let id = termIDs[term] { return id }
            let id = Int32(terms.count)
            termIDs[term] = id
            terms.append(term)
            documentFrequency.append(0)
            surfaces.append([:])
            return id
        }
    }

    /// The most frequent surface form of each term (ties: the shortest, then alphabetical).
    func displayForms() -> [String] {
        surfaces.enumerated().map { id, forms in
            forms.max { a, b in (a.value, -a.key.count, b.key) < (b.value, -b.key.count, a.key) }?.key ?? terms[id]
        }
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
