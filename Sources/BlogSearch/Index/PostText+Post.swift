extension PostText {
    /// The text of `post` as `post_text` stores it and its vector reads it. Snippets mark matches with
    /// U+E000/U+E001 (`HighlightMarker`): the text itself must not hold them.
    /// `comments`: `PostText.comments(post)`, when the caller has them already.
    /// A post in a language other than English that the tokenizer knows has each column marked with it
    /// (`LanguageMarker`), so that FTS5, the postings and the vectors analyse it in that language.
    init(_ post: Post, comments: [String]? = nil) {
        let clean = HighlightMarker.removed(from:)
        let language = LanguageMarker.analysisLanguage(post.lang)
        let mark = { (text: String) in language.map { text.isEmpty ? text : LanguageMarker.mark(text, language: $0) } ?? text }
        self.init(title: mark(clean(post.title)), taxonomy: mark(clean((post.categories + post.tags).joined(separator: "\n"))),
                  body: mark(clean(post.body)), comments: mark((comments ?? PostText.comments(post)).joined(separator: "\n\n")))
    }

    /// The comments as the comments column joins them (and the `comments` table stores each).
    static func comments(_ post: Post) -> [String] {
        post.comments.map { HighlightMarker.removed(from: $0.body) }
    }
}
