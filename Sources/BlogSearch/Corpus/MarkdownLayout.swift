import Foundation

/// What a Markdown file's place in the corpus says about its post, before its front matter is read: the
/// slug it takes when the front matter names none, the language its name or folder gives, and which other
/// files are versions of the same post.
///
/// - A page bundle, `SLUG/index.md`, takes its slug from its folder; `SLUG/index.LANG.md` is that post in
///   another language (Hugo's and Gatsby's convention), and so is `my-post.LANG.md` beside `my-post.md`, when
///   LANG is a language tag (`LanguageTag.fileNameLanguage`: `my.post.md` is not).
/// - Hugo's content folders: `content/LANG/…` (with a site config, only its `languages`, or the folders its
///   `contentDir`s name) is in LANG; the language folder is not part of the post's place. With a site config,
///   the rest of `content/` is in its `defaultContentLanguage`.
/// - `_index.md` (any language) is a Hugo section page, not a post.
/// - The versions of one post share their place (the path without language, extension and `/index`), which
///   is their translation key unless the front matter sets `translationKey`.
/// - A version whose language came from its path and differs from the site's default language (the Hugo
///   config's `defaultContentLanguage`, else the corpus default) is a translation: its slug gets `.LANG`
///   appended (`my-post.ja`), so it never takes its original's slug, and its URL is made with `{lang/}`.
struct MarkdownLayout: Equatable {
    /// The slug taken from the path (a Jekyll `YYYY-MM-DD-` prefix still in it).
    var baseSlug: String
    /// The language the path gives (file name first, then content folder), normalized.
    var lang: String?
    var langSource: LanguageSource?
    /// The place of the post, shared by its versions.
    var place: String
    /// Whether this file is a translation of the site's default-language post (see above).
    var isTranslation: Bool

    /// `_index.md`, `_index.ja.md`: a Hugo section page, not a post.
    static func isSection(fileName base: String) -> Bool {
        base == "_index" || base.hasPrefix("_index.")
    }

    /// - Parameters:
    ///   - relativePath: the file's path below the corpus root.
    ///   - site: the Hugo site config at the corpus root, if any.
    ///   - defaultLang: the corpus default language, if any (used when the site config names none).
    static func of(relativePath: String, site: HugoSite?, defaultLang: String?) -> MarkdownLayout {
        var folders = relativePath.split(separator: "/").map(String.init)
        let name = folders.removeLast()
        var base = name.split(separator: ".").dropLast().joined(separator: ".")
        if base.isEmpty { base = name }
        var lang: String? = nil
        var source: LanguageSource? = nil
        if let dot = base.lastIndex(of: "."), let tag = LanguageTag.fileNameLanguage(String(base[base.index(after: dot)...])) {
            lang = tag
            source = .fileName
            base = String(base[..<dot])
        }
        if let (folderLang, range) = contentFolderLanguage(folders, site: site) {
            if lang == nil {
                lang = folderLang
                source = .contentFolder
            }
            folders.replaceSubrange(range, with: ["content"])
        }
        if lang == nil, let siteDefault = site?.defaultContentLanguage, folders.first == "content" {
            lang = siteDefault
            source = .contentFolder
        }
        let isBundle = base == "index" && !folders.isEmpty
        let baseSlug = isBundle ? folders.last! : base
        let place = (isBundle ? folders : folders + [base]).joined(separator: "/")
        let siteDefault = site?.defaultContentLanguage ?? defaultLang
        return MarkdownLayout(baseSlug: baseSlug, lang: lang, langSource: source, place: place,
                              isTranslation: lang != nil && lang != siteDefault)
    }

    /// The language of the Hugo content folder the path is in, and the folders that name it, which the
    /// place writes as `content` (so that `content/ja/posts/a` and `content/posts/a` are one place): with a
    /// site config, the longest `contentDir` it names, or `content/LANG` for one of its `languages`; without
    /// one, `content/LANG` for a language tag.
    private static func contentFolderLanguage(_ folders: [String], site: HugoSite?) -> (String, Range<Int>)? {
        if let site {
            for (dir, lang) in site.contentDirs.sorted(by: { $0.key.count > $1.key.count }) {
                let parts = dir.split(separator: "/").map(String.init)
                if !parts.isEmpty, folders.count >= parts.count, Array(folders.prefix(parts.count)) == parts {
                    return (lang, 0..<parts.count)
                }
            }
        }
        guard let content = folders.firstIndex(of: "content"), content + 1 < folders.count else { return nil }
        let folder = folders[content + 1]
        if let site, !site.languages.isEmpty {
            guard let tag = LanguageTag.known(folder), site.languages.contains(tag) else { return nil }
            return (tag, content..<(content + 2))
        }
        guard let tag = LanguageTag.fileNameLanguage(folder) else { return nil }
        return (tag, content..<(content + 2))
    }

    /// The URL of a post that names none: `pattern` with `{slug}` (the slug without a translation's
    /// `.LANG`), `{lang}` (the post's language from its path, empty when none) and `{lang/}` (`LANG/` for a
    /// translation, nothing for the original) filled in; doubled slashes made single.
    static func url(pattern: String, slug: String, lang: String?, isTranslation: Bool) -> String {
        var url = pattern.replacingOccurrences(of: "{lang/}", with: isTranslation ? "\(lang ?? "")/" : "")
            .replacingOccurrences(of: "{lang}", with: lang ?? "")
            .replacingOccurrences(of: "{slug}", with: slug)
        while url.contains("//") { url = url.replacingOccurrences(of: "//", with: "/") }
        return url
    }

}
