import Foundation

/// Reads an RSS 2.0 or Atom feed: each item (entry) is a post, with the full content where the feed carries
/// it (`content:encoded`, Atom `<content>`) and else its summary (`<description>`, `<summary>`); a warning
/// says how many posts were indexed from a summary only. Categories are categories; the author is
/// `dc:creator`, Atom's `<author><name>`, or the name in RSS's `email (Name)` (an address alone is dropped).
/// The language is an entry's `xml:lang`, else the feed's: RSS's `<channel><language>` or `xml:lang` on
/// the feed's root (Atom's `<feed xml:lang="ja">`).
///
/// An item whose link ends in `#comment-N` is a comment, as in a WordPress comments feed (`/comments/feed/`
/// or a post's `/feed/`): it is attached to the post its link names (`ThreadMatcher`), id `N`, answering
/// the comment its "In reply to" link names.
enum FeedReader {
    static func read(path: String) -> ImportedFile {
        let state = State(path: path)
        let failure = XMLStream.read(path: path, open: state.open, close: state.close,
                                     wholeText: { $0.name == "content" && $0.attributes["type"] == "xhtml" })
        if let failure {
            state.file.problems.append(failure.problem(path: path, kept: state.file.posts.count + state.file.threadComments.count, noun: "items"))
        }
        if state.summaries > 0 {
            state.file.problems.append(CorpusProblem(SourceLocation(path: path), .warning,
                                                     "\(state.summaries) of \(state.file.posts.count) posts have only a summary in this feed; the summary is indexed, not the full text"))
        }
        return state.file
    }

    private struct Item {
        var line: Int
        var fields: [String: String] = [:]
        var link: String?
        var categories: [String] = []
        var lang: String?
    }

    private final class State {
        let path: String
        var file = ImportedFile()
        var item: Item?
        var summaries = 0
        /// The feed's language: the root's or the channel's `xml:lang`, or RSS's `<language>`.
        var feedLanguage: String?

        init(path: String) { self.path = path }

        func open(_ stack: [XMLStream.Element]) {
            let element = stack.last!
            if element.name == "item" || element.name == "entry" {
                item = Item(line: element.line, lang: element.attributes["xml:lang"])
            } else if stack.count <= 2, let lang = element.attributes["xml:lang"] {
                feedLanguage = lang
            }
        }

        func close(_ stack: [XMLStream.Element]) {
            let element = stack.last!
            if item == nil, element.name == "language", stack.count >= 2, stack[stack.count - 2].name == "channel" {
                feedLanguage = element.text.trimmedWhitespace
            }
            guard stack.count >= 2, item != nil else { return }
            let parent = stack[stack.count - 2].name
            switch (parent, element.name) {
            case ("author", "name") where stack.count >= 3 && stack[stack.count - 3].name == "entry":
                item?.fields["author"] = element.text
            case ("item", "category"), ("entry", "category"):
                let name = PlainText.fromHTML(element.attributes["label"] ?? element.attributes["term"] ?? element.text)
                if !name.isEmpty { item?.categories.append(name) }
            case ("entry", "link"):
                let rel = element.attributes["rel"] ?? "alternate"
                if rel == "alternate", let href = element.attributes["href"] { item?.link = href }
            case ("item", "link"):
                item?.link = element.text.trimmedWhitespace
            case ("entry", "author"):
                break   // its <name> is kept above
            case ("item", _), ("entry", _):
                item?.fields[element.name] = element.text
            case (_, "item"), (_, "entry"):
                if let item { add(item) }
                item = nil
            default: break
            }
        }

        private func add(_ item: Item) {
            let f = item.fields
            let location = SourceLocation(path: path, line: item.line)
            let link = item.link ?? f["guid"].map(\.trimmedWhitespace).flatMap { $0.contains("://") ? $0 : nil }
            let full = [f["content:encoded"], f["content"]].compactMap { $0 }.first { !$0.trimmedWhitespace.isEmpty }
            let summary = f["description"] ?? f["summary"] ?? ""
            let date = [f["pubDate"], f["published"], f["dc:date"], f["updated"]].compactMap { $0.flatMap(FeedDate.parse) }.first
            let author = FeedReader.author(f["dc:creator"] ?? f["author"] ?? "")
            if let link, let hash = link.range(of: "#comment-"), let id = Int(link[hash.upperBound...]) {
                let html = full ?? summary
                let comment = Comment(id: String(id), author: author, date: date?.dateTime, body: PlainText.fromHTML(html),
                                      replyTo: FeedReader.inReplyTo(html))
                file.threadComments.append(ThreadComment(thread: .init(url: String(link[..<hash.lowerBound]), identifier: nil),
                                                         comment: comment, location: location))
                return
            }
            let title = PlainText.fromHTML(f["title"] ?? "")
            guard !title.isEmpty else {
                file.problems.append(CorpusProblem(location, .skipped, "a feed item without a title"))
                return
            }
            if full == nil { summaries += 1 }
            var slug = link.map(FeedReader.lastPathComponent) ?? ""
            if !Slug.isValid(slug) { slug = Slug.make(from: slug.isEmpty ? title : slug) }
            if slug.isEmpty { slug = Slug.make(from: title) }
            guard !slug.isEmpty else {
                file.problems.append(CorpusProblem(location, .skipped, "no slug can be made from the link or the title '\(title)'"))
                return
            }
            file.posts.append(Post(slug: slug, title: title, url: link, date: date?.day, author: author,
                                   categories: item.categories, body: PlainText.fromHTML(full ?? summary), source: location,
                                   lang: item.lang ?? feedLanguage, langSource: .feed))
        }
    }

    /// `jane@example.com (Jane Doe)` → `Jane Doe`; an address alone → nil.
    static func author(_ raw: String) -> String? {
        var text = raw.trimmedWhitespace
        if let open = text.firstIndex(of: "("), text.hasSuffix(")"), text[..<open].contains("@") {
            text = String(text[text.index(after: open)..<text.index(before: text.endIndex)]).trimmedWhitespace
        }
        return text.isEmpty || text.contains("@") ? nil : PlainText.fromHTML(text)
    }

    /// The comment id named by a WordPress "In reply to <a href="…#comment-5">" opening.
    static func inReplyTo(_ html: String) -> String? {
        guard html.prefix(200).range(of: "In reply to", options: .caseInsensitive) != nil,
              let hash = html.range(of: "#comment-") else { return nil }
        let digits = html[hash.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    /// The last path segment of a URL (`https://b.example/2024/05/my-post/` → `my-post`), percent-decoded.
    static func lastPathComponent(_ url: String) -> String {
        let path = ThreadMatcher.URLKey(url).path
        var segment = String(path.split(separator: "/").last ?? "")
        for ext in [".html", ".htm", ".php"] where segment.hasSuffix(ext) { segment = String(segment.dropLast(ext.count)) }
        return segment
    }
}
