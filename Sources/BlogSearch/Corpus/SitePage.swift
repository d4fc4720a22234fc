import Foundation

/// One HTML page of a built site, parsed, with what a single pass over it finds: the head's meta and link
/// tags, its JSON-LD, the entries (`h-entry`, schema.org article microdata), `<article>` and `<main>`
/// elements outside navigation, headers, footers and asides, and the comments the page marks as such.
struct SitePage {
    let document: HTMLDocument
    var nodes: [HTMLDocument.Node] { document.nodes }

    /// `<meta>` content by lowercased `property` or `name` (`og:title`, `article:tag`, `author`), in page order.
    private(set) var meta: [String: [String]] = [:]
    /// `<link>` and `<a>` targets by `rel` token (`canonical`, `next`, `prev`, `tag`).
    private(set) var links: [String: [String]] = [:]
    /// JSON-LD scripts: their text and where it starts.
    private(set) var linkedData: [(text: String, offset: Int)] = []
    private(set) var title: Int?
    private(set) var body: Int?
    /// Outermost `h-entry` (microformats 1: `hentry`) elements and schema.org article items (microdata), outside
    /// boilerplate and comments.
    private(set) var entries: [Int] = []
    /// Outermost `<article>` elements outside boilerplate and comments.
    private(set) var articles: [Int] = []
    private(set) var main: Int?
    /// Every element the page marks as a reader comment, in document order.
    private(set) var comments: [Int] = []
    /// Per node: a comment, or a comments section (`#comments`, `.comment-list`…).
    private(set) var isComment: [Bool]
    private(set) var isCommentArea: [Bool]
    /// Whether the page has an `h-feed` (a list of entries).
    private(set) var hasFeed = false
    /// Whether the page only redirects (`<meta http-equiv="refresh">`, as Hugo's aliases do).
    private(set) var redirects = false

    static let articleTypes: Set<String> = [
        "blogposting", "article", "newsarticle", "techarticle", "scholarlyarticle", "socialmediaposting",
        "liveblogposting", "reportagenewsarticle", "opinionnewsarticle", "analysisnewsarticle", "reviewnewsarticle",
        "backgroundnewsarticle", "report",
    ]
    /// Site furniture: never an article, never the text of one.
    static let boilerplate: Set<String> = ["nav", "header", "footer", "aside"]
    private static let commentAreaIDs: Set<String> = ["comments", "disqus_thread", "respond", "comment-section", "isso-thread", "webmentions"]
    private static let commentAreaClasses = ["comments", "comment-list", "commentlist", "comments-area", "comment-respond", "comments-section", "webmentions"]

    init(document: HTMLDocument) {
        self.document = document
        let nodes = document.nodes
        isComment = Array(repeating: false, count: nodes.count)
        isCommentArea = Array(repeating: false, count: nodes.count)
        var boilerplateUntil = 0, commentUntil = 0, entryUntil = 0, articleUntil = 0
        for (j, node) in nodes.enumerated() where !node.isText {
            switch node.name {
            case "meta":
                if let content = node.attribute("content") {
                    for key in [node.attribute("property"), node.attribute("name")].compactMap({ $0?.lowercased() }) {
                        meta[key, default: []].append(content)
                    }
                }
                if node.attribute("http-equiv")?.lowercased() == "refresh" { redirects = true }
            case "link", "a":
                if let rel = node.attribute("rel"), let href = node.attribute("href") {
                    for token in rel.lowercased().split(separator: " ") { links[String(token), default: []].append(href) }
                }
            case "script":
                if node.attribute("type")?.lowercased().hasPrefix("application/ld+json") == true, let raw = document.rawContent(of: j) {
                    linkedData.append(raw)
                }
            case "title" where title == nil: title = j
            case "body" where body == nil: body = j
            default: break
            }
            if !hasFeed, node.has("h-feed", in: "class") { hasFeed = true }
            if Self.isCommentElement(node) {
                isComment[j] = true
                comments.append(j)
            } else if Self.isCommentArea(node) {
                isCommentArea[j] = true
            }
            if j < commentUntil || j < boilerplateUntil { continue }
            if isComment[j] || isCommentArea[j] {
                commentUntil = node.end
                continue
            }
            if Self.boilerplate.contains(node.name) || node.attribute("role") == "navigation" {
                boilerplateUntil = node.end
                continue
            }
            if j >= entryUntil, node.has("h-entry", in: "class") || node.has("hentry", in: "class") || Self.isArticleItem(node) {
                entries.append(j)
                entryUntil = node.end
            }
            if j >= articleUntil, node.name == "article" {
                articles.append(j)
                articleUntil = node.end
            }
            if main == nil, node.name == "main" || node.attribute("role") == "main" { main = j }
        }
    }

    /// schema.org microdata of an article type (`itemscope itemtype="https://schema.org/BlogPosting"`).
    static func isArticleItem(_ node: HTMLDocument.Node) -> Bool {
        guard let type = node.attribute("itemtype") else { return false }
        return type.split(separator: " ").contains { articleTypes.contains(typeName($0)) }
    }

