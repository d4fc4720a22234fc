/// A post's metadata, kept in memory so that turning rowids into hits needs no SQL.
public struct PostSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var slug: String
    public var title: String
    public var url: String
    public var date: String?
    public var author: String?
    public var categories: [String]
    public var tags: [String]
    /// The post's language tag, nil when it has none.
    public var lang: String?
    /// The other versions of this post, in other languages (`Translations.swift`).
    public var translations: [PostTranslation] = []
    var translationKey: String?
    var firstComment: Int64
    var commentCount: Int
}

extension SearchResponse.Hit {
    /// A hit for `post`: its record as the index keeps it, with what the search found.
    init(_ post: PostSummary, score: Double, matchedIn: [String] = [], snippet: HighlightedText = HighlightedText(text: ""), comment: SearchResponse.CommentHit? = nil,
         matchesAllTerms: Bool) {
        self.init(slug: post.slug, title: post.title, url: post.url, date: post.date, author: post.author, categories: post.categories,
                  tags: post.tags, score: score, matchedIn: matchedIn, snippet: snippet, comment: comment, matchesAllTerms: matchesAllTerms,
                  lang: post.lang, translations: post.translations)
    }
}
