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
        /// 500 champions per term bound the postings walked per post at 100k posts, for a loss of related-post
        /// quality within 0.001 nDCG@10 and P@5 on the synthetic benchmark (BENCHMARKS.md).
        static let `default` = Bounds(queryTerms: 64, champions: 500)
        static let exact = Bounds(queryTerms: .max, champions: .max)
    }

    let vectors: [SparseVector]
    let facets: [PostFacets]
    let scorer: RelatedScorer
    let k: Int
    let bounds: Bounds
    /// Per post, its group (its language; -1: none, related to any): only posts of the same group are related. Nil: one group.
    var groups: [Int32]? = nil

    /// Every post's top K, each with the terms that explain it (`explain` is given the shared terms with
    /// the largest contributions, largest first, at most `4 · sharedTermCount` of them, as served on demand).
    func run<Explanation>(explain: @Sendable (_ shared: [(id: Int32, contribution: Float)]) -> Explanation)
        -> [[(neighbour: Neighbour, explanation: Explanation)]] {
        let n = vectors.count
        guard n > 1 else { return Array(repeating: [], count: n) }
        let postings = Postings(vectors, champions: bounds.champions)
        return Parallel.map(count: n) { range in
            var scratch = Scratch(posts: n, terms: postings.termCount)
            defer { scratch.release() }
            return range.map { p in
                scratch.scatter(vectors[p])
                defer { scratch.clear(vectors[p]) }
                return neighbours(of: p, postings: postings, scratch: &scratch).map { neighbour in
                    (neighbour, explain(scratch.shared(with: vectors[Int(neighbour.post)],
                                                      limit: 4 * RelatedExplanation.sharedTermCount)))
                }
            }
        }
    }

    /// term id → the posts holding it with their weights, in post order; a list longer than the champion bound
    /// keeps only its heaviest posts (ties: lower post first). Flat arrays (compressed sparse rows): one allocation, no per-term array.
    struct Postings: Sendable {
        let start: [Int]
        let end: [Int]
        let posts: [Int32]
        let weights: [Float]
        var termCount: Int { start.count }

        init(_ vectors: [SparseVector], champions: Int) {
            var terms = 0
            for vector in vectors { if let last = vector.ids.last { terms = max(terms, Int(last) + 1) } }
            var start = [Int](repeating: 0, count: terms + 1)
            for vector in vectors { for id in vector.ids { start[Int(id) + 1] += 1 } }
            for t in 0..<terms { start[t + 1] += start[t] }
            var fill = start
            var posts = [Int32](repeating: 0, count: start[terms])
            var weights = [Float](repeating: 0, count: start[terms])
            for (p, vector) in vectors.enumerated() {
                for (i, id) in vector.ids.enumerated() {
                    posts[fill[Int(id)]] = Int32(p)
                    weights[fill[Int(id)]] = vector.weights[i]
                    fill[Int(id)] += 1
                }
            }
            // Cut each long list to its champions.
            let long = (0..<terms).filter { start[$0 + 1] - start[$0] > champions }
            let filled = Unchecked((posts, weights))
            let bounds = start
            let cut = Parallel.map(count: long.count) { range in
                range.map { n -> [(Int32, Float)] in
                    let t = long[n]
                    var pairs = (bounds[t]..<bounds[t + 1]).map { (filled.value.0[$0], filled.value.1[$0]) }
                    pairs.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
                    // Back in post order: the partial sums are then read and written in increasing address
                    // order (100k posts: a 400 KB array). Each post appears once per list, so its sum is the
                    // same in any order within a list.
                    return pairs.prefix(champions).sorted { $0.0 < $1.0 }
                }
            }
            var end = Array(start.dropFirst())
            for (n, t) in long.enumerated() {
                for (i, pair) in cut[n].enumerated() {
                    posts[start[t] + i] = pair.0
                    weights[start[t] + i] = pair.1
                }
                end[t] = start[t] + cut[n].count
            }
            self.start = Array(start.dropLast())
            self.end = end
            self.posts = posts
            self.weights = weights
        }
    }

    /// One thread's working memory: partial sums per post, and the current post's weights spread out by term
    /// id, so that an exact dot product or the shared terms cost one pass over the other vector. A bitmap of
    /// the current post's terms (170k terms: 21 KB, in L1) is checked before the weights (680 KB) are read:
    /// most terms of the other vector are not shared.
    struct Scratch {
        var accumulator: UnsafeMutableBufferPointer<Float>
        var dense: UnsafeMutableBufferPointer<Float>
        var present: UnsafeMutableBufferPointer<UInt64>
        /// The posts with a partial sum, in the order first reached.
        var touched: UnsafeMutableBufferPointer<Int32>

        init(posts: Int, terms: Int) {
            accumulator = .allocate(capacity: posts)
            accumulator.initialize(repeating: 0)
            touched = .allocate(capacity: posts)
            touched.initialize(repeating: 0)
            dense = .allocate(capacity: max(terms, 1))
            dense.initialize(repeating: 0)
            present = .allocate(capacity: max(terms, 1) / 64 + 1)
            present.initialize(repeating: 0)
        }

        func release() {
            accumulator.deallocate()
            touched.deallocate()
            dense.deallocate()
            present.deallocate()
        }

        func scatter(_ vector: SparseVector) {
            for (i, id) in vector.ids.enumerated() where Int(id) < dense.count {
                dense[Int(id)] = vector.weights[i]
                present[Int(id) >> 6] |= 1 << UInt64(id & 63)
            }
        }

        func clear(_ vector: SparseVector) {
            for id in vector.ids where Int(id) < dense.count {
                dense[Int(id)] = 0
                present[Int(id) >> 6] = 0
            }
        }

        @inline(__always)
        private func holds(_ id: Int32) -> Bool {
            Int(id) < dense.count && present[Int(id) >> 6] & (1 << UInt64(id & 63)) != 0
        }

        /// Σ a_t · b_t over the terms both hold, with the scattered vector a, summed in term id order as
        /// `SparseVector.dot` does: the same value to the last bit.
        func dot(_ other: SparseVector) -> Float {
            var sum: Float = 0
            other.ids.withUnsafeBufferPointer { ids in
                other.weights.withUnsafeBufferPointer { weights in
                    for i in 0..<ids.count where holds(ids[i]) { sum += dense[Int(ids[i])] * weights[i] }
                }
            }
            return sum
        }

        /// The `limit` largest contributions a_t · b_t, largest first (ties: lower term id first), as
        /// `SparseVector.sharedTerms(_:)` orders them.
        func shared(with other: SparseVector, limit: Int) -> [(id: Int32, contribution: Float)] {
            // Kept sorted and cut to `limit` as it fills: a post shares hundreds of terms, few are shown.
            var top: [(id: Int32, contribution: Float)] = []
            top.reserveCapacity(limit + 1)
            for (i, id) in other.ids.enumerated() where holds(id) {
                let c = dense[Int(id)] * other.weights[i]
                // Ids arrive in increasing order, so among equal contributions the earlier one stays ahead.
                if top.count == limit, c <= top[limit - 1].contribution { continue }
                var at = top.count
                while at > 0, top[at - 1].contribution < c { at -= 1 }
                top.insert((id, c), at: at)
                if top.count > limit { top.removeLast() }
            }
            return top
        }
    }

    private func neighbours(of p: Int, postings: Postings, scratch: inout Scratch) -> [Neighbour] {
        let vector = vectors[p]
        var terms = Array(vector.ids.indices)
        if terms.count > bounds.queryTerms {
            terms.sort { vector.weights[$0] > vector.weights[$1] || (vector.weights[$0] == vector.weights[$1] && $0 < $1) }
            terms.removeLast(terms.count - bounds.queryTerms)
        }
        let accumulator = scratch.accumulator, touchedBuffer = scratch.touched
        var reached = 0
        let group = groups.flatMap { $0[p] < 0 ? nil : $0[p] }
        postings.posts.withUnsafeBufferPointer { posts in
            postings.weights.withUnsafeBufferPointer { weights in
                for i in terms {
                    let w = vector.weights[i]
                    let id = Int(vector.ids[i])
                    guard id < postings.termCount else { continue }
                    for j in postings.start[id]..<postings.end[id] {
                        let q = Int(posts[j])
                        if let group, groups![q] != group, groups![q] >= 0 { continue }
                        if accumulator[q] == 0 {
                            touchedBuffer[reached] = posts[j]
                            reached += 1
                        }
                        accumulator[q] += w * weights[j]
                    }
                }
            }
        }
        let exact = terms.count == vector.ids.count && bounds.champions >= vectors.count
        let candidates: [(Int32, Float)]
        let touched = UnsafeBufferPointer(rebasing: touchedBuffer[0..<reached])
        if exact || touched.count <= 3 * k + 1 {
            candidates = touched.filter { Int($0) != p }.map { ($0, accumulator[Int($0)]) }
        } else {
            candidates = NeighbourFinder.best(3 * k, of: touched, excluding: Int32(p), accumulator)
        }
        for q in touched { accumulator[Int(q)] = 0 }
        var scored: [Neighbour] = []
        scored.reserveCapacity(candidates.count)
        for (q, partial) in candidates {
            let cosine = exact ? Double(partial) : Double(scratch.dot(vectors[Int(q)]))
            let score = scorer.score(cosine: cosine, facets[p], facets[Int(q)])
            if score >= scorer.weights.minimumScore { scored.append(Neighbour(post: q, score: score, cosine: cosine)) }
        }
        return Array(scored.sorted { ($0.score, -$0.post) > ($1.score, -$1.post) }.prefix(k))
    }

    /// The `count` posts with the largest partial sums (ties: lower post first), in no particular order: a
    /// bounded min-heap, so a post touching half the corpus costs one comparison per candidate, not a sort.
    static func best(_ count: Int, of touched: UnsafeBufferPointer<Int32>, excluding p: Int32, _ accumulator: UnsafeMutableBufferPointer<Float>) -> [(Int32, Float)] {
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
