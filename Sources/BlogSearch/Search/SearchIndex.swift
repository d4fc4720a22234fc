import Foundation
import GRDB
import Synchronization

/// One published generation, opened read-only: the read path's entry point.
///
/// Safe to share between threads: queries run on a small set of read-only connections. A `SearchIndex`
/// is tied to one immutable file; serving a newer generation means opening a new `SearchIndex`.
public final class SearchIndex: Sendable {
    public let generation: Generation
    public let manifest: Manifest
    public let weights: RankingWeights
    /// What the generation's vectors and related lists were built with (its manifest): on-demand related
    /// posts are scored with the same `relatedWeights`.
    public let relatedSettings: RelatedSettings
    public var relatedWeights: RelatedWeights { relatedSettings.relatedWeights }
    /// By id - 1 (ids are 1...count, in date order).
    let posts: [PostSummary]
    let idsBySlug: [String: Int64]
    /// Each post's categories and tags as numbers (by id - 1), for counting facets over many matches.
    let facetNumbers: FacetNumbers
    let idsByURL: [String: Int64]
    /// What the postings ranker needs; nil when searches go through FTS5 alone (`TopKSupport.load`).
    let topK: TopKSupport?
    /// The synonym rules the generation was built with (its manifest).
    let synonyms: Synonyms
    /// The spelling vocabularies, once loaded (`vocabularies()`).
    let spellingState = Mutex<Vocabularies?>(nil)
    /// Recency factors by half-life (`recencyFactors`).
    let recencyCache = Mutex<[Double: (factors: [Double], max: Double)]>([:])
    /// Language boost factors by language (`languageFactors`): at most one per language of the blog.
    let languageCache = Mutex<[String: [Double]]>([:])
    private let readers: [DatabaseQueue]
    let tokenizers = TokenizerPool()
    private let nextReader = Atomic<Int>(0)
    /// Told (once) when a query finds the file damaged.
    private let onCorruption: (@Sendable (String) -> Void)?
    private let corruptionReported = Atomic<Bool>(false)

    /// Opens the current generation of an `indexes/` folder.
    public static func open(directory: String, readers: Int = 1, weights: RankingWeights = .default) throws(StoreError) -> SearchIndex {
        try SearchIndex(generation: GenerationStore(directory: directory).current(), readers: readers, weights: weights)
    }

    /// Opening checks the manifest and the posts table, not every byte: `Generation.verify` does that, and
    /// whoever serves a generation calls it first (`IndexHolder`).
    /// - Parameter onCorruption: called once, with SQLite's message, when a query finds the file damaged
    ///   (the query then throws `SearchError.indexCorrupt`).
    /// - Throws: `StoreError.corrupt` when the file does not open as an index, `.formatVersion` when it was
    ///   written by another format.
    public init(generation: Generation, readers: Int = 1, weights: RankingWeights = .default,
                onCorruption: (@Sendable (String) -> Void)? = nil) throws(StoreError) {
        let path = generation.path
        self.generation = generation
        self.weights = weights
        self.onCorruption = onCorruption
        var queues: [DatabaseQueue] = []
        do {
            for _ in 0..<max(1, readers) {
                let queue = try generation.openReadOnly()
                // The vocabulary (stems with document counts), in the connection's private temp schema.
                try queue.inDatabase { db in
                    try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.post_vocab USING fts5vocab(main, post_text, row)")
                }
                queues.append(queue)
            }
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
        self.readers = queues
        let loaded: (Manifest, [PostSummary])
        do {
            loaded = try queues[0].read { db in try SearchIndex.load(db, path: path) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
        (manifest, posts) = loaded
        guard let settings = RelatedSettings(json: manifest.relatedSettings) else {
            throw .corrupt(path: path, reason: "its manifest's relatedSettings is not readable: \(manifest.relatedSettings.prefix(200))")
        }
        relatedSettings = settings
        synonyms = manifest.synonyms.map { Synonyms.parse($0).synonyms } ?? .none
        do {
            let manifest = manifest
            topK = try queues[0].read { db in try TopKSupport.load(db, manifest: manifest, weights: weights, path: path) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
        var bySlug: [String: Int64] = [:]
        var byURL: [String: Int64] = [:]
        for post in posts {
            bySlug[post.slug] = post.id
            byURL[post.url] = byURL[post.url] ?? post.id
        }
        idsBySlug = bySlug
        idsByURL = byURL
        facetNumbers = FacetNumbers(posts)
    }

    private static func load(_ db: Database, path: String) throws -> (Manifest, [PostSummary]) {
        let manifest = try Manifest.read(db, path: path)
        var posts = try Row.fetchAll(db, sql: """
            SELECT id, slug, title, url, date, author, categories, tags, lang, translation_key, first_comment, comment_count
            FROM posts ORDER BY id
            """).map { row in
            PostSummary(id: row["id"], slug: row["slug"], title: row["title"], url: row["url"], date: row["date"],
                        author: row["author"], categories: JSONText.decode(row["categories"]), tags: JSONText.decode(row["tags"]),
                        lang: row["lang"], translationKey: row["translation_key"],
                        firstComment: row["first_comment"], commentCount: row["comment_count"])
        }
        PostSummary.linkTranslations(&posts)
        guard posts.count == manifest.posts, posts.enumerated().allSatisfy({ $0.element.id == Int64($0.offset + 1) }) else {
            throw StoreError.corrupt(path: path, reason: "its posts table does not match its manifest (\(posts.count) rows, \(manifest.posts) expected)")
        }
        return (manifest, posts)
    }

    /// Runs `body` on one of the read-only connections.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let index = nextReader.add(1, ordering: .relaxed).oldValue % readers.count
        do {
            // `inDatabase`, not `read`: the connection is read-only already, and `read` would toggle `query_only` twice per call.
            return try readers[index].inDatabase(body)
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            if !corruptionReported.exchange(true, ordering: .relaxed) { onCorruption?("\(error)") }
            throw SearchError.indexCorrupt(path: generation.path, reason: error.message ?? "\(error)")
        }
    }

    public var postCount: Int { posts.count }

    /// The post with this slug, if any.
    public func post(slug: String) -> PostSummary? {
        idsBySlug[slug].map { posts[Int($0) - 1] }
    }
}
