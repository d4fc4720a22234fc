import Foundation

/// What a generation says about itself: stored as key/value rows in its `manifest` table.
public struct Manifest: Sendable, Codable, Hashable {
    public var formatVersion: Int
    /// ISO 8601, UTC.
    public var builtAt: String
    /// FNV-1a over every post's slug and content hash: equal digests, equal corpora.
    public var corpusDigest: String
    public var posts: Int
    public var comments: Int
    public var tokenizer: String
    public var generation: Int
    /// Related posts precomputed per post.
    public var relatedK: Int
    /// Everything besides the posts that the vectors and related lists depend on, as JSON: `RelatedSettings`
    /// (Related/) writes and reads it; the store keeps the text.
    public var relatedSettings: String
    /// Where and how the file's content checksum is kept (`GenerationSeal.scheme`); nil in generations built
    /// before checksums.
    public var checksum: String?
    /// The ranking weights the postings' block maxima were computed with, as JSON (`RankingWeights`); nil in
    /// generations built before blogsearch had its own postings, which are then searched through FTS5 alone.
    public var rankingWeights: String?
    /// The corpus's synonym rules (`Synonyms.text`), applied to this generation's queries; nil: none.
    public var synonyms: String?

    func rows() -> [(String, String)] {
        [("formatVersion", String(formatVersion)), ("builtAt", builtAt), ("corpusDigest", corpusDigest),
         ("posts", String(posts)), ("comments", String(comments)), ("tokenizer", tokenizer),
         ("generation", String(generation)), ("relatedK", String(relatedK)),
         ("relatedSettings", relatedSettings)] + (checksum.map { [("checksum", $0)] } ?? [])
            + (rankingWeights.map { [("rankingWeights", $0)] } ?? []) + optional("synonyms", synonyms)
    }

    private func optional(_ key: String, _ value: String?) -> [(String, String)] {
        value.map { [(key, $0)] } ?? []
    }

    init(formatVersion: Int, builtAt: String, corpusDigest: String, posts: Int, comments: Int, tokenizer: String, generation: Int,
         relatedK: Int, relatedSettings: String, checksum: String? = nil, rankingWeights: String? = nil, synonyms: String? = nil) {
        self.synonyms = synonyms
        self.checksum = checksum
        self.rankingWeights = rankingWeights
        self.relatedK = relatedK
        self.relatedSettings = relatedSettings
        self.formatVersion = formatVersion
        self.builtAt = builtAt
        self.corpusDigest = corpusDigest
        self.posts = posts
        self.comments = comments
        self.tokenizer = tokenizer
        self.generation = generation
    }

    /// - Throws: a description of the first missing or malformed key.
    init(rows: [String: String]) throws(ManifestFailure) {
        func int(_ key: String) throws(ManifestFailure) -> Int {
            guard let v = rows[key], let n = Int(v) else { throw ManifestFailure(key: key) }
            return n
        }
        func text(_ key: String) throws(ManifestFailure) -> String {
            guard let v = rows[key] else { throw ManifestFailure(key: key) }
            return v
        }
        self.formatVersion = try int("formatVersion")
        self.builtAt = try text("builtAt")
        self.corpusDigest = try text("corpusDigest")
        self.posts = try int("posts")
        self.comments = try int("comments")
        self.tokenizer = try text("tokenizer")
        self.generation = try int("generation")
        self.relatedK = try int("relatedK")
        self.relatedSettings = try text("relatedSettings")
        self.checksum = rows["checksum"]
        self.rankingWeights = rows["rankingWeights"]
        self.synonyms = rows["synonyms"]
    }

    struct ManifestFailure: Error {
        var key: String
    }
}
