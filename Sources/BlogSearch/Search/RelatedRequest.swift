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
        /// The related post's language tag, nil when it has none.
        public var lang: String?
        /// The related post's other versions, in other languages.
        public var translations: [PostTranslation]
    }

    /// The post the list is for (nil for free text).
    public var slug: String?
    public var related: [Item]
    public var tookMs: Double
}
