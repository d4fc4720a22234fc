import CSQLiteExtras
import Foundation
import GRDB
import Logging
import Synchronization

/// What a build did, for the one-line summary and exit codes.
public struct BuildSummary: Sendable {
    public var generation: Generation
    public var manifest: Manifest
    public var problems: [CorpusProblem]
    public var drafts: Int
    public var seconds: Double
    public var bytes: Int64
    /// Seconds spent in each phase, in order (preparing, writing, optimizing, relating, verifying, publishing).
    public var phases: [(phase: BuildProgress.Phase, seconds: Double)]
    /// Whether the previous generation's text was reused, and how much.
    public var reuse: BuildReuse
    /// The related-posts computation, which runs beside the writing (so not a phase of its own).
    public var related: RelatedTiming
    /// Set when the current generation failed verification, so this build reused nothing from it: why.
    public var refusedPrevious: String?
}

/// How the vectors and related lists were had, and the seconds spent on them.
public struct RelatedTiming: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Every post tokenized.
        case tokenized
        /// The previous generation's term counts reused for `reused` posts; `tokenized` posts read again.
        case counted(reused: Int, tokenized: Int)
        /// Nothing that related posts depend on changed: the previous generation's vectors and lists kept.
        case kept
    }
    public var source: Source
    /// Tokenizing (or loading the previous counts) and weighting.
    public var vectors: Double
    /// Every post's top K, explained.
    public var neighbours: Double
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// What a build took from the previous generation (see `IncrementalPlan`).
public enum BuildReuse: Sendable, Equatable {
    /// Every post written; why.
    case full(reason: String)
    /// The previous generation copied: `reused` posts kept, `changed` rewritten, `added` appended.
    case incremental(reused: Int, changed: Int, added: Int)
}

/// Measures how long each build phase takes, from the progress reports.
final class PhaseTimer: Sendable {
    private let state = Mutex<(current: BuildProgress.Phase?, started: Date, done: [(BuildProgress.Phase, Double)])>((nil, Date(), []))

    func enter(_ phase: BuildProgress.Phase) {
        state.withLock { s in
            guard s.current != phase else { return }
            let now = Date()
            if let current = s.current { s.done.append((current, now.timeIntervalSince(s.started))) }
            s.current = phase
            s.started = now
        }
    }

    func finish() -> [(phase: BuildProgress.Phase, seconds: Double)] {
        state.withLock { s in
            if let current = s.current { s.done.append((current, Date().timeIntervalSince(s.started))) }
            s.current = nil
            return s.done.map { (phase: $0.0, seconds: $0.1) }
        }
    }
}

/// Progress of a build, reported to whoever shows it.
public struct BuildProgress: Sendable {
    public enum Phase: String, Sendable {
        /// Hashing the posts and deciding what to reuse; an incremental build copies the current generation.
        case preparing
        case writing, optimizing, relating, verifying, publishing
    }
    public var phase: Phase
    public var done: Int
    public var total: Int
}

/// The write path: a corpus becomes a new generation file, verified, then published.
public struct IndexBuilder: Sendable {
    public var store: GenerationStore
    public var logger: Logger
    /// How many generations to keep after publishing.
    public var keep: Int
    /// Related posts precomputed per post.
    public var relatedK: Int
    public var vectorWeights: VectorWeights
    public var relatedWeights: RelatedWeights
    var neighbourBounds: NeighbourFinder.Bounds = .default
    /// The share of the current generation's posts a build may drop before it is refused (the shrink guard:
    /// an unmounted or half-synced corpus folder must not empty the site's search).
    public var maxShrink: Double = 0.2
    /// Publish even when more than `maxShrink` of the posts would vanish.
    public var allowShrink = false
    /// Reuse the previous generation's text index and term counts for unchanged posts when post ids allow
    /// it (`IncrementalPlan`); false writes and tokenizes every post (`blogsearch index --full`).
    public var incremental = true

    public static let relatedKDefault = 20

