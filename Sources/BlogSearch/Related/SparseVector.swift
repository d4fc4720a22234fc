import Foundation

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
