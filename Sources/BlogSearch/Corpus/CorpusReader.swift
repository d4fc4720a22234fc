import Foundation
import Logging

/// All posts of a corpus, with what could not be read.
public struct Corpus: Sendable {
    /// Posts in slug order, comments attached, drafts left out.
    public var posts: [Post]
    public var problems: [CorpusProblem]
    public var drafts: Int
    /// Hugo section pages (`_index.md`) left out: they list posts, they are not posts.
    public var sections: Int
    /// The rules of the corpus's `synonyms.txt` that could be read, one per line (empty: none), for queries.
    public var synonyms: String

    /// The file a corpus folder keeps its synonym rules in, at its top.
    public static let synonymsFileName = "synonyms.txt"

    public init(posts: [Post], problems: [CorpusProblem] = [], drafts: Int = 0, sections: Int = 0, synonyms: String = "") {
        self.posts = posts
        self.problems = problems
        self.drafts = drafts
        self.sections = sections
        self.synonyms = synonyms
    }

    public var commentCount: Int { posts.reduce(0) { $0 + $1.comments.count } }
    /// Files, folders that could not be listed, or lines of a JSON Lines file left out of the index.
    public var skippedCount: Int { problems.filter { $0.severity == .skipped }.count }
}

/// Reads a corpus folder (or one `.jsonl` file) in every supported format:
/// - `*.md`, `*.markdown`: a post with YAML front matter (`MarkdownPostReader`);
/// - `comments/<post-slug>/<id>.yml`: a Staticman comment (`StaticmanCommentReader`);
/// - `*.jsonl`: posts exported one per line (`JSONLinesReader`);
/// - `*.txt`: a scraped post page (`ScrapedPageReader`), except `synonyms.txt` at the top of the folder (`Synonyms`);
/// - any other file, recognised by its content (`ExportFormat`): a WordPress export (`WXRReader`), a Disqus
///   export (`DisqusReader`), an RSS or Atom feed (`FeedReader`), a Ghost export (`GhostReader`), an HTML page
///   (`BuiltSiteReader`);
/// - a built static site: a folder with an `index.html` (the topmost such folder is the site's root). Only its
///   HTML pages (`.html`, `.htm` or no extension, recognised by content) are read, one at a time; its feeds,
///   text files and other assets repeat or serve the pages and are not read.
/// `README.md` files, `_drafts/` and hidden files are ignored; other files are ignored silently.
/// A bad file is reported as a `CorpusProblem` and left out; reading goes on. So is a subfolder that cannot
/// be listed (no permission): its posts are missing, which the shrink guard then sees.
public struct CorpusReader: Sendable {
    public var logger: Logger
    /// Whether a WordPress export's pages are read as posts (`BLOGSEARCH_INCLUDE_PAGES=1`; default: posts only).
    public var includePages: Bool
    /// The language of posts that name none (`--default-lang`), as given; checked by `validated()`.
    public var defaultLang: String?
    /// The URL of a Markdown post that names none (`--url-pattern`; `MarkdownLayout.url`).
    public var urlPattern: String
    /// Whether posts whose language no source names get one detected from their text (`LanguageDetector`).
    public var detectsLanguage: Bool

    public init(logger: Logger = Logger(label: "blogsearch.corpus"),
                includePages: Bool = ProcessInfo.processInfo.environment["BLOGSEARCH_INCLUDE_PAGES"] == "1",
                defaultLang: String? = nil, urlPattern: String = CorpusReader.defaultURLPattern, detectsLanguage: Bool = true) {
        self.logger = logger
        self.includePages = includePages
        self.defaultLang = defaultLang
        self.urlPattern = urlPattern
        self.detectsLanguage = detectsLanguage
    }

    /// The URL of a Markdown post that names none: `/posts/{slug}/` for the original, `/LANG/posts/{slug}/`
    /// for a translation (Hugo's layout when the default language is not in a subfolder).
    public static let defaultURLPattern = "/{lang/}posts/{slug}/"

    /// Why the settings cannot be used (for the command line to refuse them), or nil.
    public func settingsProblem() -> String? {
        if let raw = defaultLang, LanguageTag.known(raw) == nil {
            return "--default-lang '\(raw)' is not a known language code (give a BCP 47 tag such as en, ja, zh-hans, pt-br)"
        }
        guard urlPattern.contains("{slug}") else {
            return "--url-pattern '\(urlPattern)' has no {slug} (for example /{lang/}posts/{slug}/)"
        }
        return nil
    }