    /// `https://schema.org/BlogPosting`, `schema:BlogPosting`, `BlogPosting` → `blogposting`.
    static func typeName<S: StringProtocol>(_ type: S) -> String {
        let name = String(type).split(whereSeparator: { $0 == "/" || $0 == ":" || $0 == "#" }).last.map(String.init) ?? ""
        return name.lowercased()
    }

    /// A reader comment: schema.org `Comment` microdata (`itemtype=…/Comment`, `itemprop="comment"` with
    /// `itemscope`), or a microformats2 comment (`p-comment`, or `u-comment` on an `h-cite`/`h-entry`).
    static func isCommentElement(_ node: HTMLDocument.Node) -> Bool {
        if let type = node.attribute("itemtype"), type.split(separator: " ").contains(where: { ["comment", "usercomments"].contains(typeName($0)) }) {
            return true
        }
        if node.attribute("itemscope") != nil, node.has("comment", in: "itemprop") { return true }
        if node.has("p-comment", in: "class") { return true }
        return node.has("u-comment", in: "class") && (node.has("h-cite", in: "class") || node.has("h-entry", in: "class"))
    }

    static func isCommentArea(_ node: HTMLDocument.Node) -> Bool {
        if let id = node.attribute("id")?.lowercased(), commentAreaIDs.contains(id) { return true }
        return commentAreaClasses.contains { node.has($0, in: "class") }
    }

    /// Elements whose text no reader sees: `hidden`, `aria-hidden`, screen-reader-only text.
    func isHidden(_ j: Int) -> Bool {
        let node = nodes[j]
        return node.attribute("hidden") != nil || node.attribute("aria-hidden")?.lowercased() == "true"
            || node.has("sr-only", in: "class") || node.has("screen-reader-text", in: "class") || node.has("visually-hidden", in: "class")
    }

    /// A `mailto:` link whose text is an address: its text is never read.
    func isMailAddress(_ j: Int) -> Bool {
        let node = nodes[j]
        guard node.name == "a", node.attribute("href")?.lowercased().hasPrefix("mailto:") == true else { return false }
        return document.text(of: j).contains("@")
    }

    // MARK: - Looking inside an element

    /// The first element inside `root` (not `root` itself) that `match` accepts, looking past comments and
    /// comment sections (other than `root`) and past what `skip` accepts.
    func first(in root: Int?, skip: (Int) -> Bool = { _ in false }, where match: (HTMLDocument.Node) -> Bool) -> Int? {
        var found: Int?
        walk(root, skip: skip) { j in
            guard match(nodes[j]) else { return true }
            found = j
            return false
        }
        return found
    }

    /// Every element inside `root` that `match` accepts, outside comments and comment sections.
    func all(in root: Int?, where match: (HTMLDocument.Node) -> Bool) -> [Int] {
        var found: [Int] = []
        walk(root, skip: { _ in false }) { j in
            if match(nodes[j]) { found.append(j) }
            return true
        }
        return found
    }

    /// Visits the elements inside `root` (the whole page for nil) in order, past comments and comment sections
    /// and what `skip` accepts, while `visit` answers true.
    private func walk(_ root: Int?, skip: (Int) -> Bool, _ visit: (Int) -> Bool) {
        var j = (root ?? -1) + 1
        let end = root.map { nodes[$0].end } ?? nodes.count
        while j < end {
            let node = nodes[j]
            if node.isText {
                j += 1
                continue
            }
            if isComment[j] || isCommentArea[j] || skip(j) {
                j = node.end
                continue
            }
            guard visit(j) else { return }
            j += 1
        }
    }

    /// The value of a property element, as microformats2 and microdata read it: a `<meta>`'s `content`, a
    /// `<data>`'s `value`, an `<img>`'s `alt`, else the element's text on one line.
    func value(_ j: Int) -> String {
        let node = nodes[j]
        let raw: String
        switch node.name {
        case "meta": raw = node.attribute("content") ?? ""
        case "data", "input": raw = node.attribute("value") ?? ""
        case "img", "area": raw = node.attribute("alt") ?? ""
        default: return Self.oneLine(document.text(of: j, skip: isHidden))
        }
        return Self.oneLine(raw)   // attribute values are decoded already
    }

    /// The date a property element gives: `datetime` (of `<time>`, `<ins>`, `<del>`), `content`, `value`, or its text.
    func dateValue(_ j: Int) -> DateText.Parsed? {
        let node = nodes[j]
        let raw = node.attribute("datetime") ?? node.attribute("content") ?? node.attribute("value") ?? value(j)
        return FeedDate.parse(raw)
    }

    /// A name as a person's: the `p-name` (or microdata `name`, or hCard `fn`) inside a card, else its text;
    /// nil for an e-mail address.
    func personName(_ j: Int) -> String? {
        let inner = first(in: j) { $0.has("p-name", in: "class") || $0.has("name", in: "itemprop") || $0.has("fn", in: "class") }
        return Self.name(value(inner ?? j))
    }

    /// A person's name as found, or nil when empty or an e-mail address.
    static func name(_ raw: String) -> String? {
        let text = oneLine(raw)
        return text.isEmpty || text.contains("@") ? nil : text
    }

    static func oneLine(_ text: String) -> String {
        guard text.contains("\n") else { return text.trimmedWhitespace }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
