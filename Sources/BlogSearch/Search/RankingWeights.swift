/// The parameters of BM25F ranking (see `Sources/CSQLiteExtras/bm25f.c` for the formula).
public struct RankingWeights: Sendable, Hashable, Codable {
    public struct Field: Sendable, Hashable, Codable {
        /// How much one occurrence here counts against one in the body.
        public var weight: Double
        /// Length normalisation: 0 ignores the field's length, 1 divides by its length relative to the average.
        public var b: Double
    }

    /// Term-frequency saturation: how fast repeated occurrences stop adding to the score.
    public var k1: Double
    public var title: Field
    /// Categories and tags.
    public var taxonomy: Field
    public var body: Field
    public var comments: Field

    public init(k1: Double, title: Field, taxonomy: Field, body: Field, comments: Field) {
        self.k1 = k1
        self.title = title
        self.taxonomy = taxonomy
        self.body = body
        self.comments = comments
    }

    /// Defaults, measured on Cranfield (title + abstract) for k1, b and the title weight (BENCHMARKS.md);
    /// comments count for less than the author's own text, so that a post wins over a post that is
    /// merely discussed.
    public static let `default` = RankingWeights(
        k1: 1.2,
        title: Field(weight: 2.0, b: 0.75),
        taxonomy: Field(weight: 1.5, b: 0.5),
        body: Field(weight: 1.0, b: 0.75),
        comments: Field(weight: 0.5, b: 0.75)
    )

    /// The SQL call of the ranking function over `post_text`, with every parameter inline: all numbers,
    /// formatted here, so nothing from a request reaches SQL.
    var sqlFunction: String {
        let fields = [title, taxonomy, body, comments, Field(weight: 0, b: 0)]
        let args = [k1] + fields.flatMap { [$0.weight, $0.b] }
        return "blogsearch_rank(post_text, " + args.map { String($0) }.joined(separator: ", ") + ")"
    }
}
