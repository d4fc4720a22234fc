extension PostText {
    /// The text of `post` as `post_text` stores it and its vector reads it. Snippets mark matches with
    /// U+E000/U+E001 (`HighlightMarker`): the text itself must not hold them.
    /// `comments`: `PostText.comments(post)`, when the caller has them already.
    init(_ post: Post, comments: [String]? = nil) {
        let clean = HighlightMarker.removed(from:)
        self.init(title: clean(post.title), taxonomy: clean((post.categories + post.tags).joined(separator: "\n")),
                  body: clean(post.body), comments: (comments ?? PostText.comments(post)).joined(separator: "\n\n"))
    }

    /// The comments as the comments column joins them (and the `comments` table stores each).
    static func comments(_ post: Post) -> [String] {
        post.comments.map { HighlightMarker.removed(from: $0.body) }
    }
}
