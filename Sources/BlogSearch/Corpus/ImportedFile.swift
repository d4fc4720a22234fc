/// What one imported file (a WordPress, Ghost or Disqus export, a feed, a page of a built site) gave.
struct ImportedFile {
    var posts: [Post] = []
    /// Comments whose post may come from another file: matched by URL or slug once every file is read.
    var threadComments: [ThreadComment] = []
    var problems: [CorpusProblem] = []
    /// Items left out because they are not published (drafts, pending, private, trashed…).
    var drafts = 0
}
