/// The searchable text of a post as the index stores it (the columns of `post_text`) and as its vector reads
/// it, so that an incremental build can re-read an older version of a post from the previous generation.
struct PostText: Sendable {
    var title: String
    var taxonomy: String
    var body: String
    /// Every comment, in order, separated by a blank line (tokens never span the separator).
    var comments: String

    /// The language the text is marked with (`LanguageMarker`, on every column that is not empty); nil: English.
    var language: String? {
        for column in [title, taxonomy, body, comments] where !column.isEmpty {
            return LanguageMarker.strip(column).language
        }
        return nil
    }

    init(title: String, taxonomy: String, body: String, comments: String) {
        self.title = title
        self.taxonomy = taxonomy
        self.body = body
        self.comments = comments
    }
}
