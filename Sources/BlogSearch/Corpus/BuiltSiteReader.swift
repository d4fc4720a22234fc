import Foundation

/// Reads one page of a built static site (Hugo's `public/`, Jekyll's `_site/`, any folder of generated HTML).
///
/// A page is a post when it says it is an article: one JSON-LD `BlogPosting`/`Article`/`NewsArticle`…, or
/// `og:type` `article` with a publication date, or one `h-entry` (or schema.org article microdata), or one
/// `<article>` with a `<time datetime>` (the last two not on the home page nor on a page that says it lists posts:
/// `og:type` `website`, a JSON-LD `Blog` or `CollectionPage`, an `h-feed`). List pages are not posts: pages
/// under `tags/`, `tag/`, `categories/`, `category/`, `page/N/` or `pageN/`, pages with several entries or
/// articles, and pagination pages (`rel=next`/`prev`) without one article; nor are other pages (about, 404,
/// redirects). Those are counted, not reported.
///
/// Fields, each from the first source that has it: the title from JSON-LD `headline`, `og:title`, the entry's
/// `p-name`, its `<h1>`, or `<title>` without a trailing " | Site name"; the date from `datePublished`,
/// `article:published_time`, `dt-published`, or the article's first `<time datetime>`; the author from
/// JSON-LD (the first), `article:author` or `<meta name=author>`, or the `p-author` card; tags from `keywords`,
/// `article:tag`, `p-category` or `rel=tag` links; categories from `articleSection` or `article:section` (a
/// generator's section named like the URL's first folder, as Hugo's `posts`, is not a category); the URL from
/// `<link rel=canonical>`, `og:url`, JSON-LD `url`/`mainEntityOfPage`, else the page's path in the site
/// (`posts/hello/index.html` → `/posts/hello/`); the slug from the URL's last segment. The text is JSON-LD
/// `articleBody`, else the entry's `e-content` (or microdata `articleBody`), else the `<article>`, `<main>`
/// or `<body>`, without navigation, headers, footers, asides, scripts, styles, forms, hidden text and the
/// comments. Microformats 1 as WordPress themes write them (`hentry`, `entry-title`, `entry-content`, `published`,
/// `author vcard`, `rel="category tag"`) count as their microformats 2 counterparts. Comments: see `SiteComments`.
enum BuiltSiteReader {
    enum Kind: Equatable { case post, listing, other, skipped }

    struct Page {
        var kind: Kind
        var file = ImportedFile()
    }

