/// How related posts are scored beyond text similarity. Every weight is documented with its measurement.
public struct RelatedWeights: Sendable, Hashable, Codable {
    /// Added × the cosine of the two posts' tag sets: |A ∩ B| / √(|A|·|B|) (Hugo and YARPP weigh tags too).
    public var tags: Double
    /// Added × the cosine of the two posts' category sets.
    public var categories: Double
    /// Added × 0.5^(|days between the posts| / recencyHalfLifeDays); 0 turns recency off.
    public var recency: Double
    public var recencyHalfLifeDays: Double
    /// Posts scoring below this are not related at all (YARPP and Jetpack show nothing rather than noise).
    public var minimumScore: Double

    public init(tags: Double, categories: Double, recency: Double, recencyHalfLifeDays: Double, minimumScore: Double) {
        self.tags = tags
        self.categories = categories
        self.recency = recency
        self.recencyHalfLifeDays = recencyHalfLifeDays
        self.minimumScore = minimumScore
    }

    /// Measured on the synthetic corpus with known topics (BENCHMARKS.md, related posts), where one tag in
    /// five is off-topic: with comments at 0.5, tag weight 0 → nDCG@10 0.957 and 0.05 → 0.955; without
    /// comments, 0 → 0.944, 0.1 → 0.937, 0.2 → 0.927. A small tag weight costs almost nothing there and lets authors' tags break ties, which is what
    /// blog readers expect (YARPP, Hugo); categories are too coarse to help (0 / 0.05 / 0.1 within 0.002), so
    /// they are explained but not scored. Recency is off: the corpus's topics drift over the years and it did
    /// not help. The minimum score keeps pairs that share only common words out of the sidebar.
    public static let `default` = RelatedWeights(tags: 0.05, categories: 0, recency: 0, recencyHalfLifeDays: 365,
                                                 minimumScore: 0.05)
}

/// Which related posts to return.
public struct RelatedRequest: Sendable, Hashable {
    public static let limitRange = 1...100

    public enum Source: Sendable, Hashable {
        case slug(String)
        case url(String)
        /// Free text not in the corpus, e.g. a draft being written.
        case text(String)
    }

    public var source: Source
    public var limit: Int
    /// Slugs never to return (the post itself and drafts never are).
    public var exclude: [String]
    /// Only posts sharing a category with the post.
    public var sameCategory: Bool
    /// Only posts dated before the post (Hugo's `includeNewer: false`): stable "see also" lists.
    public var olderOnly: Bool

    public init(_ source: Source, limit: Int = 5, exclude: [String] = [], sameCategory: Bool = false, olderOnly: Bool = false) {
        self.source = source
        self.limit = limit
        self.exclude = exclude
        self.sameCategory = sameCategory
        self.olderOnly = olderOnly
    }

    public func validate() throws(SearchError) {
        if !RelatedRequest.limitRange.contains(limit) {
            throw .invalidParameter(name: "limit", message: "\(limit) is not between 1 and 100")
        }
        if case .text(let text) = source, text.count > 20_000 {
            throw .invalidParameter(name: "text", message: "it has \(text.count) characters; the most is 20000")
        }
    }
}

/// Related posts for one post (or text), best first, each with the reasons.
public struct RelatedResponse: Sendable, Hashable, Codable {
    public struct Item: Sendable, Hashable, Codable {
        public var slug: String
        public var title: String
        public var url: String
        public var date: String?
        /// Blended score: text cosine plus tag, category and recency terms. Higher is closer.
        public var score: Double
        /// The words both posts use that contribute most to their similarity, as readers write them.
        public var sharedTerms: [String]
        public var sharedTags: [String]
        public var sharedCategories: [String]
    }

    /// The post the list is for (nil for free text).
    public var slug: String?
    public var related: [Item]
    public var tookMs: Double
}
