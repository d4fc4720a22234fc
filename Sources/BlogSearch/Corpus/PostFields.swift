import Foundation

/// The fields of the post on an article page, each from the first of its sources that has it (JSON-LD, then
/// the head's meta tags, then the entry's microformats or microdata, then plain HTML): see `BuiltSiteReader`.
struct PostFields {
    let page: SitePage
    let data: LinkedData
    /// The page's JSON-LD article, if any.
    let article: LinkedData.Object?
    /// The element holding the post (`h-entry`, article microdata, `<article>`), if the page has one.
    let entry: Int?

    private var nodes: [HTMLDocument.Node] { page.nodes }

    private func meta(_ key: String) -> String? {
        page.meta[key]?.lazy.map(SitePage.oneLine).first { !$0.isEmpty }
    }

    /// The first element inside the entry (or the page) with one of these classes or `itemprop`s.
    private func property(classes: [String], itemprops: [String], in root: Int? = nil) -> Int? {
        page.first(in: root ?? entry) { node in
            classes.contains { node.has($0, in: "class") } || itemprops.contains { node.has($0, in: "itemprop") }
        }
    }

    /// `<html lang>`, else `og:locale`, else the JSON-LD article's `inLanguage`.
    func language() -> String? {
        if let lang = page.nodes.first(where: { $0.name == "html" })?.attribute("lang"), !lang.trimmedWhitespace.isEmpty { return lang }
        return meta("og:locale") ?? data.string(article?["inLanguage"])
    }

    func title() -> String? {
        if let headline = data.string(article?["headline"]) ?? data.string(article?["name"]) { return headline }
        if let og = meta("og:title") { return og }
        if let element = titleElement() {
            let text = page.value(element)
            if !text.isEmpty { return text }
        }
        guard let title = page.title.map({ SitePage.oneLine(page.document.text(of: $0)) }), !title.isEmpty else { return nil }
        return Self.withoutSiteName(title, siteName: meta("og:site_name"))
    }

    /// The element holding the post's title on the page: the entry's `p-name` (microdata `headline`, `name`),
    /// else the first `<h1>` of the entry (or of the page).
    func titleElement() -> Int? {
        if entry != nil, let name = property(classes: ["p-name", "entry-title"], itemprops: ["headline", "name"]) { return name }
        return page.first(in: entry, skip: skipsForTitle, where: { $0.name == "h1" })
    }

    /// Outside the entry, an `<h1>` in the site's header is its name, not the post's title.
    private func skipsForTitle(_ j: Int) -> Bool {
        entry == nil && (SitePage.boilerplate.contains(nodes[j].name) || page.isCommentArea[j])
    }

    /// `Post Title | Site` → `Post Title` (also ` – `, ` — `, ` · `); the site's own name when known.
    static func withoutSiteName(_ title: String, siteName: String?) -> String {
        for separator in [" | ", " – ", " — ", " · ", " :: "] {
            if let siteName, title.hasSuffix(separator + siteName) { return String(title.dropLast(separator.count + siteName.count)) }
        }
        if let bar = title.range(of: " | ", options: .backwards) {
            let rest = String(title[..<bar.lowerBound]).trimmedWhitespace
            if !rest.isEmpty { return rest }
        }
        return title
    }

    func date() -> DateText.Parsed? {
        if let date = [article?["datePublished"], article?["dateCreated"]].lazy.compactMap({ self.data.string($0) }).compactMap(FeedDate.parse).first {
            return date
        }
        if let date = page.meta["article:published_time"]?.lazy.compactMap(FeedDate.parse).first { return date }
        if let date = property(classes: ["dt-published", "published"], itemprops: ["datePublished"]).flatMap(page.dateValue) { return date }
        // Head microdata (`<meta itemprop="datePublished">`, as Hugo's schema template writes it).
        if let date = page.first(in: nil, where: { $0.name == "meta" && $0.has("datePublished", in: "itemprop") }).flatMap(page.dateValue) {
            return date
        }
        guard let entry else { return nil }
        return page.first(in: entry, where: { $0.name == "time" && $0.attribute("datetime") != nil }).flatMap(page.dateValue)
    }

