/// A blog post as the engine sees it, whatever format it was read from.
public struct Post: Sendable, Hashable, Codable {
    /// Unique within a corpus; the key of every lookup (`related`, `/posts/{slug}`).
    public var slug: String
    public var title: String
    public var url: String
    /// `YYYY-MM-DD`, or nil when the source gives none.
    public var date: String?
    public var author: String?
    public var categories: [String]
    public var tags: [String]
    /// Plain text: markup dropped, link text kept, entities decoded.
    public var body: String
    public var comments: [Comment]
    /// Where the post was read from, for messages.
    public var source: SourceLocation
    /// The post's language: a normalized BCP 47 tag (`LanguageTag`: `en`, `ja`, `zh-hans`, `pt-br`), or nil
    /// when no source names one that is known and none was detected.
    public var lang: String?
    /// Where `lang` came from (nil with it).
    public var langSource: LanguageSource?
    /// The posts with the same key are versions of one post in other languages (a page bundle, Hugo's
    /// `translationKey`, a WordPress translation group); nil for a post that stands alone.
    public var translationKey: String?

    public init(
        slug: String, title: String, url: String? = nil, date: String? = nil, author: String? = nil,
        categories: [String] = [], tags: [String] = [], body: String, comments: [Comment] = [],
        source: SourceLocation, lang: String? = nil, langSource: LanguageSource? = nil, translationKey: String? = nil
    ) {
        self.slug = slug
        self.title = title
        self.url = url ?? Post.defaultURL(slug: slug)
        self.date = date
        self.author = author
        self.categories = categories
        self.tags = tags
        self.body = body
        self.comments = comments
        self.source = source
        self.lang = lang
        self.langSource = lang == nil ? nil : langSource
        self.translationKey = translationKey
    }

    /// The URL a post gets when its source names none.
    public static func defaultURL(slug: String) -> String { "/posts/\(slug)/" }
}

/// A reader's comment on a post (or a reply to another comment).
public struct Comment: Sendable, Hashable, Codable {
    /// Unique within its post.
    public var id: String
    public var author: String?
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (no zone information is invented).
    public var date: String?
    public var body: String
    /// The id of the comment this one answers, if any.
    public var replyTo: String?

    public init(id: String, author: String?, date: String?, body: String, replyTo: String? = nil) {
        self.id = id
        self.author = author
        self.date = date
        self.body = body
        self.replyTo = replyTo
    }
}

/// A file, and a line in it where known.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var line: Int?

    public init(path: String, line: Int? = nil) {
        self.path = path
        self.line = line
    }

    /// The path with control characters escaped (`PrintableText`), and the line.
    public var description: String {
        let path = PrintableText.escaped(self.path)
        return line.map { "\(path):\($0)" } ?? path
    }
}
