import Foundation

/// Reads a Ghost export (Settings → Labs → Export: `{"db": [{"meta": …, "data": {"posts", "tags", "posts_tags",
/// "users", "posts_authors"}}]}`; Ghost before 1.0 has no `db` wrapper and one `author_id` per post).
///
/// Kept: published posts (`type` post, `status` published) with their public tags (internal `#tags` left out),
/// the primary author's name (the first of `posts_authors`), the date of `published_at`, the URL `/<slug>/`,
/// and the text of `html`, or of the Lexical or Mobiledoc source where there is no HTML. A members-only or paid
/// post is indexed up to its public preview (the `<!--members-only-->` divider, or the paywall card) and no
/// further; without a divider only its custom excerpt is public. Pages, drafts and scheduled posts are left out.
/// The language is a post's own `locale` (Ghost before 1.0 had one per post), else the site's `locale`
/// setting (`settings`: `{"key": "locale", "value": "ja"}`).
enum GhostReader {
    static func read(path: String) -> ImportedFile {
        var file = ImportedFile()
        let location = SourceLocation(path: path)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            file.problems.append(CorpusProblem(location, .skipped, "not a readable Ghost export: \(reason)"))
            return file
        }
        guard let data = exportData(root) else {
            file.problems.append(CorpusProblem(location, .skipped, "not a Ghost export: no `db[0].data.posts`"))
            return file
        }
        let tags = Dictionary(objects(data["tags"]).compactMap { tag -> (String, String)? in
            guard let id = string(tag["id"]), let name = string(tag["name"]), !name.hasPrefix("#"),
                  string(tag["visibility"]) != "internal" else { return nil }
            return (id, name)
        }, uniquingKeysWith: { a, _ in a })
        let users = Dictionary(objects(data["users"]).compactMap { user -> (String, String)? in
            guard let id = string(user["id"]), let name = string(user["name"]) else { return nil }
            return (id, name)
        }, uniquingKeysWith: { a, _ in a })
        let siteLocale = objects(data["settings"]).first { string($0["key"]) == "locale" }.flatMap { string($0["value"]) }
        var postTags: [String: [(Int, String)]] = [:]
        for link in objects(data["posts_tags"]) {
            guard let post = string(link["post_id"]), let tag = string(link["tag_id"]).flatMap({ tags[$0] }) else { continue }
            postTags[post, default: []].append((int(link["sort_order"]), tag))
        }
        var primaryAuthor: [String: (Int, String)] = [:]
        for link in objects(data["posts_authors"]) {
            guard let post = string(link["post_id"]), let name = string(link["author_id"]).flatMap({ users[$0] }) else { continue }
            let order = int(link["sort_order"])
            if primaryAuthor[post].map({ order < $0.0 }) ?? true { primaryAuthor[post] = (order, name) }
        }
        for (index, post) in objects(data["posts"]).enumerated() {
            let type = string(post["type"]) ?? ((post["page"] as? Bool ?? false) || int(post["page"]) == 1 ? "page" : "post")
            guard type == "post" else { continue }
            guard string(post["status"]) == "published" else {
                file.drafts += 1
                continue
            }
            let id = string(post["id"]) ?? String(index)
            let title = PlainText.fromHTML(string(post["title"]) ?? "")
            var slug = string(post["slug"])?.trimmedWhitespace ?? ""
            if !Slug.isValid(slug) { slug = Slug.make(from: slug.isEmpty ? title : slug) }
            guard !title.isEmpty, !slug.isEmpty else {
                file.problems.append(CorpusProblem(location, .skipped, "post \(index + 1) (id \(id)) has no title"))
                continue
            }
            let author = primaryAuthor[id]?.1 ?? string(post["author_id"]).flatMap { users[$0] }
            let date = (string(post["published_at"]) ?? string(post["created_at"])).flatMap(DateText.parse)?.day
            let publicOnly = (string(post["visibility"]) ?? "public") != "public"
            file.posts.append(Post(slug: slug, title: title, url: "/\(slug)/", date: date, author: author,
                                   tags: (postTags[id] ?? []).sorted { $0.0 < $1.0 }.map(\.1),
                                   body: body(post, publicOnly: publicOnly), source: location,
                                   lang: string(post["locale"]) ?? siteLocale, langSource: .export))
        }
        return file
    }

    /// `db[0].data` (Ghost 1.0 and later) or `data` (before).
    private static func exportData(_ root: Any) -> [String: Any]? {
        let object = root as? [String: Any]
        let export = (object?["db"] as? [Any])?.first as? [String: Any] ?? object
        guard let data = export?["data"] as? [String: Any], data["posts"] is [Any] else { return nil }
        return data
    }

    static let membersDivider = "<!--members-only-->"

    /// The text of a post, up to the public preview when `publicOnly`.
    static func body(_ post: [String: Any], publicOnly: Bool) -> String {
        if let html = string(post["html"]), !html.trimmedWhitespace.isEmpty {
            if publicOnly {
                guard let divider = html.range(of: membersDivider) else { return excerpt(post) }
                return PlainText.fromHTML(String(html[..<divider.lowerBound]))
            }
            return PlainText.fromHTML(html)
        }
        let source = string(post["lexical"]).map { GhostSource.lexical($0) } ?? string(post["mobiledoc"]).map { GhostSource.mobiledoc($0) }
            ?? string(post["markdown"]).map { GhostSource.Text(text: PlainText.fromMarkdown($0), paywalled: false) }
        guard let source else { return excerpt(post) }
        if publicOnly && !source.paywalled { return excerpt(post) }
        return source.text
    }

    private static func excerpt(_ post: [String: Any]) -> String {
        PlainText.fromHTML(string(post["custom_excerpt"]) ?? "")
    }

    private static func objects(_ value: Any?) -> [[String: Any]] { (value as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }

    private static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    private static func int(_ value: Any?) -> Int { (value as? NSNumber)?.intValue ?? Int(string(value) ?? "") ?? 0 }
}
