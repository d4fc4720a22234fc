import BlogSearch

/// The search API's JSON: a `SearchResponse` with each snippet as HTML (`HTMLText.marked`: the text escaped,
/// highlights in `<mark>`), the shape the search box, the widgets and `blogsearch search --json` read.
/// `SearchJSON` writes the same bytes by hand on the request path.
public struct SearchResponseJSON: Encodable {
    public let response: SearchResponse

    public init(_ response: SearchResponse) { self.response = response }

    private enum Keys: String, CodingKey {
        case query, correctedQuery, didYouMean, total, hits, facets, tookMs, hint, notices, rankedBy
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(response.query, forKey: .query)
        try c.encodeIfPresent(response.correctedQuery, forKey: .correctedQuery)
        try c.encodeIfPresent(response.didYouMean, forKey: .didYouMean)
        try c.encode(response.total, forKey: .total)
        try c.encode(response.hits.map(HitJSON.init), forKey: .hits)
        try c.encode(response.facets, forKey: .facets)
        try c.encode(response.tookMs, forKey: .tookMs)
        try c.encodeIfPresent(response.hint, forKey: .hint)
        try c.encode(response.notices, forKey: .notices)
        try c.encode(response.rankedBy, forKey: .rankedBy)
    }

    private struct HitJSON: Encodable {
        let hit: SearchResponse.Hit

        private enum Keys: String, CodingKey {
            case slug, title, url, date, author, categories, tags, score, matchedIn, snippet, comment, matchesAllTerms, lang, translations
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(hit.slug, forKey: .slug)
            try c.encode(hit.title, forKey: .title)
            try c.encode(hit.url, forKey: .url)
            try c.encodeIfPresent(hit.date, forKey: .date)
            try c.encodeIfPresent(hit.author, forKey: .author)
            try c.encode(hit.categories, forKey: .categories)
            try c.encode(hit.tags, forKey: .tags)
            try c.encode(hit.score, forKey: .score)
            try c.encode(hit.matchedIn, forKey: .matchedIn)
            try c.encode(HTMLText.marked(hit.snippet), forKey: .snippet)
            try c.encodeIfPresent(hit.comment.map(CommentJSON.init), forKey: .comment)
            try c.encode(hit.matchesAllTerms, forKey: .matchesAllTerms)
            try c.encodeIfPresent(hit.lang, forKey: .lang)
            try c.encode(hit.translations, forKey: .translations)
        }
    }

    private struct CommentJSON: Encodable {
        let comment: SearchResponse.CommentHit

        private enum Keys: String, CodingKey { case id, author, date, snippet }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(comment.id, forKey: .id)
            try c.encodeIfPresent(comment.author, forKey: .author)
            try c.encodeIfPresent(comment.date, forKey: .date)
            try c.encode(HTMLText.marked(comment.snippet), forKey: .snippet)
        }
    }
}
