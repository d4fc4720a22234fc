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
