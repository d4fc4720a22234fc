import Foundation

/// Attaches comments read apart from their post (`ThreadComment`) to posts from any format: by URL,
/// normalised so that scheme, `www.`, a trailing slash, `index.html`, query and fragment do not matter (a
/// relative post URL matches on the path), else by the thread identifier when it equals a slug. Threads that
/// match no post are reported per file: how many, with a few examples.
enum ThreadMatcher {
    /// - Returns: the comments that found their post, by slug, and one problem per file with unmatched threads.
    static func match(_ items: [ThreadComment], posts: [Post]) -> (matched: [(slug: String, path: String, comment: Comment)], problems: [CorpusProblem]) {
        guard !items.isEmpty else { return ([], []) }
        var byKey: [String: String] = [:]
        for post in posts {
            let key = URLKey(post.url)
            if let host = key.host { byKey[host + key.path] = byKey[host + key.path] ?? post.slug }
            byKey[key.path] = byKey[key.path] ?? post.slug
        }
        let slugs = Set(posts.map(\.slug))
        var matched: [(slug: String, path: String, comment: Comment)] = []
        var unmatched: [String: (threads: [String], seen: Set<ThreadComment.Thread>, comments: Int)] = [:]
        var cache: [ThreadComment.Thread: String?] = [:]
        for item in items {
            let slug: String?
            if let known = cache[item.thread] {
                slug = known
            } else {
                slug = find(item.thread, byKey: byKey, slugs: slugs)
                cache[item.thread] = slug
            }
            if let slug {
                matched.append((slug, item.location.path, item.comment))
                continue
            }
            var entry = unmatched[item.location.path] ?? ([], [], 0)
            if entry.seen.insert(item.thread).inserted { entry.threads.append(item.thread.label) }
            entry.comments += 1
            unmatched[item.location.path] = entry
        }
        let problems = unmatched.keys.sorted().map { path -> CorpusProblem in
            let entry = unmatched[path]!
            let examples = entry.threads.prefix(3).joined(separator: ", ")
            return CorpusProblem(SourceLocation(path: path), .skipped,
                                 "\(entry.threads.count) comment thread(s) match no post in the corpus (\(examples)\(entry.threads.count > 3 ? ", …" : "")); their \(entry.comments) comment(s) are left out")
        }
        return (matched, problems)
    }

    private static func find(_ thread: ThreadComment.Thread, byKey: [String: String], slugs: Set<String>) -> String? {
        if let url = thread.url {
            let key = URLKey(url)
            if let host = key.host, let slug = byKey[host + key.path] { return slug }
            if let slug = byKey[key.path] { return slug }
        }
        if let identifier = thread.identifier?.trimmedWhitespace, slugs.contains(identifier) { return identifier }
        return nil
    }

    /// A URL reduced to what identifies a page: the host without `www.` (nil for a relative URL) and the path
    /// without a trailing slash or `index.html`, query or fragment.
    struct URLKey: Equatable {
        var host: String?
        var path: String

        init(_ url: String) {
            var rest = Substring(url.trimmedWhitespace)
            if let cut = rest.firstIndex(where: { $0 == "#" || $0 == "?" }) { rest = rest[..<cut] }
            var host: String? = nil
            if let scheme = rest.range(of: "://") {
                rest = rest[scheme.upperBound...]
                let end = rest.firstIndex(of: "/") ?? rest.endIndex
                host = String(rest[..<end]).lowercased()
                rest = rest[end...]
            } else if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(of: "/") ?? rest.endIndex
                host = String(rest[..<end]).lowercased()
                rest = rest[end...]
            }
            if let h = host {
                var bare = h.hasPrefix("www.") ? String(h.dropFirst(4)) : h
                if let port = bare.firstIndex(of: ":") { bare = String(bare[..<port]) }
                host = bare
            }
            var path = String(rest)
            for index in ["/index.html", "/index.htm"] where path.hasSuffix(index) { path = String(path.dropLast(index.count - 1)) }
            while path.hasSuffix("/") { path.removeLast() }
            if !path.hasPrefix("/") { path = "/" + path }
            self.host = host
            self.path = path.removingPercentEncoding ?? path
        }
    }
}
