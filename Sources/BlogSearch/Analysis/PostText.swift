/// The searchable text of a post as the index stores it (the columns of `post_text`) and as its vector reads
/// it, so that an incremental build can re-read an older version of a post from the previous generation.
struct PostText: Sendable {
    var title: String
    var taxonomy: String
    var body: String
    /// Every comment, in order, separated by a blank line (tokens never span the separator).
    var comments: String

    init(title: String, taxonomy: String, body: String, comments: String) {
        self.title = title
        self.taxonomy = taxonomy
        self.body = body
        self.comments = comments
    }
}
