import Foundation
import Synchronization

/// One precomputed related post.
struct Neighbour: Sendable, Hashable {
    var post: Int32        // index into the vectors (post id − 1)
    var score: Double
    var cosine: Double
}

/// Finds every post's top K related posts through an inverted index over the sparse vectors: only posts that
/// share a term with a post are ever scored, never all pairs.
///
/// For a post p, candidates are accumulated from the postings of p's terms (Σ_t p_t · q_t). On large corpora
/// two bounds keep this linear in practice, as Elasticsearch's more_like_this does: only p's `queryTerms`
/// heaviest terms are looked up, and each term's postings are cut to its `champions` heaviest posts (champion
/// lists, Manning et al., *Introduction to IR*, 7.1.3). The best `3·K` candidates by that partial sum are then
/// scored exactly (full cosine, blend). Below both bounds the result is exact.
struct NeighbourFinder: Sendable {
    struct Bounds: Sendable, Hashable {
        var queryTerms: Int
        var champions: Int
        static let `default` = Bounds(queryTerms: 64, champions: 2_000)
        static let exact = Bounds(queryTerms: .max, champions: .max)
    }

    let vectors: [SparseVector]
    let facets: [PostFacets]
    let scorer: RelatedScorer
    let k: Int
    let bounds: Bounds

    func run() -> [[Neighbour]] {
        let n = vectors.count
        guard n > 1 else { return Array(repeating: [], count: n) }
        let postings = buildPostings()
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunk = (n + threads - 1) / threads
        let results = Mutex<[Int: [[Neighbour]]]>([:])
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let range = (part * chunk)..<min(n, (part + 1) * chunk)
            guard !range.isEmpty else { return }
            var accumulator = [Float](repeating: 0, count: n)
            var touched: [Int32] = []
            var lists: [[Neighbour]] = []
            lists.reserveCapacity(range.count)
            for p in range {
                lists.append(neighbours(of: p, postings: postings, accumulator: &accumulator, touched: &touched))
            }
            results.withLock { $0[part] = lists }
        }
        return results.withLock { parts in (0..<threads).flatMap { parts[$0] ?? [] } }
    }

    /// term id → (post, weight), heaviest first, cut to the champion bound.
    private func buildPostings() -> [[(post: Int32, weight: Float)]] {
        var postings: [[(post: Int32, weight: Float)]] = []
        for (p, vector) in vectors.enumerated() {
            for (i, id) in vector.ids.enumerated() {
                while postings.count <= Int(id) { postings.append([]) }
                postings[Int(id)].append((Int32(p), vector.weights[i]))
            }
        }
        if bounds.champions < vectors.count {
            for t in postings.indices where postings[t].count > bounds.champions {
                postings[t] = Array(postings[t].sorted { $0.weight > $1.weight }.prefix(bounds.champions))
            }
        }
        return postings
    }

    private func neighbours(of p: Int, postings: [[(post: Int32, weight: Float)]], accumulator: inout [Float],
                            touched: inout [Int32]) -> [Neighbour] {
        let vector = vectors[p]
        let terms: [Int] = vector.ids.count > bounds.queryTerms
            ? vector.ids.indices.sorted { vector.weights[$0] > vector.weights[$1] }.prefix(bounds.queryTerms).map { $0 }
            : Array(vector.ids.indices)
        for i in terms {
            let w = vector.weights[i]
            let id = Int(vector.ids[i])
            guard id < postings.count else { continue }
            for (q, qw) in postings[id] {
                if accumulator[Int(q)] == 0 { touched.append(q) }
                accumulator[Int(q)] += w * qw
            }
        }
        let exact = terms.count == vector.ids.count && bounds.champions >= vectors.count
        var candidates = touched.filter { Int($0) != p }.map { ($0, accumulator[Int($0)]) }
        for q in touched { accumulator[Int(q)] = 0 }
        touched.removeAll(keepingCapacity: true)
        if !exact, candidates.count > 3 * k {
            candidates.sort { $0.1 > $1.1 }
            candidates.removeLast(candidates.count - 3 * k)
        }
        var scored: [Neighbour] = []
        scored.reserveCapacity(candidates.count)
        for (q, partial) in candidates {
            let cosine = exact ? Double(partial) : Double(vector.dot(vectors[Int(q)]))
            let score = scorer.score(cosine: cosine, facets[p], facets[Int(q)])
            if score >= scorer.weights.minimumScore { scored.append(Neighbour(post: q, score: score, cosine: cosine)) }
        }
        return Array(scored.sorted { ($0.score, -$0.post) > ($1.score, -$1.post) }.prefix(k))
    }
}
