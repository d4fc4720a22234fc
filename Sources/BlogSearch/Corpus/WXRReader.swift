import Foundation

/// Reads a WordPress export (WXR 1.0–1.2, the XML that Tools → Export writes), streaming, so that an
/// export of any size is read in bounded memory (beyond the posts themselves).
///
/// Kept: published posts (`wp:status` publish; pages too when `includePages`), their categories and tags (by
/// the `domain` of each `<category>`), the author's display name from the export's author list, the
/// permalink (`<link>`), the date from `wp:post_date_gmt`, and the text a reader sees (`WordPressText`).
/// Language: a post's `language` term (Polylang's, as WPML's export add-ons write it too: `<category
/// domain="language" nicename="ja">`), else the channel's `<language>`; a post's `post_translations` term
/// (Polylang's group of the versions of one post) is its translation key.
/// Comments: approved reader comments only (no pending, spam, trash, pingbacks or trackbacks), with
/// the commenter's name, the GMT date and the parent comment. Left out: drafts, pending, scheduled, private
/// and trashed items, attachments, menu items and other internal types; the content and comments of a
/// password-protected post (its title and taxonomy are indexed); every commenter's e-mail, IP address and
/// URL, which are never read into the corpus.
enum WXRReader {
    static func read(path: String, includePages: Bool) -> ImportedFile {
        let state = State(path: path, includePages: includePages)
        if let failure = XMLStream.read(path: path, open: state.open, close: state.close) {
            state.file.problems.append(failure.problem(path: path, kept: state.file.posts.count, noun: "posts"))
        }
        return state.file
    }

    private struct Item {
        var line: Int
        var fields: [String: String] = [:]
        var categories: [String] = []
        var tags: [String] = []
        var comments: [Comment] = []
        var lang: String?
        var translationGroup: String?
    }

    private final class State {
        let path: String
        let includePages: Bool
        var file = ImportedFile()
        var displayNames: [String: String] = [:]
        var author: [String: String] = [:]
        var item: Item?
        var comment: [String: String] = [:]
        /// The channel's `<language>` (before its items, as WordPress writes it).
        var channelLanguage: String?

        init(path: String, includePages: Bool) {
            self.path = path
            self.includePages = includePages
        }

        func open(_ stack: [XMLStream.Element]) {
            switch stack.last!.name {
            case "item": item = Item(line: stack.last!.line)
            case "wp:comment": comment = [:]
            case "wp:author": author = [:]
            default: break
            }
        }

        func close(_ stack: [XMLStream.Element]) {
            let element = stack.last!
            let parent = stack.count > 1 ? stack[stack.count - 2].name : ""
            switch (parent, element.name) {
            case ("wp:author", _):
                author[element.name] = element.text.trimmedWhitespace
            case (_, "wp:author"):
                if let login = author["wp:author_login"], let name = author["wp:author_display_name"], !name.isEmpty {
                    displayNames[login] = name
                }
            case ("wp:comment", _):
                comment[element.name] = element.text
            case ("item", "wp:comment"):
                if let kept = WXRReader.comment(comment) { item?.comments.append(kept) }
            case ("channel", "language"):
                channelLanguage = element.text.trimmedWhitespace
            case ("item", "category"):
                let name = PlainText.fromHTML(element.text)
                guard !name.isEmpty else { break }
                switch element.attributes["domain"] {
                case "category": item?.categories.append(name)
                case "post_tag": item?.tags.append(name)
                case "language": item?.lang = element.attributes["nicename"] ?? name
                case "post_translations": item?.translationGroup = element.attributes["nicename"] ?? name
                default: break   // post formats, custom taxonomies
                }
            case ("item", _):
                item?.fields[element.name] = element.text
            case (_, "item"):
                if let item { add(item) }
                item = nil
            default: break
            }
        }

        private func add(_ item: Item) {
            let f = item.fields
            let location = SourceLocation(path: path, line: item.line)
            let type = f["wp:post_type"]?.trimmedWhitespace ?? "post"
            guard type == "post" || (type == "page" && includePages) else { return }
            guard f["wp:status"]?.trimmedWhitespace == "publish" else {
                file.drafts += 1
                return
            }
            let id = f["wp:post_id"]?.trimmedWhitespace ?? String(item.line)
            let protected = !(f["wp:post_password"] ?? "").isEmpty
            let body = protected ? "" : WordPressText.plainText(f["content:encoded"] ?? "")
            var title = PlainText.fromHTML(f["title"] ?? "")
            var slug = (f["wp:post_name"]?.trimmedWhitespace).map { $0.removingPercentEncoding ?? $0 } ?? ""
            if !Slug.isValid(slug) { slug = Slug.make(from: slug.isEmpty ? title : slug) }
            if slug.isEmpty { slug = "post-\(id)" }
            if title.isEmpty { title = body.isEmpty ? slug : String(body.prefix { $0 != "\n" }.prefix(60)) }
            var date: String? = nil
            for key in ["wp:post_date_gmt", "wp:post_date", "pubDate"] where date == nil {
                date = f[key].flatMap(WXRReader.date)?.day
            }
            let login = f["dc:creator"]?.trimmedWhitespace ?? ""
            let link = f["link"]?.trimmedWhitespace ?? ""
            var comments = protected ? [] : item.comments
            let ids = Set(comments.map(\.id))
            for index in comments.indices where comments[index].replyTo.map({ !ids.contains($0) }) ?? false {
                comments[index].replyTo = nil   // a reply to a comment left out (pending, spam) stands alone
            }
            file.posts.append(Post(slug: slug, title: title, url: link.isEmpty ? nil : link, date: date,
                                   author: login.isEmpty ? nil : displayNames[login] ?? login,
                                   categories: item.categories, tags: item.tags, body: body,
                                   comments: comments, source: location, lang: item.lang ?? channelLanguage,
                                   langSource: .export, translationKey: item.translationGroup))
        }
    }

    /// An approved reader comment, or nil.
    private static func comment(_ f: [String: String]) -> Comment? {
        guard f["wp:comment_approved"]?.trimmedWhitespace == "1" else { return nil }
        let type = f["wp:comment_type"]?.trimmedWhitespace ?? ""
        guard type.isEmpty || type == "comment" else { return nil }
        guard let id = f["wp:comment_id"]?.trimmedWhitespace, !id.isEmpty else { return nil }
        let parent = f["wp:comment_parent"]?.trimmedWhitespace ?? "0"
        let name = PlainText.fromHTML(f["wp:comment_author"] ?? "")
        let date = (f["wp:comment_date_gmt"].flatMap(WXRReader.date) ?? f["wp:comment_date"].flatMap(WXRReader.date))?.dateTime
        return Comment(id: id, author: name.isEmpty || looksLikeEmail(name) ? nil : name, date: date,
                       body: PlainText.fromHTML(f["wp:comment_content"] ?? ""),
                       replyTo: parent.isEmpty || parent == "0" ? nil : parent)
    }

    /// A commenter who typed an e-mail address as their name is shown without a name.
    private static func looksLikeEmail(_ text: String) -> Bool {
        text.range(of: #"[^\s@]+@[^\s@]+\.[^\s@]+"#, options: .regularExpression) != nil
    }

    /// WordPress writes `0000-00-00 00:00:00` for a date it does not have.
    private static func date(_ raw: String) -> DateText.Parsed? {
        raw.hasPrefix("0000") ? nil : DateText.parse(raw) ?? FeedDate.parse(raw)
    }
}