    public init(indexesDirectory: String, keep: Int = GenerationStore.keepDefault, relatedK: Int = IndexBuilder.relatedKDefault,
                vectorWeights: VectorWeights = .default, relatedWeights: RelatedWeights = .default,
                logger: Logger = Logger(label: "blogsearch.indexer")) {
        self.store = GenerationStore(directory: indexesDirectory)
        self.keep = keep
        self.relatedK = relatedK
        self.vectorWeights = vectorWeights
        self.relatedWeights = relatedWeights
        self.logger = logger
    }

    /// Builds and publishes a generation from `corpus`.
    /// - Parameters:
    ///   - corpusPath: where the corpus was read from, for messages.
    ///   - progress: called from the building thread now and then.
    /// - Throws: `IndexError.emptyCorpus` when there is nothing to index, `.buildFailed` when writing or
    ///   verifying fails. Either way nothing is published and the previous generation stays current.
    public func build(_ corpus: Corpus, corpusPath: String,
                      progress: (@Sendable (BuildProgress) -> Void)? = nil) throws(IndexError) -> BuildSummary {
        let started = Date()
        let lock = try BuildLock(directory: store.directory)
        defer { withExtendedLifetime(lock) {} }
        if let holder = lock.tookOverFrom {
            logger.warning("took over the build lock left by a process that is gone", metadata: ["holder": "\(holder)"])
        }
        guard !corpus.posts.isEmpty else { throw .emptyCorpus(path: corpusPath, skipped: corpus.skippedCount) }
        try checkShrink(corpus)
        let temporary: String
        do { temporary = try store.temporaryPath() } catch { throw .store(error) }
        let timer = PhaseTimer()
        let progress: @Sendable (BuildProgress) -> Void = { report in
            timer.enter(report.phase)
            progress?(report)
        }
        do {
            let (manifest, reuse, relatedTiming, refusedPrevious) = try write(corpus, to: temporary, progress: progress)
            progress(BuildProgress(phase: .verifying, done: 0, total: 1))
            try FaultInjection.at("verifying", directory: store.directory)
            try verify(temporary, expecting: manifest)
            // Last of all: the checksum of every byte, checked wherever the generation is used from now on.
            try GenerationSeal.seal(temporary)
            progress(BuildProgress(phase: .publishing, done: 0, total: 1))
            let generation = try store.publish(temporaryPath: temporary, keep: keep) { () throws(StoreError) in
                try FaultInjection.at("publishing", directory: store.directory)
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: generation.path)[.size] as? Int64) ?? 0
            logger.info("published \(generation.fileName)", metadata: ["posts": "\(manifest.posts)", "comments": "\(manifest.comments)"])
            return BuildSummary(generation: generation, manifest: manifest, problems: corpus.problems, drafts: corpus.drafts,
                                seconds: Date().timeIntervalSince(started), bytes: bytes, phases: timer.finish(), reuse: reuse, related: relatedTiming,
                                refusedPrevious: refusedPrevious)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            for suffix in ["-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
            if let indexError = error as? IndexError { throw indexError }
            if let storeError = error as? StoreError { throw .store(storeError) }
            throw .buildFailed(directory: store.directory, reason: "\(error)")
        }
    }

    /// The shrink guard: compares the corpus with the current generation's posts.
    private func checkShrink(_ corpus: Corpus) throws(IndexError) {
        guard !allowShrink, let current = try? store.current() else { return }
        let previous: [String]
        do {
            let queue = try current.openReadOnly()
            previous = try queue.read { try String.fetchAll($0, sql: "SELECT slug FROM posts ORDER BY id DESC") }
            try queue.close()
        } catch {
            logger.warning("cannot read the current generation for the shrink guard", metadata: ["error": "\(error)"])
            return
        }
        let kept = Set(corpus.posts.map(\.slug))
        let vanishing = previous.filter { !kept.contains($0) }
        if Double(vanishing.count) > maxShrink * Double(previous.count) {
            throw .shrinkRefused(previous: previous.count, new: corpus.posts.count, vanishing: vanishing, maxShrink: maxShrink)
        }
    }

