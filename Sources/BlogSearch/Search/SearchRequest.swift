/// What to search for. Build one, then `validate()` it (the engine does too).
public struct SearchRequest: Sendable, Hashable {
    /// A longer query is cut to this many characters (at a word's end) with a notice, never refused.
    public static let maxQueryLength = 1_000
    /// The longest recency half-life, in days (a century: no boost to speak of).
    public static let recencyRange = 1.0...36_500.0

    /// How hits are ordered.
    public enum Sort: String, Sendable, Hashable, CaseIterable {
        /// Best first (BM25F, posts with every word before the others).
        case relevance
        /// Newest first among the matches (posts with every word before the others; undated posts last).
        case date
    }
    public static let limitRange = 1...100
    public static let maxOffset = 10_000

    public var query: String
    public var limit: Int
    public var offset: Int
    /// Posts must be in every one of these categories (case-insensitive).
    public var categories: [String]
    /// Posts must carry every one of these tags (case-insensitive).
    public var tags: [String]
    public var author: String?
    /// `YYYY-MM-DD`, inclusive.
    public var since: String?
    /// `YYYY-MM-DD`, inclusive.
    public var until: String?
    /// Whether a word the index does not know may be corrected (`SearchResponse.correctedQuery`, `didYouMean`).
    public var correct: Bool
    public var sort: Sort
    /// With relevance order: newer posts score higher, a post this many days older than the newest post
    /// getting half the newest one's boost (see `SearchIndex.recencyFactor`). Nil: no boost.
    public var recencyHalfLifeDays: Double?
    /// Search as you type: the query's last word, when nothing follows it (not even a space), is the start of
    /// a word, completed from the index's vocabulary (its `SearchIndex.completionLimit` most frequent
    /// completions, any of which may match). Words in quotes, exclusions and prefixes are left as they are.
    public var prefixLast: Bool
    /// The query's language (a BCP 47 tag, e.g. `ja`, `pt-br`): its words are analysed as posts of that
    /// language are, and only posts in it match. Nil: the language is guessed from the query's script, and
    /// posts of every language match, each analysed its own way.
    public var lang: String?

    public init(query: String, limit: Int = 10, offset: Int = 0, categories: [String] = [], tags: [String] = [],
                author: String? = nil, since: String? = nil, until: String? = nil, correct: Bool = true,
                sort: Sort = .relevance, recencyHalfLifeDays: Double? = nil, prefixLast: Bool = false, lang: String? = nil) {
        self.lang = lang
        self.prefixLast = prefixLast
        self.correct = correct
        self.sort = sort
        self.recencyHalfLifeDays = recencyHalfLifeDays
        self.query = query
        self.limit = limit
        self.offset = offset
        self.categories = categories
        self.tags = tags
        self.author = author
        self.since = since
        self.until = until
    }

    /// - Throws: `SearchError.invalidParameter` naming the first bad parameter.
    public func validate() throws(SearchError) {
        if let days = recencyHalfLifeDays, !SearchRequest.recencyRange.contains(days) {
            throw .invalidParameter(name: "recency", message: "\(days) days is not between 1 and \(Int(SearchRequest.recencyRange.upperBound)) (the half-life of the recency boost)")
        }
        if !SearchRequest.limitRange.contains(limit) {
            throw .invalidParameter(name: "limit", message: "\(limit) is not between 1 and 100")
        }
        if offset < 0 || offset > SearchRequest.maxOffset {
            throw .invalidParameter(name: "offset", message: "\(offset) is not between 0 and \(SearchRequest.maxOffset)")
        }
        for (name, value) in [("since", since), ("until", until)] {
            guard let value else { continue }
            guard let parsed = DateText.parse(value), parsed.day == value else {
                throw .invalidParameter(name: name, message: "'\(value.prefix(40))' is not a date in the form YYYY-MM-DD")
            }
        }
        if let lang, SearchRequest.normalizedLanguage(lang) == nil {
            throw .invalidParameter(name: "lang", message: "'\(lang.prefix(40))' is not a language tag (BCP 47, e.g. en, ja, pt-BR, zh-Hans)")
        }
        if let since, let until, since > until {
            throw .invalidParameter(name: "since", message: "\(since) is after until \(until)")
        }
    }
}

extension SearchRequest {
    /// A language tag as the index stores it (lower case, `-` between subtags: `pt-br`, `zh-hans`), or nil when
    /// it is not a well-formed BCP 47 tag (a primary subtag of 2–3 letters, then subtags of 1–8 letters or digits).
    public static func normalizedLanguage(_ tag: String) -> String? {
        let normalized = tag.lowercased().replacingOccurrences(of: "_", with: "-")
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }),
              parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        else { return nil }
        return normalized
    }
}

/// Search results: one page of hits, the total, and facet counts over all matching posts.
public struct SearchResponse: Sendable, Hashable, Codable {
    public struct Hit: Sendable, Hashable, Codable {
        public var slug: String
        public var title: String
        public var url: String
        public var date: String?
        public var author: String?
        public var categories: [String]
        public var tags: [String]
        /// BM25F score: higher is better; comparable only within one response.
        public var score: Double
        /// Fields with a match: `title`, `tags` (categories and tags), `body`, `comments`.
        public var matchedIn: [String]
        /// A passage of the body around the matches (or of the matched comment, when the body has none), the
        /// matched terms highlighted.
        public var snippet: HighlightedText
        /// The best-matching comment, when the post matched in its comments.
        public var comment: CommentHit?
        /// False for posts that match only some of the words (listed after those that match all).
        public var matchesAllTerms: Bool
        /// The post's language tag, nil when it has none.
        public var lang: String?
        /// The other versions of the post, in other languages.
        public var translations: [PostTranslation]
    }

    public struct CommentHit: Sendable, Hashable, Codable {
        public var id: String
        public var author: String?
        public var date: String?
        /// A passage of the comment around the matches, the matched terms highlighted.
        public var snippet: HighlightedText
    }

    public struct FacetCount: Sendable, Hashable, Codable {
        public var value: String
        public var count: Int
    }

    public struct Facets: Sendable, Hashable, Codable {
        public var categories: [FacetCount]
        public var tags: [FacetCount]
        /// Posts per language (`lang`), most first; empty when no post has a language.
        public var languages: [FacetCount]

        public init(categories: [FacetCount] = [], tags: [FacetCount] = [], languages: [FacetCount] = []) {
            self.categories = categories
            self.tags = tags
            self.languages = languages
        }
    }

    /// The query as it was sent (cut to `SearchRequest.maxQueryLength` characters when longer).
    public var query: String
    /// When the query had words the index does not know and their correction finds what the query as typed
    /// did not (nothing, or no post with every word): the corrected query, which these results answer.
    public var correctedQuery: String?
    /// A correction of the query's unknown words that finds posts, offered when the query as typed found
    /// posts with every word already (results unchanged).
    public var didYouMean: String?
    /// Posts matching at least one word (and the filters).
    public var total: Int
    public var hits: [Hit]
    public var facets: Facets
    public var tookMs: Double
    /// Why there are no results, when the query itself is the reason (empty, only stop words, only exclusions).
    public var hint: String?
    /// Things the engine changed about the query (words dropped), for the user to know.
    public var notices: [String]
    /// Which path ranked the hits: `postings` (blogsearch's own postings, the top hits without scoring every
    /// match) or `fts5` (FTS5 ranks every match: phrases, prefixes, or a generation without postings). Both
    /// give the same hits in the same order.
    public var rankedBy: String
}
