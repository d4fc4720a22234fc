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
    /// Weight of the term-proximity bonus (BM25TP): query words close together in a field score more.
    public var proximity: Double
    public var title: Field
    /// Categories and tags.
    public var taxonomy: Field
    public var body: Field
    public var comments: Field

    public init(k1: Double, proximity: Double, title: Field, taxonomy: Field, body: Field, comments: Field) {
        self.k1 = k1
        self.proximity = proximity
        self.title = title
        self.taxonomy = taxonomy
        self.body = body
        self.comments = comments
    }

    /// Defaults. k1, b, the title weight and the proximity weight were measured on Cranfield, title + abstract
    /// (Benchmarks/relevance/research/07_summary.py; the table is in BENCHMARKS.md): title 3 over body 1
    /// gave +0.008 nDCG@10 over equal weights, k1 1.5 +0.005 over 1.2, proximity 0.5 +0.007; b hardly
    /// mattered. Cranfield has no tags or comments: tags weigh between title and body as a short,
    /// author-chosen summary; comments weigh half the body, so that a post about the words wins over a post
    /// where readers merely mention them.
    public static let `default` = RankingWeights(
        k1: 1.5,
        proximity: 0.5,
        title: Field(weight: 3.0, b: 0.75),
        taxonomy: Field(weight: 1.5, b: 0.5),
        body: Field(weight: 1.0, b: 0.75),
        comments: Field(weight: 0.5, b: 0.75)
    )

    /// The SQL call of the ranking function over `post_text`, with every parameter inline: all numbers,
    /// formatted here, so nothing from a request reaches SQL.
    var sqlFunction: String {
        "blogsearch_rank(post_text, " + arguments + ")"
    }

    /// The same for FTS5's `rank MATCH ?` (the table argument is implied there).
    var rankFunction: String {
        "blogsearch_rank(" + arguments + ")"
    }

    private var arguments: String {
        let fields = [title, taxonomy, body, comments, Field(weight: 0, b: 0)]
        return ([k1, proximity] + fields.flatMap { [$0.weight, $0.b] }).map { String($0) }.joined(separator: ", ")
    }
}
