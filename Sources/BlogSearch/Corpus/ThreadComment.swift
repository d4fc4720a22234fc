/// A comment read apart from its post (a Disqus thread, a WordPress comments feed), to be attached to the
/// post its thread names once every file is read (`ThreadMatcher`).
struct ThreadComment {
    /// The page the thread belongs to: its URL, and an identifier that may equal the post's slug.
    struct Thread: Hashable {
        var url: String?
        var identifier: String?

        /// For messages: the URL, else the identifier.
        var label: String { url ?? identifier ?? "(no link)" }
    }

    var thread: Thread
    var comment: Comment
    /// The file (and line) the comment was read from.
    var location: SourceLocation
}
