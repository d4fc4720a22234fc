import Foundation

/// Reads a Markdown post with YAML front matter (Jekyll / Hugo style).
///
/// Fields: `title` (required), `slug` (default: the file name, or a page bundle's folder, without a Jekyll
/// `YYYY-MM-DD-` prefix; a translation's gets `.LANG`: see `MarkdownLayout`), `date` (default: that prefix),
/// `author` (or the first of `authors`), `categories` / `category`, `tags` / `tag`, `url` (or `permalink`;
/// default: the corpus's URL pattern, `/posts/<slug>/`), `lang` / `language` / `locale` (default: the language
/// of the file name or content folder), `translationKey` (default: the post's place, shared by its
/// versions), `draft: true` (skipped).
enum MarkdownPostReader {
    enum Outcome {
        case post(Post)
        case draft
        case problem(CorpusProblem)
    }

    static func read(_ text: String, path: String, layout: MarkdownLayout,
                     urlPattern: String = CorpusReader.defaultURLPattern) -> Outcome {
        let yaml: Substring, body: Substring
        switch frontMatter(text) {
        case .found(let y, let b): (yaml, body) = (y, b)
        case .missing:
            return .problem(CorpusProblem(SourceLocation(path: path, line: 1), .skipped,
                                          "no front matter: a post starts with a `---` line, YAML fields (at least `title:`), and another `---` line"))
        case .notClosed:
            return .problem(CorpusProblem(SourceLocation(path: path, line: 1), .skipped,
                                          "front matter is not closed: no `---` line after the fields"))
        }
        let fields: YAMLFields
        switch YAMLFields.parse(String(yaml), path: path, firstLine: 2) {
        case .success(let f): fields = f
        case .failure(let problem): return .problem(problem)
        }
        if fields.bool("draft") { return .draft }

        let location = SourceLocation(path: path, line: 1)
        guard let title = fields.string("title") else {
            let why = fields.isNotScalar("title") ? "`title` must be text" : "no `title` in the front matter"
            return .problem(CorpusProblem(location, .skipped, why))
        }
        let jekyll = Slug.splitJekyllName(layout.baseSlug)
        let urlSlug = fields.string("slug") ?? jekyll?.slug ?? layout.baseSlug
        let slug = layout.isTranslation ? "\(urlSlug).\(layout.lang ?? "")" : urlSlug
        guard Slug.isValid(slug) else {
            return .problem(CorpusProblem(location, .skipped,
                                          "slug '\(slug)' may hold only letters, digits, '-', '_' and '.' (set `slug:` in the front matter)"))
        }
        var date: String? = nil
        if let rawDate = fields.string("date") {
            guard let parsed = DateText.parse(rawDate) else {
                return .problem(CorpusProblem(location, .skipped, "date '\(rawDate)' is not a date (use YYYY-MM-DD)"))
            }
            date = parsed.day
        } else {
            date = jekyll?.date
        }
        let author = fields.string("author") ?? fields.list("authors").first
        let categories = fields.list("categories") + fields.list("category")
        let tags = fields.list("tags") + fields.list("tag")
        let url = fields.string("url") ?? fields.string("permalink")
            ?? MarkdownLayout.url(pattern: urlPattern, slug: urlSlug, lang: layout.lang, isTranslation: layout.isTranslation)
        let named = fields.string("lang") ?? fields.string("language") ?? fields.string("locale")
        return .post(Post(slug: slug, title: title, url: url, date: date, author: author,
                          categories: unique(categories), tags: unique(tags),
                          body: PlainText.fromMarkdown(String(body)), source: location,
                          lang: named ?? layout.lang, langSource: named != nil ? .frontMatter : layout.langSource,
                          translationKey: fields.string("translationKey") ?? layout.place))
    }

    private enum FrontMatter {
        case found(yaml: Substring, body: Substring)
        case missing
        case notClosed
    }

    /// The YAML between the first line (`---`) and the next `---` or `...` line, and the body after it. Only the
    /// front matter is taken line by line: a body can hold millions of lines.
    private static func frontMatter(_ text: String) -> FrontMatter {
        var lineStart = text.startIndex
        var yamlStart: String.Index? = nil
        while true {
            let lineEnd = text.utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let line = text[lineStart..<lineEnd].trimmingCharacters(in: .whitespaces)
            let next = lineEnd < text.endIndex ? text.utf8.index(after: lineEnd) : text.endIndex
            if let start = yamlStart {
                if line == "---" || line == "..." {
                    let yamlEnd = lineStart > start ? text.utf8.index(before: lineStart) : start
                    return .found(yaml: text[start..<yamlEnd], body: text[next...])
                }
            } else {
                guard line == "---" else { return .missing }
                yamlStart = next
            }
            guard lineEnd < text.endIndex else { return yamlStart == nil ? .missing : .notClosed }
            lineStart = next
        }
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0.lowercased()).inserted }
    }
}