    func author() -> String? {
        if let name = data.names(article?["author"]).lazy.compactMap(SitePage.name).first { return name }
        for key in ["article:author", "author"] {
            // `article:author` is often a profile URL: that is not a name.
            if let name = page.meta[key]?.lazy.compactMap(SitePage.name).first(where: { !$0.contains("://") }) { return name }
        }
        let card = property(classes: ["p-author"], itemprops: ["author"])
            ?? entry.flatMap { page.first(in: $0) { $0.has("author", in: "class") && $0.has("vcard", in: "class") } }   // microformats 1 (WordPress)
        return card.flatMap(page.personName)
    }

    func tags() -> [String] {
        var tags = data.list(article?["keywords"])
        if tags.isEmpty { tags = (page.meta["article:tag"] ?? []).map(SitePage.oneLine) }
        if tags.isEmpty, let entry {
            tags = page.all(in: entry) { $0.has("p-category", in: "class") }.map(page.value)
            if tags.isEmpty {
                tags = page.all(in: entry) { $0.has("keywords", in: "itemprop") && $0.name == "meta" }
                    .flatMap { page.value($0).split(separator: ",").map { SitePage.oneLine(String($0)) } }
            }
            if tags.isEmpty {
                tags = page.all(in: entry) { $0.name == "a" && $0.has("tag", in: "rel") && !$0.has("category", in: "rel") }.map(page.value)
            }
        }
        return Self.distinct(tags)
    }

    func categories() -> [String] {
        var categories = data.list(article?["articleSection"])
        if categories.isEmpty { categories = (page.meta["article:section"] ?? []).map(SitePage.oneLine) }
        // WordPress's category links: `rel="category tag"`.
        if categories.isEmpty, let entry { categories = page.all(in: entry) { $0.name == "a" && $0.has("category", in: "rel") }.map(page.value) }
        return Self.distinct(categories)
    }

    /// Non-empty, each once, in order.
    static func distinct(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    func url() -> String? {
        for candidate in [page.links["canonical"]?.first, meta("og:url"), data.url(article?["url"]), data.url(article?["mainEntityOfPage"])] {
            if let url = candidate?.trimmedWhitespace, !url.isEmpty, !url.hasPrefix("#") { return url }
        }
        return nil
    }

    // MARK: - Text

    func body() -> String {
        if let articleBody = article?["articleBody"] as? String {
            let text = PlainText.fromHTML(articleBody)
            if !text.isEmpty { return text }
        }
        // The title is the post's title, not its text (it is often outside any <header>).
        let title = titleElement()
        return page.document.text(of: contentRoot()) { j in j == title || skipsInText(j) }
    }

    /// What the text of a post leaves out: site furniture, forms and embeds, hidden text, the comments and
    /// their section, and `mailto:` addresses.
    func skipsInText(_ j: Int) -> Bool {
        let node = nodes[j]
        return Self.notText.contains(node.name) || page.isComment[j] || page.isCommentArea[j] || page.isHidden(j) || page.isMailAddress(j)
    }

    static let notText: Set<String> = [
        "nav", "header", "footer", "aside", "form", "svg", "math", "button", "select", "dialog", "object", "canvas",
        "video", "audio", "map",
    ]

    /// The entry's `e-content` (or microdata `articleBody`), else the entry, else `<main>`, else `<body>`, else
    /// the whole page (nil).
    private func contentRoot() -> Int? {
        if let entry {
            return property(classes: ["e-content", "entry-content"], itemprops: ["articleBody"]) ?? entry
        }
        if page.articles.count == 1 { return page.articles[0] }
        return page.main ?? page.body
    }
}
