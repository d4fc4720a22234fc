import Foundation
import GRDB

/// What `blogsearch stats` shows about the served generation.
public struct IndexStats: Sendable, Codable, Hashable {
    public var generation: Int
    public var file: String
    public var formatVersion: Int
    public var builtAt: String
    public var corpusDigest: String
    public var posts: Int
    public var comments: Int
    public var bytes: Int64
    /// Distinct terms (after stemming) in the post index.
    public var vocabulary: Int
    public var tokenizer: String
    /// Posts per language, most first (ties by tag); posts without a language have no `lang`.
    public var languages: [LanguageCount]

    public struct LanguageCount: Sendable, Codable, Hashable {
        public var lang: String?
        public var posts: Int
    }
}

extension SearchIndex {
    public func stats() throws(SearchError) -> IndexStats {
        let vocabulary: Int
        do {
            vocabulary = try read { db in
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.post_vocab WHERE term NOT GLOB ?", arguments: [Facet.tokenGlob]) ?? 0
            }
        } catch {
            throw .wrapping(error)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: generation.path)[.size] as? Int64) ?? 0
        return IndexStats(generation: generation.number, file: generation.path, formatVersion: manifest.formatVersion,
                          builtAt: manifest.builtAt, corpusDigest: manifest.corpusDigest, posts: manifest.posts,
                          comments: manifest.comments, bytes: bytes, vocabulary: vocabulary, tokenizer: manifest.tokenizer,
                          languages: languageCounts)
    }

    /// Posts per language (`IndexStats.languages`).
    var languageCounts: [IndexStats.LanguageCount] {
        Dictionary(grouping: posts, by: \.lang).map { IndexStats.LanguageCount(lang: $0.key, posts: $0.value.count) }
            .sorted { ($1.posts, $0.lang ?? "\u{10FFFF}") < ($0.posts, $1.lang ?? "\u{10FFFF}") }
    }
}