    /// - Parameters:
    ///   - path: the page.
    ///   - siteRoot: the folder the site is served from: URLs are the page's path below it.
    static func read(path: String, siteRoot: String) -> Page {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return skipped(TextFile.problem(.unreadable(FileErrorText.reason(error, path: path)), path: path))
        }
        let bytes: [UInt8]
        switch pageBytes(data) {
        case .success(let b): bytes = b
        case .failure(let bad):
            let (line, column) = HTMLDocument.position(in: [UInt8](data), of: bad.offset)
            return skipped(CorpusProblem(SourceLocation(path: path, line: line), .skipped,
                                         "not valid UTF-8 text at line \(line), column \(column) (and no other charset declared)"))
        }
        return read(SitePage(document: HTMLDocument(bytes: bytes)), path: path, relativePath: relative(path, to: siteRoot))
    }

    static func read(_ page: SitePage, path: String, relativePath: String) -> Page {
        let document = page.document
        if let cut = document.cutShort {
            let (line, column) = document.position(of: cut.offset)
            return skipped(CorpusProblem(SourceLocation(path: path, line: line), .skipped,
                                         "the page ends inside \(cut.what) opened at line \(line), column \(column) (cut short?)"))
        }
        if page.redirects { return Page(kind: .other) }
        let data = LinkedData(scripts: page.linkedData)
        // One warning per page: the first script that is not JSON, and how many more there are.
        var warnings = data.broken.first.map { script -> [CorpusProblem] in
            let (line, column) = document.position(of: script.offset)
            let more = data.broken.count > 1 ? " (and \(data.broken.count - 1) more such script(s))" : ""
            return [CorpusProblem(SourceLocation(path: path, line: line), .warning,
                                  "the JSON-LD at line \(line), column \(column) is not valid JSON (\(script.reason))\(more); the page is read from its HTML")]
        } ?? []
        guard let post = classify(page, data, relativePath: relativePath) else {
            return Page(kind: isListing(page, data, relativePath: relativePath) ? .listing : .other)
        }
        let fields = PostFields(page: page, data: data, article: post.article, entry: post.entry)
        guard let title = fields.title() else {
            var location = SourceLocation(path: path)
            var opening = ""
            if let entry = post.entry {
                let (line, column) = document.position(of: page.nodes[entry].offset)
                location.line = line
                opening = "; the article opens at line \(line), column \(column)"
            }
            let problem = CorpusProblem(location, .skipped, "an article page without a title (no headline, og:title, h1 or <title>\(opening))")
            return Page(kind: .skipped, file: ImportedFile(problems: warnings + [problem]))
        }
        let pathURL = url(fromPath: relativePath)
        let url = fields.url() ?? pathURL
        guard let slug = slug(url: url, pathURL: pathURL, title: title) else {
            warnings.append(CorpusProblem(SourceLocation(path: path), .skipped, "no slug can be made from the URL \(url) or the title '\(title)'"))
            return Page(kind: .skipped, file: ImportedFile(problems: warnings))
        }
        let firstFolder = ThreadMatcher.URLKey(url).path.split(separator: "/").first.map(String.init)
        let categories = fields.categories().filter { $0.caseInsensitiveCompare(firstFolder ?? "") != .orderedSame }
        let comments = SiteComments(page: page, data: data, article: post.article).comments()
        let result = Post(slug: slug, title: title, url: url, date: fields.date()?.day, author: fields.author(),
                          categories: categories, tags: fields.tags(), body: fields.body(), comments: comments,
                          source: SourceLocation(path: path), lang: fields.language(), langSource: .page)
        return Page(kind: .post, file: ImportedFile(posts: [result], problems: warnings))
    }

    private static func skipped(_ problem: CorpusProblem) -> Page {
        Page(kind: .skipped, file: ImportedFile(problems: [problem]))
    }

    // MARK: - Is it a post?

    /// The article object (JSON-LD) and the entry element the page's post is read from, or nil when the page is
    /// not a post.
    private static func classify(_ page: SitePage, _ data: LinkedData, relativePath: String) -> (article: LinkedData.Object?, entry: Int?)? {
        if isListingPath(relativePath) { return nil }
        let articles = data.distinctArticles
        if articles.count > 1 { return nil }
        let entry = mainEntry(page)
        if let article = articles.first { return (article, entry) }
        if data.broken.contains(where: \.mentionsArticle) { return (nil, entry) }
        if page.meta["og:type"]?.first?.lowercased() == "article" {
            let fields = PostFields(page: page, data: data, article: nil, entry: entry)
            if fields.date() != nil { return (nil, entry) }
        }
        // A page that says it lists posts (og:type website, a Blog or CollectionPage, an h-feed) is not made a post by
        // one entry or <article> in it: a section or archive with one post in it yet.
        if page.meta["og:type"]?.first?.lowercased() == "website" || data.listsPosts || page.hasFeed || isHome(relativePath) { return nil }
        if page.entries.count == 1 { return (nil, page.entries[0]) }
        if page.entries.isEmpty, page.articles.count == 1, isDated(page, page.articles[0]) { return (nil, page.articles[0]) }
        return nil
    }

    /// Whether the element holds a `<time datetime>`.
    private static func isDated(_ page: SitePage, _ element: Int) -> Bool {
        page.first(in: element, where: { $0.name == "time" && $0.attribute("datetime") != nil }) != nil
    }

    /// The element the post is in: the one entry, else the one `<article>`, else the one with the `<h1>`.
    private static func mainEntry(_ page: SitePage) -> Int? {
        if page.entries.count == 1 { return page.entries[0] }
        let candidates = page.entries.isEmpty ? page.articles : page.entries
        if candidates.count == 1 { return candidates[0] }
        let headed = candidates.filter { page.first(in: $0, where: { $0.name == "h1" }) != nil }
        return headed.count == 1 ? headed[0] : nil
    }

    /// For the debug count: pages listing posts, as opposed to other pages.
    private static func isListing(_ page: SitePage, _ data: LinkedData, relativePath: String) -> Bool {
        isListingPath(relativePath) || isHome(relativePath) || data.distinctArticles.count > 1 || data.listsPosts || page.hasFeed || page.entries.count > 1
            || page.articles.count > 1 || page.links["next"] != nil || page.links["prev"] != nil
            || (page.meta["og:type"]?.first?.lowercased() == "website" && (page.entries + page.articles).contains { isDated(page, $0) })
    }

    /// The site's home page (`index.html` at its root), which lists posts even when it holds only one yet.
    static func isHome(_ relativePath: String) -> Bool { ["index.html", "index.htm"].contains(relativePath.lowercased()) }

    /// Taxonomy and pagination pages by where generators put them: `tags/…`, `categories/…`, `…/page/2/`, `page2/`.
    static func isListingPath(_ relativePath: String) -> Bool {
        let folders = relativePath.split(separator: "/").dropLast().map { $0.lowercased() }
        for (k, folder) in folders.enumerated() {
            if ["tags", "tag", "categories", "category"].contains(folder) { return true }
            if folder == "page", k + 1 < folders.count, folders[k + 1].allSatisfy(\.isNumber) { return true }
            if folder.hasPrefix("page"), folder.count > 4, folder.dropFirst(4).allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    // MARK: - URL and slug

    /// The page's path below the site root, `/`-separated.
    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path as NSString).lastPathComponent
    }

    /// `posts/hello/index.html` → `/posts/hello/`; `2024/05/hello.html` → `/2024/05/hello.html`.
    static func url(fromPath relativePath: String) -> String {
        var parts = relativePath.split(separator: "/").map(String.init)
        if let last = parts.last, ["index.html", "index.htm", "index"].contains(last.lowercased()) {
            parts.removeLast()
            return "/" + parts.map { $0 + "/" }.joined()
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The URL's last segment, else the page path's, else one made from the title.
    static func slug(url: String, pathURL: String, title: String) -> String? {
        for candidate in [FeedReader.lastPathComponent(url), FeedReader.lastPathComponent(pathURL)] where !candidate.isEmpty {
            if Slug.isValid(candidate) { return candidate }
            let made = Slug.make(from: candidate)
            if !made.isEmpty { return made }
        }
        let made = Slug.make(from: title)
        return made.isEmpty ? nil : made
    }

    // MARK: - Bytes

    /// The page as UTF-8: without a byte-order mark, converted from Windows-1252 when the page declares
    /// `windows-1252`/`iso-8859-1`/`latin1`; else the offset of the first byte that is not UTF-8.
    static func pageBytes(_ data: Data) -> Result<[UInt8], InvalidUTF8> {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let bad = firstInvalidUTF8(bytes) else { return .success(bytes) }
        let head = String(decoding: bytes.prefix(2048), as: UTF8.self).lowercased()
        if ["windows-1252", "iso-8859-1", "latin1", "latin-1", "iso8859-1"].contains(where: { head.contains("charset=\($0)") || head.contains("charset=\"\($0)") }),
           let text = String(data: Data(bytes), encoding: .windowsCP1252) {
            return .success(Array(text.utf8))
        }
        return .failure(InvalidUTF8(offset: bad + (data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)))
    }

    struct InvalidUTF8: Error { var offset: Int }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }   // the common case, at native speed
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
