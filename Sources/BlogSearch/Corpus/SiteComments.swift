import Foundation

/// The reader comments of an article page, where the page marks them: schema.org `Comment` microdata or
/// microformats2 `p-comment`/`u-comment` (`h-cite`, `h-entry`) in the HTML, else the JSON-LD article's
/// `comment` list. A comment inside another is a reply to it (in JSON-LD: a comment's own `comment` list, or
/// its `parentItem`); a `u-in-reply-to` link to `#id` names the parent of a comment that is not nested.
///
/// Each comment keeps its author's name (`p-author`/`u-author` card, microdata `author`, hCard `fn`; an e-mail
/// address is never kept), its date (`dt-published`, `dateCreated`/`datePublished`, or its `<time>`) and the
/// text a reader sees: its `e-content`/`p-content` (microdata `text`), else the comment without the author,
/// the date, replies, reply links, forms, hidden text and `mailto:` addresses. The id is the element's `id`
/// (JSON-LD: the fragment of `@id`), else `c1`, `c2`… in document order. A comment without text is left out;
/// its replies answer the comment it answered.
struct SiteComments {
    let page: SitePage
    let data: LinkedData
    let article: LinkedData.Object?

    private var nodes: [HTMLDocument.Node] { page.nodes }

    func comments() -> [Comment] {
        let marked = markup()
        return marked.isEmpty ? linkedData() : marked
    }

    // MARK: - In the HTML

    private func markup() -> [Comment] {
        var result: [Comment] = []
        var ids = IDs()
        /// The open comments around the current one: where each ends, and the id replies to it answer.
        var open: [(end: Int, id: String?)] = []
        for (number, j) in page.comments.enumerated() {
            while let last = open.last, last.end <= j { open.removeLast() }
            let parent = open.last?.id
            let given = nodes[j].attribute("id")?.trimmedWhitespace ?? ""
            let id = ids.unique(given.isEmpty ? "c\(number + 1)" : given)
            let author = authorElement(j)
            let date = dateElement(j)
            let text = body(j, leaving: [author, date].compactMap { $0 })
            open.append((nodes[j].end, text.isEmpty ? parent : id))
            guard !text.isEmpty else { continue }
            result.append(Comment(id: id, author: author.flatMap(page.personName), date: date.flatMap(page.dateValue)?.dateTime,
                                  body: text, replyTo: parent ?? inReplyTo(j, known: ids.used).flatMap { $0 == id ? nil : $0 }))
        }
        return result
    }

    private func authorElement(_ j: Int) -> Int? {
        page.first(in: j, skip: page.isHidden) { node in
            ["p-author", "u-author", "comment-author", "fn"].contains { node.has($0, in: "class") } || node.has("author", in: "itemprop")
        }
    }

    private func dateElement(_ j: Int) -> Int? {
        page.first(in: j) { node in
            node.has("dt-published", in: "class") || ["dateCreated", "datePublished", "commentTime"].contains { node.has($0, in: "itemprop") }
        } ?? page.first(in: j) { $0.name == "time" }
    }

    /// The comment's own text: its content element's, else all of it but its author, date and reply furniture.
    private func body(_ j: Int, leaving out: [Int]) -> String {
        let content = page.first(in: j) { node in
            node.has("e-content", in: "class") || node.has("p-content", in: "class")
                || ["text", "commentText"].contains { node.has($0, in: "itemprop") }
        }
        let document = page.document
        if let content { return document.text(of: content, skip: skips) }
        return document.text(of: j) { k in
            out.contains(k) || skips(k) || nodes[k].name == "time"
                || ["says", "reply", "comment-reply-link", "comment-meta", "comment-metadata", "u-in-reply-to"].contains { nodes[k].has($0, in: "class") }
        }
    }

    /// Replies, furniture, forms, hidden text and `mailto:` addresses.
    private func skips(_ k: Int) -> Bool {
        page.isComment[k] || PostFields.notText.contains(nodes[k].name) || page.isHidden(k) || page.isMailAddress(k)
    }

    /// The comment a `u-in-reply-to` (or microdata `parentItem`) link names by fragment, when it is one read before.
    private func inReplyTo(_ j: Int, known: Set<String>) -> String? {
        guard let link = page.first(in: j, where: { $0.has("u-in-reply-to", in: "class") || $0.has("parentItem", in: "itemprop") }),
              let target = nodes[link].attribute("href") ?? nodes[link].attribute("content"),
              let hash = target.firstIndex(of: "#") else { return nil }
        let fragment = String(target[target.index(after: hash)...])
        return known.contains(fragment) ? fragment : nil
    }

    // MARK: - In JSON-LD

    private func linkedData() -> [Comment] {
        guard let list = article?["comment"] else { return [] }
        var result: [Comment] = []
        var ids = IDs()
        var number = 0
        func add(_ value: Any, parent: String?, depth: Int) {
            guard depth < 100 else { return }
            for object in LinkedData.objects(value).map(data.resolved) {
                number += 1
                let given = data.url(object["@id"]).flatMap { $0.split(separator: "#", omittingEmptySubsequences: false).last.map(String.init) }
                    ?? data.string(object["identifier"]) ?? ""
                let id = ids.unique(given.isEmpty ? "c\(number)" : given)
                let text = PlainText.fromHTML(object["text"] as? String ?? "")
                let parentItem = data.url(object["parentItem"]).flatMap { $0.split(separator: "#").last.map(String.init) }
                if !text.isEmpty {
                    let date = [object["dateCreated"], object["datePublished"]].lazy.compactMap { self.data.string($0) }.compactMap(FeedDate.parse).first
                    result.append(Comment(id: id, author: data.names(object["author"]).lazy.compactMap(SitePage.name).first,
                                          date: date?.dateTime, body: text,
                                          replyTo: parent ?? parentItem.flatMap { ids.used.contains($0) ? $0 : nil }))
                }
                if let replies = object["comment"] { add(replies, parent: text.isEmpty ? parent : id, depth: depth + 1) }
            }
        }
        add(list, parent: nil, depth: 0)
        return result
    }

    /// Comment ids, each once: a second `comment-3` becomes `comment-3-2`.
    private struct IDs {
        var used = Set<String>()

        mutating func unique(_ id: String) -> String {
            var candidate = id
            var n = 1
            while used.contains(candidate) {
                n += 1
                candidate = "\(id)-\(n)"
            }
            used.insert(candidate)
            return candidate
        }
    }
}
