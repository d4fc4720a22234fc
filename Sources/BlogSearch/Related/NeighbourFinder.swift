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
        /// 500 champions: at 100k posts, 29 of a post's 64 strongest terms hit the bound and 2,000 champions
        /// meant 84k postings per post (200 s on 2 cores); on the 10k synthetic benchmark 500 costs 0.001
        /// nDCG@10 (0.936 -> 0.935) and 0.001 P@5 (BENCHMARKS.md).
        static let `default` = Bounds(queryTerms: 64, champions: 500)
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
        return Parallel.map(count: n) { range in
            var accumulator = [Float](repeating: 0, count: n)
            var touched: [Int32] = []
            return range.map { neighbours(of: $0, postings: postings, accumulator: &accumulator, touched: &touched) }
        }
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
        let candidates: [(Int32, Float)]
        if exact || touched.count <= 3 * k + 1 {
            candidates = touched.filter { Int($0) != p }.map { ($0, accumulator[Int($0)]) }
        } else {
            candidates = NeighbourFinder.best(3 * k, of: touched, excluding: Int32(p), accumulator)
        }
        for q in touched { accumulator[Int(q)] = 0 }
        touched.removeAll(keepingCapacity: true)
        var scored: [Neighbour] = []
        scored.reserveCapacity(candidates.count)
        for (q, partial) in candidates {
            let cosine = exact ? Double(partial) : Double(vector.dot(vectors[Int(q)]))
            let score = scorer.score(cosine: cosine, facets[p], facets[Int(q)])
            if score >= scorer.weights.minimumScore { scored.append(Neighbour(post: q, score: score, cosine: cosine)) }
        }
        return Array(scored.sorted { ($0.score, -$0.post) > ($1.score, -$1.post) }.prefix(k))
    }

    /// The `count` posts with the largest partial sums (ties: lower post first), in no particular order: a
    /// bounded min-heap, so a post touching half the corpus costs one comparison per candidate, not a sort.
    static func best(_ count: Int, of touched: [Int32], excluding p: Int32, _ accumulator: [Float]) -> [(Int32, Float)] {
        var heap: [(Int32, Float)] = []
        heap.reserveCapacity(count)
        func worse(_ a: (Int32, Float), _ b: (Int32, Float)) -> Bool { a.1 < b.1 || (a.1 == b.1 && a.0 > b.0) }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, worse(heap[l], heap[m]) { m = l }
                if r < heap.count, worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for q in touched where q != p {
            let item = (q, accumulator[Int(q)])
            if heap.count < count {
                heap.append(item)
                var i = heap.count - 1
                while i > 0, worse(heap[i], heap[(i - 1) / 2]) {
                    heap.swapAt(i, (i - 1) / 2)
                    i = (i - 1) / 2
                }
            } else if worse(heap[0], item) {
                heap[0] = item
                siftDown(0)
            }
        }
        return heap
    }
}
