import Foundation

/// What a search box shows under the box while the reader types.
public struct Suggestions: Sendable, Hashable, Codable {
    /// The query with its last word completed: the most frequent completions first.
    public struct Completion: Sendable, Hashable, Codable {
        /// The whole query to search for.
        public var query: String
        /// The completed word, as the posts write it.
        public var word: String
        /// How often the posts and comments use it.
        public var count: Int
    }

    /// A post to go to directly: the best hits of the query as typed so far.
    public struct PostLink: Sendable, Hashable, Codable {
        public var slug: String
        public var title: String
        public var url: String
        public var date: String?
    }

    public var query: String
    public var completions: [Completion]
    public var posts: [PostLink]
    public var tookMs: Double
}

extension SearchIndex {
    /// Completions of the query's last word (when it is a plain word with nothing typed after it) and the
    /// posts that best answer the query with that word completed (`SearchRequest.prefixLast`).
    /// - Throws: `SearchError.invalidParameter` for a `limit` outside 1...20.
    public func suggest(_ query: String, limit: Int = 5) throws(SearchError) -> Suggestions {
        let started = DispatchTime.now().uptimeNanoseconds
        guard (1...20).contains(limit) else {
            throw .invalidParameter(name: "limit", message: "\(limit) is not between 1 and 20")
        }
        let text = SearchIndex.cut(query) ?? query
        var completions: [Suggestions.Completion] = []
        let parsed = QueryParser.parse(text)
        if let last = parsed.plainWords.last, last.range.upperBound == text.count {
            let head = String(Array(text)[..<last.range.lowerBound])
            completions = try spelling().completions(of: last.token, limit: limit).map {
                Suggestions.Completion(query: head + $0.word, word: $0.word, count: $0.count)
            }
        }
        var posts: [Suggestions.PostLink] = []
        if !parsed.isEmpty {
            let plan = try QueryPlanner(index: self).plan(SearchRequest(query: text, limit: limit, correct: false, prefixLast: true))
            let response = try answer(plan, rankers: SearchIndex.rankers, hits: HitMakers.links, facets: false).response
            posts = response.hits.map { Suggestions.PostLink(slug: $0.slug, title: $0.title, url: $0.url, date: $0.date) }
        }
        return Suggestions(query: text, completions: completions, posts: posts,
                           tookMs: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
    }
}
