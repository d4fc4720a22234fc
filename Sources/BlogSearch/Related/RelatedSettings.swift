import Foundation

/// Everything a generation's related lists depend on besides the posts. The manifest records it (as JSON, keys
/// sorted: the store below this layer keeps text); it is read back typed, so that
/// - an incremental build reuses the previous term counts only under equal `vectorWeights`, and keeps the lists
///   as they are only under equal settings;
/// - the read path scores related posts computed on demand (filters, limits beyond `k`, free text) with the
///   weights the lists were built with, not the defaults.
public struct RelatedSettings: Sendable, Hashable, Codable {
    public var vectorWeights: VectorWeights
    public var relatedWeights: RelatedWeights
    /// Related posts precomputed per post.
    public var k: Int
    /// `NeighbourFinder.Bounds`: how many of a post's strongest terms, and of each term's champion postings.
    public var queryTerms: Int
    public var champions: Int

    public init(vectorWeights: VectorWeights, relatedWeights: RelatedWeights, k: Int, queryTerms: Int, champions: Int) {
        self.vectorWeights = vectorWeights
        self.relatedWeights = relatedWeights
        self.k = k
        self.queryTerms = queryTerms
        self.champions = champions
    }

    /// The manifest's text.
    var json: String {
        JSONText.encodeSorted(self)
    }

    /// Reads the manifest's text back; nil when it is not this type's JSON.
    init?(json: String) {
        guard let value: RelatedSettings = JSONText.decodeValue(json) else { return nil }
        self = value
    }
}