    // MARK: - Writing

    private func write(_ corpus: Corpus, to path: String, progress: (@Sendable (BuildProgress) -> Void)?) throws
        -> (Manifest, BuildReuse, RelatedTiming, refusedPrevious: String?) {
        // Date order (undated first), so that a date range is a rowid range.
        progress?(BuildProgress(phase: .preparing, done: 0, total: 1))
        let posts = corpus.posts.sorted { ($0.date ?? "", $0.slug) < ($1.date ?? "", $1.slug) }
        let hashes = Parallel.map(count: posts.count) { range in range.map { ContentHash.of(posts[$0]) } }
        let total = posts.count
        var digest = FNV1a.offsetBasis
        for (post, hash) in zip(posts, hashes) { digest = FNV1a.hash(post.slug + "\u{1F}" + hash + "\u{1E}", seed: digest) }
        let commentTotal = posts.reduce(0) { $0 + $1.comments.count }

        logger.debug("hashed \(total) posts")
        let decision = incremental ? IncrementalPlan.decide(store: store, posts: posts, hashes: hashes) : .full(reason: "a full build was asked for")
        let plan: IncrementalPlan? = if case .incremental(let plan) = decision { plan } else { nil }
        let refusedPrevious: String? = if case .refused(let reason) = decision { reason } else { nil }
        // Vectors and related posts need no database: computed beside the text writing, joined after it.
        let related = Background { try computeRelated(posts, plan: plan) }
        defer { if case .success(let data) = related.wait() { _ = data.lists?.wait() } }
        let reuse: BuildReuse
        let queue: DatabaseQueue
        switch decision {
        case .incremental(let plan):
            reuse = .incremental(reused: plan.reused, changed: plan.changed.count, added: total - plan.appendedFrom)
            try FileCopy.copy(from: plan.previous.path, to: path)
            logger.debug("copied \(plan.previous.fileName)")
            queue = try DatabaseQueue(path: path, configuration: SQLiteSetup.configuration(readonly: false))
            // Foreign keys off: deleting a post would make SQLite look for its comments through the unindexed
            // comments.post_id, a scan of every comment per changed post (100k posts, 1% changed: 270 s).
            // The comments are deleted just before, by id range.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF")
            }
            let written = plan.changed + Array(plan.appendedFrom..<total)
            try queue.inTransaction { db in
                // Recomputed below, unless nothing they depend on changed.
                let recomputed = plan.keepsRelated(settings: relatedSettings) ? [] : ["terms", "vectors", "related"]
                for table in recomputed + ["manifest"] { try db.execute(sql: "DELETE FROM \(table)") }
                // Where a kept post was read from may have moved (a line of a JSON Lines file).
                let source = try db.makeStatement(sql: "UPDATE posts SET source = ?1 WHERE id = ?2 AND source <> ?1")
                for index in 0..<plan.appendedFrom { try source.execute(arguments: [posts[index].source.description, index + 1]) }
                let writer = try PostWriter(db)
                var commentID = plan.nextCommentID
                if written.isEmpty { try FaultInjection.at("writing", directory: store.directory) }
                for (n, index) in written.enumerated() {
                    let id = Int64(index + 1)
                    if index < plan.appendedFrom { try writer.remove(id: id) }
                    commentID = try writer.write(posts[index], id: id, hash: hashes[index], firstComment: commentID)
                    if n == written.count / 2 { try FaultInjection.at("writing", directory: store.directory) }
                    progress?(BuildProgress(phase: .writing, done: n + 1, total: written.count))
                }
                return .commit
            }
            logger.info("incremental build", metadata: ["from": "\(plan.previous.fileName)", "changed": "\(plan.changed.count)",
                                                        "added": "\(total - plan.appendedFrom)", "reused": "\(plan.reused)"])
        case .full(let reason), .refused(let reason):
            reuse = .full(reason: reason)
            logger.info("full build", metadata: ["reason": "\(reason)"])
            queue = try DatabaseQueue(path: path, configuration: SQLiteSetup.configuration(readonly: false))
            // The file is private until published and verified before that: no journal needed.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 8192")
            }
            try queue.inTransaction { db in
                for statement in Schema.statements(tokenizer: Analyzer.tokenizerSpec) { try db.execute(sql: statement) }
                // No merging while loading: the 'optimize' below merges once (10k posts: writing 21 s -> 14.5 s).
                try db.execute(sql: "INSERT INTO post_text(post_text, rank) VALUES ('automerge', 0)")
                let writer = try PostWriter(db)
                var commentID: Int64 = 1
                for (index, post) in posts.enumerated() {
                    commentID = try writer.write(post, id: Int64(index + 1), hash: hashes[index], firstComment: commentID)
                    if index == total / 2 { try FaultInjection.at("writing", directory: store.directory) }
                    if index % 200 == 0 || index == total - 1 {
                        progress?(BuildProgress(phase: .writing, done: index + 1, total: total))
                    }
                }
                return .commit
            }
        }
        // While the related posts are still being computed: merge the text index into one segment and run
        // FTS5's integrity check on it (the longest part of verifying: 22 s at 100k posts), so that the
        // writing thread does not sit idle.
        progress?(BuildProgress(phase: .optimizing, done: 0, total: 1))
        try queue.inDatabase { db in
            // An incremental build adds a segment or two; merging the whole index again would cost as much
            // as the text it saved writing. Segments change nothing in what a query returns.
            if case .full = reuse { try db.execute(sql: "INSERT INTO post_text(post_text) VALUES ('optimize')") }
            try db.execute(sql: "INSERT INTO post_text(post_text, rank) VALUES ('integrity-check', 1)")
        }
        progress?(BuildProgress(phase: .relating, done: 0, total: total))
        try FaultInjection.at("relating", directory: store.directory)
        // The vectors are ready well before the related lists: stored while the lists are still computing.
        let relatedData = try related.wait().get()
        var relatedTiming = RelatedTiming(source: relatedData.source, vectors: relatedData.seconds, neighbours: 0)
        if relatedData.source != .kept {
            try storeVectors(relatedData, to: queue)
            logger.debug("stored the vectors")
        }
        if let lists = try relatedData.lists?.wait().get() {
            let storing = ContinuousClock.now
            try storeLists(lists, to: queue)
            logger.debug("stored the related lists in \(ContinuousClock.now - storing)")
            relatedTiming.neighbours = lists.seconds
        }
        let generation = store.nextNumber()
        let manifest = Manifest(formatVersion: Schema.formatVersion, builtAt: ISO8601DateFormatter().string(from: Date()),
                                corpusDigest: FNV1a.hex(digest), posts: total, comments: commentTotal,
                                tokenizer: Analyzer.tokenizerSpec, generation: generation, relatedK: relatedK,
                                relatedSettings: relatedSettings.json, checksum: GenerationSeal.scheme)
        try queue.inTransaction { db in
            for (key, value) in manifest.rows() {
                try db.execute(sql: "INSERT INTO manifest(key, value) VALUES (?, ?)", arguments: [key, value])
            }
            return .commit
        }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "ANALYZE")
        }
        logger.debug("analyzed")
        try queue.close()
        return (manifest, reuse, relatedTiming, refusedPrevious)
    }

    /// The vector store, computed without the database so that it runs beside the text writing (the two take
    /// similar time; on 2 cores this hides one behind the other), and the related lists still computing.
    struct RelatedData: Sendable {
        var source: RelatedTiming.Source
        var terms: [String] = []
        var documentFrequency: [Int32] = []
        var surfaces: [[String: Int32]] = []
        var display: [String] = []
        var counts: [(ids: [Int32], counts: [Float])] = []
        var vectors: [SparseVector] = []
        var seconds: Double = 0
        /// Nil when the previous generation's lists are kept.
        var lists: Background<RelatedLists>? = nil
    }

    struct RelatedLists: Sendable {
        /// Per post (id order): its related posts with the shared terms shown to readers, as JSON.
        var neighbours: [[(neighbour: Neighbour, explanation: String)]]
        var seconds: Double
    }

    /// Everything the vectors and related lists depend on besides the posts, as the manifest records it.
    var relatedSettings: RelatedSettings {
        RelatedSettings(vectorWeights: vectorWeights, relatedWeights: relatedWeights, k: relatedK,
                        queryTerms: neighbourBounds.queryTerms, champions: neighbourBounds.champions)
    }

    /// Vectors and related lists for `posts`. With an incremental `plan`: kept as they are when no post
    /// changed, else computed from the previous generation's term counts for the posts that did not change.
    /// Returns when the vectors are done; the lists go on computing in `lists`.
    func computeRelated(_ posts: [Post], plan: IncrementalPlan?) throws -> RelatedData {
        if let plan, plan.keepsRelated(settings: relatedSettings) { return RelatedData(source: .kept) }
        let clock = ContinuousClock()
        let started = clock.now
        var source = RelatedTiming.Source.tokenized
        var builder: TermVectorBuilder? = nil
        let shared = Unchecked(posts)
        let text: @Sendable (Int) -> PostText = { PostText(shared.value[$0]) }
        if let plan, plan.previousSettings?.vectorWeights == vectorWeights {
            do {
                let changed = Set(plan.changed)
                let cache = try plan.termCache(changedTexts: plan.changed)
                builder = try TermVectorBuilder(count: posts.count, text: text, reusing: cache.cache,
                                                reused: { $0 < plan.appendedFrom && !changed.contains($0) ? $0 : nil },
                                                removedTexts: cache.removedTexts, weights: vectorWeights)
                source = .counted(reused: plan.reused, tokenized: posts.count - plan.reused)
            } catch {
                logger.warning("cannot reuse the previous term counts; tokenizing every post", metadata: ["error": "\(error)"])
            }
        }
        let vectorBuilder = try builder ?? TermVectorBuilder(count: posts.count, text: text, weights: vectorWeights)
        let vectors = vectorBuilder.vectors()
        let display = vectorBuilder.displayForms()
        let seconds = (clock.now - started).seconds
        logger.info("vectors computed", metadata: ["seconds": "\(seconds)", "terms": "\(vectorBuilder.terms.count)"])
        let facets = posts.map { PostFacets(tags: $0.tags, categories: $0.categories, date: $0.date) }
        let finder = NeighbourFinder(vectors: vectors, facets: facets, scorer: RelatedScorer(weights: relatedWeights),
                                     k: relatedK, bounds: neighbourBounds)
        let lists = Background { [logger] in
            let started = clock.now
            let explained = finder.run { shared in JSONText.encode(RelatedExplanation.terms(shared) { display[Int($0)] }) }
            let seconds = (clock.now - started).seconds
            logger.info("related posts computed", metadata: ["seconds": "\(seconds)"])
            return RelatedLists(neighbours: explained, seconds: seconds)
        }
        return RelatedData(source: source, terms: vectorBuilder.terms, documentFrequency: vectorBuilder.documentFrequency,
                           surfaces: vectorBuilder.surfaces, display: display, counts: vectorBuilder.counts,
                           vectors: vectors, seconds: seconds, lists: lists)
    }

    private func storeVectors(_ data: RelatedData, to queue: DatabaseQueue) throws {
        try queue.inTransaction { db in
            let insertTerm = try db.makeStatement(sql: "INSERT INTO terms(id, term, df, display, surfaces) VALUES (?, ?, ?, ?, ?)")
            for (id, term) in data.terms.enumerated() {
                try insertTerm.execute(arguments: [id, term, data.documentFrequency[id], data.display[id],
                                                   TermVectorBuilder.encodeSurfaces(data.surfaces[id])])
            }
            let insertVector = try db.makeStatement(sql: "INSERT INTO vectors(post_id, term_ids, weights, counts) VALUES (?, ?, ?, ?)")
            for (index, vector) in data.vectors.enumerated() {
                let counts = data.counts[index].counts.withUnsafeBufferPointer { Data(buffer: $0) }
                try insertVector.execute(arguments: [index + 1, vector.idBlob, vector.weightBlob, counts])
            }
            return .commit
        }
    }

    private func storeLists(_ lists: RelatedLists, to queue: DatabaseQueue) throws {
        try queue.inTransaction { db in
            let insertRelated = try db.makeStatement(sql: """
                INSERT INTO related(post_id, rank, other_id, score, cosine, shared_terms) VALUES (?, ?, ?, ?, ?, ?)
                """)
            // 2M rows at 100k posts: bound through SQLite's C API (GRDB's argument arrays cost ~3 µs a row, 3
            // times SQLite's own work).
            let statement = insertRelated.sqliteStatement
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            for (index, list) in lists.neighbours.enumerated() {
                for (rank, item) in list.enumerated() {
                    sqlite3_bind_int64(statement, 1, Int64(index + 1))
                    sqlite3_bind_int64(statement, 2, Int64(rank + 1))
                    sqlite3_bind_int64(statement, 3, Int64(item.neighbour.post) + 1)
                    sqlite3_bind_double(statement, 4, item.neighbour.score)
                    sqlite3_bind_double(statement, 5, item.neighbour.cosine)
                    var text = item.explanation
                    let bound = text.withUTF8 { sqlite3_bind_text(statement, 6, $0.baseAddress, Int32($0.count), transient) }
                    let code = bound == SQLITE_OK ? sqlite3_step(statement) : bound
                    sqlite3_reset(statement)
                    guard code == SQLITE_DONE else {
                        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                }
            }
            return .commit
        }
    }

    /// Opens the written file as a reader would and checks it: SQLite integrity and counts (FTS5's own
    /// integrity check ran in `write`, right after the text index was merged).
    private func verify(_ path: String, expecting manifest: Manifest) throws {
        let queue = try DatabaseQueue(path: path, configuration: SQLiteSetup.configuration(readonly: true))
        defer { try? queue.close() }
        try queue.inDatabase { db in
            let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? ""
            guard check == "ok" else { throw StoreError.corrupt(path: path, reason: "quick_check: \(check)") }
            let posts = try Int.fetchOne(db, sql: "SELECT count(*) FROM posts") ?? -1
            let texts = try Int.fetchOne(db, sql: "SELECT count(*) FROM post_text") ?? -1
            let comments = try Int.fetchOne(db, sql: "SELECT count(*) FROM comments") ?? -1
            guard posts == manifest.posts, texts == manifest.posts, comments == manifest.comments else {
                throw StoreError.corrupt(path: path, reason: "counts differ: \(posts) posts, \(texts) texts, \(comments) comments; manifest says \(manifest.posts) and \(manifest.comments)")
            }
        }
    }
}

