/// Another version of a post, in another language: what hits, post pages and related posts list as
/// `translations`.
public struct PostTranslation: Sendable, Hashable, Codable {
    public var lang: String?
    public var slug: String
    public var url: String
    public var title: String
}

extension PostSummary {
    /// Fills in every post's `translations`: the other posts with its translation key (the versions of one
    /// post: a page bundle, Hugo's `translationKey`, a WordPress translation group), by language then slug.
    /// Made once when a generation opens.
    static func linkTranslations(_ posts: inout [PostSummary]) {
        var groups: [String: [Int]] = [:]
        for (index, post) in posts.enumerated() {
            if let key = post.translationKey { groups[key, default: []].append(index) }
        }
        for members in groups.values where members.count > 1 {
            let versions = members.map { posts[$0] }
                .sorted { ($0.lang ?? "", $0.slug) < ($1.lang ?? "", $1.slug) }
                .map { PostTranslation(lang: $0.lang, slug: $0.slug, url: $0.url, title: $0.title) }
            for index in members {
                posts[index].translations = versions.filter { $0.slug != posts[index].slug }
            }
        }
    }
}