    /// - Throws: `CorpusError.notFound` when `path` does not exist, `.unreadable` when it is a folder that
    ///   cannot be listed.
    public func read(at path: String) throws(CorpusError) -> Corpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path: path) }
        var collected = Collected()
        let defaultTag = defaultLang.flatMap(LanguageTag.known)
        if isDirectory.boolValue {
            let config = HugoSite.read(root: path)
            collected.site = config.site
            collected.problems += config.problems
            let files = try files(under: path, problems: &collected.problems)
            let sites = SiteRoots(files)
            for file in files {
                if let site = sites.root(of: file) {
                    readSitePage(file, siteRoot: site, into: &collected)
                } else {
                    readFile(file, root: path, into: &collected)
                }
            }
            for (site, count) in collected.sitePages.sorted(by: { $0.key < $1.key }) {
                logger.debug("built site \(site): \(count.posts) post page(s) read; \(count.listings) list page(s) and \(count.others) other page(s) left out; \(count.skipped) skipped")
            }
        } else {
            let ext = (path as NSString).pathExtension.lowercased()
            guard ["jsonl", "md", "markdown", "txt"].contains(ext) || ExportFormat.detect(path: path) != nil else {
                throw .unsupportedFile(path: path)
            }
            readFile(path, root: (path as NSString).deletingLastPathComponent, into: &collected)
        }
        var corpus = collected.assemble()
        LanguageAssignment(defaultLang: defaultTag, detects: detectsLanguage).apply(to: &corpus)
        return corpus
    }

    // MARK: - Files

    /// The files under `root`, in path order, without hidden entries and `_drafts/`. Symbolic links are listed
    /// as files, never followed into folders. A subfolder that cannot be listed is reported in `problems` and
    /// left out; only `root` itself failing stops reading.
    private func files(under root: String, problems: inout [CorpusProblem]) throws(CorpusError) -> [String] {
        var result: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                let reason = FileErrorText.reason(error, path: folder)
                guard !relative.isEmpty else { throw .unreadable(path: root, reason: reason) }
                problems.append(CorpusProblem(SourceLocation(path: folder), .skipped,
                                              "cannot read the folder: \(reason); the files in it are left out"))
                continue
            }
            for name in names where !name.hasPrefix(".") && name != "_drafts" {
                let child = relative.isEmpty ? name : (relative as NSString).appendingPathComponent(name)
                if isFolder((root as NSString).appendingPathComponent(child)) {
                    pending.append(child)
                } else {
                    result.append(child)
                }
            }
        }
        return result.sorted().map { (root as NSString).appendingPathComponent($0) }
    }

    /// A folder itself, not a symbolic link to one.
    private func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The roots of the built sites in a corpus: the topmost folders that hold an `index.html` (or `index.htm`).
    struct SiteRoots {
        private var folders = Set<String>()

        init(_ files: [String]) {
            for file in files {
                let name = (file as NSString).lastPathComponent.lowercased()
                if name == "index.html" || name == "index.htm" { folders.insert((file as NSString).deletingLastPathComponent) }
            }
        }

        /// The site a file belongs to, or nil when it is outside every built site.
        func root(of file: String) -> String? {
            guard !folders.isEmpty else { return nil }
            var slash = file.startIndex
            while let next = file[file.index(after: slash)...].firstIndex(of: "/") {
                if folders.contains(String(file[..<next])) { return String(file[..<next]) }
                slash = next
            }
            return nil
        }
    }

    /// Pages of a built site by what became of them, for the debug log.
    struct SitePageCount {
        var posts = 0, listings = 0, others = 0, skipped = 0
    }

    /// A file inside a built site: read when it is an HTML page, left alone when it is anything else.
    private func readSitePage(_ path: String, siteRoot: String, into collected: inout Collected) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["html", "htm", "xhtml", ""].contains(ext), ExportFormat.detect(path: path) == .htmlPage else { return }
        readPage(path, siteRoot: siteRoot, into: &collected)
    }

    /// An HTML page; its URL is its path below `siteRoot` unless the page names one.
    private func readPage(_ path: String, siteRoot: String, into collected: inout Collected) {
        let page = BuiltSiteReader.read(path: path, siteRoot: siteRoot)
        collected.add(page.file)
        switch page.kind {
        case .post: collected.sitePages[siteRoot, default: .init()].posts += 1
        case .listing: collected.sitePages[siteRoot, default: .init()].listings += 1
        case .other: collected.sitePages[siteRoot, default: .init()].others += 1
        case .skipped: collected.sitePages[siteRoot, default: .init()].skipped += 1
        }
    }

    private struct Collected {
        var posts: [Post] = []
        var comments: [(slug: String, path: String, comment: Comment)] = []
        var threadComments: [ThreadComment] = []
        var problems: [CorpusProblem] = []
        var drafts = 0
        var sections = 0
        var synonyms = ""
        var sitePages: [String: SitePageCount] = [:]
        var site: HugoSite?

        mutating func add(_ file: ImportedFile) {
            posts += file.posts
            threadComments += file.threadComments
            problems += file.problems
            drafts += file.drafts
        }

        /// Attaches comments, drops duplicate slugs, and reports orphans.
        func assemble() -> Corpus {
            var problems = self.problems
            var bySlug: [String: Int] = [:]
            var posts: [Post] = []
            for post in self.posts {
                if let first = bySlug[post.slug] {
                    problems.append(CorpusProblem(post.source, .skipped,
                                                  "slug '\(post.slug)' is already used by \(posts[first].source); give this post its own `slug:`"))
                    continue
                }
                bySlug[post.slug] = posts.count
                posts.append(post)
            }
            let threads = ThreadMatcher.match(threadComments, posts: posts)
            problems += threads.problems
            for item in comments + threads.matched {
                guard let index = bySlug[item.slug] else {
                    problems.append(CorpusProblem(SourceLocation(path: item.path), .skipped,
                                                  "comment for post '\(item.slug)', which is not in the corpus"))
                    continue
                }
                if posts[index].comments.contains(where: { $0.id == item.comment.id }) {
                    problems.append(CorpusProblem(SourceLocation(path: item.path), .skipped,
                                                  "comment id '\(item.comment.id)' is used twice on post '\(item.slug)'"))
                    continue
                }
                posts[index].comments.append(item.comment)
            }
            for index in posts.indices {
                posts[index].comments = CommentOrder.sorted(posts[index].comments)
                let ids = Set(posts[index].comments.map(\.id))
                for c in posts[index].comments {
                    if let parent = c.replyTo, !ids.contains(parent) {
                        problems.append(CorpusProblem(posts[index].source, .warning,
                                                      "comment '\(c.id)' replies to '\(parent)', which is not a comment of this post; kept"))
                    }
                }
            }
            posts.sort { $0.slug < $1.slug }
            return Corpus(posts: posts, problems: problems, drafts: drafts, sections: sections, synonyms: synonyms)
        }
    }

    private func readFile(_ path: String, root: String, into collected: inout Collected) {
        let name = (path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension.lowercased()
        let base = (name as NSString).deletingPathExtension
        let components = path.split(separator: "/")
        let isComment = (ext == "yml" || ext == "yaml") && components.count >= 3 && components[components.count - 3] == "comments"
        guard ["md", "markdown", "jsonl", "txt"].contains(ext) || isComment else {
            guard let format = ExportFormat.detect(path: path) else { return }
            if format == .htmlPage { return readPage(path, siteRoot: root, into: &collected) }
            collected.add(format.read(path: path, includePages: includePages))
            return
        }
        if (ext == "md" || ext == "markdown") && base.lowercased() == "readme" { return }
        if (ext == "md" || ext == "markdown") && MarkdownLayout.isSection(fileName: base) {
            collected.sections += 1
            return
        }
        if name == Corpus.synonymsFileName, (path as NSString).deletingLastPathComponent == root {
            switch TextFile.read(URL(fileURLWithPath: path)) {
            case .success(let text):
                let (rules, problems) = SynonymRules.read(text)
                collected.synonyms = rules.map(\.text).joined(separator: "\n")
                collected.problems += problems.map {
                    CorpusProblem(SourceLocation(path: path, line: $0.line), .skipped, "synonym rule left out: \($0.message)")
                }
            case .failure(let failure):
                collected.problems.append(TextFile.problem(failure, path: path))
            }
            return
        }

        if ext == "jsonl" {
            let (posts, problems) = JSONLinesReader.read(url: URL(fileURLWithPath: path), path: path)
            collected.posts += posts
            collected.problems += problems
            return
        }
        let text: String
        switch TextFile.read(URL(fileURLWithPath: path)) {
        case .success(let t): text = t
        case .failure(let failure):
            collected.problems.append(TextFile.problem(failure, path: path))
            return
        }
        switch ext {
        case "md", "markdown":
            let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : name
            let layout = MarkdownLayout.of(relativePath: relative, site: collected.site, defaultLang: defaultLang.flatMap(LanguageTag.known))
            switch MarkdownPostReader.read(text, path: path, layout: layout, urlPattern: urlPattern) {
            case .post(let post): collected.posts.append(post)
            case .draft: collected.drafts += 1
            case .problem(let problem): collected.problems.append(problem)
            }
        case "txt":
            do {
                let page = try ScrapedPageReader.read(text, path: path)
                collected.posts.append(page.post)
                collected.problems += page.warnings.map { CorpusProblem(SourceLocation(path: path), .warning, $0) }
            } catch {
                collected.problems.append(CorpusProblem(SourceLocation(path: path), .skipped, "\(error)"))
            }
        default:
            let slug = String(components[components.count - 2])
            switch StaticmanCommentReader.read(text, path: path, fileName: base) {
            case .success(let comment): collected.comments.append((slug, path, comment))
            case .failure(let problem): collected.problems.append(problem)
            }
        }
    }
}

/// Comments in reading order: by date (undated last), then id.
enum CommentOrder {
    static func sorted(_ comments: [Comment]) -> [Comment] {
        comments.sorted { a, b in
            switch (a.date, b.date) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.id.localizedStandardCompare(b.id) == .orderedAscending
            }
        }
    }
}