/// Writes one post's rows: metadata, searchable text, comments.
private struct PostWriter {
    let insertPost: Statement
    let insertText: Statement
    let insertComment: Statement
    let database: Database

    init(_ db: Database) throws {
        database = db
        insertPost = try db.makeStatement(sql: """
            INSERT INTO posts(id, slug, title, url, date, author, categories, tags, source, content_hash, first_comment, comment_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertText = try db.makeStatement(sql: "INSERT INTO post_text(rowid, title, taxonomy, body, comments, facets) VALUES (?, ?, ?, ?, ?, ?)")
        insertComment = try db.makeStatement(sql: "INSERT INTO comments(id, post_id, comment_id, author, date, reply_to, body) VALUES (?, ?, ?, ?, ?, ?, ?)")
    }

    /// Writes `post` as `id`, its comments from `firstComment` on; returns the next free comment id.
    func write(_ post: Post, id: Int64, hash: String, firstComment: Int64) throws -> Int64 {
        try insertPost.execute(arguments: [
            id, post.slug, post.title, post.url, post.date, post.author, JSONText.encode(post.categories),
            JSONText.encode(post.tags), post.source.description, hash, firstComment, post.comments.count,
        ])
        let facets = Facet.tokens(categories: post.categories, tags: post.tags, author: post.author)
        let text = PostText(post)
        try insertText.execute(arguments: [id, text.title, text.taxonomy, text.body, text.comments, facets.joined(separator: " ")])
        var commentID = firstComment
        for comment in post.comments {
            try insertComment.execute(arguments: [commentID, id, comment.id, comment.author, comment.date, comment.replyTo,
                                                  HighlightMarker.removed(from: comment.body)])
            commentID += 1
        }
        return commentID
    }

    /// Removes post `id` and its comments (an incremental build rewrites it).
    func remove(id: Int64) throws {
        try database.execute(sql: "DELETE FROM post_text WHERE rowid = ?", arguments: [id])
        // A post's comments are a range of ids (comments.post_id has no index).
        if let row = try Row.fetchOne(database, sql: "SELECT first_comment, comment_count FROM posts WHERE id = ?", arguments: [id]) {
            let first: Int64 = row[0], count: Int64 = row[1]
            try database.execute(sql: "DELETE FROM comments WHERE id BETWEEN ? AND ?", arguments: [first, first + count - 1])
        }
        try database.execute(sql: "DELETE FROM posts WHERE id = ?", arguments: [id])
    }
}

/// A post's content hash over every field that reaches the index (not its source location), each field
/// ended by a separator byte. Equal hashes mean the post can be reused as it is by an incremental build.
enum ContentHash {
    static func of(_ post: Post) -> String {
        var h = StreamHasher()
        for field in [post.slug, post.title, post.url, post.date ?? "", post.author ?? ""] { h.add(field, then: 0x1E) }
        for list in [post.categories, post.tags] {
            for item in list { h.add(item, then: 0x1F) }
            h.add(byte: 0x1E)
        }
        h.add(post.body, then: 0x1E)
        for c in post.comments {
            for field in [c.id, c.author ?? "", c.date ?? "", c.replyTo ?? "", c.body] { h.add(field, then: 0x1F) }
            h.add(byte: 0x1D)
        }
        return FNV1a.hex(h.finish())
    }
}

/// A 64-bit hash of a stream of bytes, eight at a time with MurmurHash3's 64-bit mixing and finalizer: for
/// change detection over a whole corpus (1 GB at 100k posts), where FNV-1a's multiply per byte cost seconds.
struct StreamHasher {
    private var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var word: UInt64 = 0
    private var filled = 0
    private var length: UInt64 = 0

    mutating func add(_ text: String, then separator: UInt8) {
        var text = text
        text.withUTF8 { add($0) }
        add(byte: separator)
    }

    mutating func add(byte: UInt8) {
        word |= UInt64(byte) << UInt64(8 * filled)
        filled += 1
        length += 1
        if filled == 8 { flush() }
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        while i < bytes.count, filled != 0 {
            add(byte: bytes[i])
            i += 1
        }
        guard let base = bytes.baseAddress else { return }
        while bytes.count - i >= 8 {
            mix(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
            length += 8
            i += 8
        }
        while i < bytes.count {
            add(byte: bytes[i])
            i += 1
        }
    }

    private mutating func flush() {
        mix(word)
        word = 0
        filled = 0
    }

    @inline(__always)
    private mutating func mix(_ w: UInt64) {
        var k = w &* 0x87C3_7B91_1142_53D5
        k = (k << 31) | (k >> 33)
        k = k &* 0x4CF5_AD43_2745_937F
        h ^= k
        h = (h << 27) | (h >> 37)
        h = h &* 5 &+ 0x52DC_E729
    }

    func finish() -> UInt64 {
        var copy = self
        if copy.filled > 0 { copy.flush() }
        var x = copy.h ^ copy.length
        x ^= x >> 33
        x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }
}
