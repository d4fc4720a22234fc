import CSQLiteExtras
import Foundation
import GRDB
import Logging
import Synchronization

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
    public var maxShrink: Double = IndexBuilder.maxShrinkDefault
    public static let maxShrinkDefault = 0.2
    /// Publish even when more than `maxShrink` of the posts would vanish.
    public var allowShrink = false
    /// Reuse the previous generation's text index and term counts for unchanged posts when post ids allow
    /// it (`IncrementalPlan`); false writes and tokenizes every post (`blogsearch index --full`).
    public var incremental = true
    /// The ranking the postings' block maxima are computed for: a search with other weights is answered by
    /// FTS5 alone (still exact, slower).
    public var rankingWeights: RankingWeights = .default

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
        // One pass of FTS5's tokenizer over the posts, beside the text writing, for both the vectors and the
        // postings. An incremental build tokenizes only the changed and new posts; the others' postings and
        // term counts come from the previous generation.
        let freshIndexes = plan.map { plan in (plan.changed + Array(plan.appendedFrom..<total)).sorted() } ?? Array(0..<total)
        let tokens = Background { Handoff(try tokenize(posts, freshIndexes), takers: 2) }
        // Vectors and related posts need no database: computed beside the text writing, joined after it.
        let related = Background { try computeRelated(posts, plan: plan, tokens: tokens.wait().get().take()) }
        // The postings, grouped by term beside the text writing; scored and stored once FTS5 is done.
        let postings = Background { PostingsBuilder(try tokens.wait().get().take()) }
        defer { _ = postings.wait() }
        defer { if case .success(let data) = related.wait() { _ = data.lists?.wait() } }
        // The text writer is the build's critical path, which everything else waits for: while it writes, the
        // work beside it keeps to one core.
        let (reuse, queue) = try Parallel.foreground { () throws -> (BuildReuse, DatabaseQueue) in
            let (reuse, queue) = try writeText(posts, hashes: hashes, decision: decision, to: path, progress: progress)
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
            return (reuse, queue)
        }
        var tokenized = try postings.wait().get()
        let postingsStarted = ContinuousClock.now
        var terms = 0
        try queue.inTransaction { db in
            var kept: (@Sendable (Int32) -> Bool)? = nil
            if let plan {
                // Every previous posting is asked: a flag per post id, not a set lookup.
                var flags = [Bool](repeating: false, count: total + 1)
                for id in 0..<(plan.appendedFrom + 1) { flags[id] = id > 0 }
                for index in plan.changed { flags[index + 1] = false }
                let keptIDs = flags
                kept = { id in id > 0 && Int(id) < keptIDs.count && keptIDs[Int(id)] }
                // A previous generation from before these tables: every post is tokenized after all.
                for table in ["postings", "positions", "comment_starts", "snippet_marks"] where try !db.tableExists(table) {
                    logger.info("the previous generation has no \(table) table: tokenizing every post for the postings")
                    tokenized = PostingsBuilder(try tokenize(posts, Array(0..<total)))
                    kept = nil
                    break
                }
            }
            terms = try tokenized.store(db, path: path, posts: total, weights: rankingWeights, kept: kept)
            return .commit
        }
        logger.info("postings written", metadata: ["terms": "\(terms)", "storing": "\((ContinuousClock.now - postingsStarted).seconds)"])
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
                                relatedSettings: relatedSettings.json, checksum: GenerationSeal.scheme,
                                rankingWeights: rankingWeights.json, synonyms: Synonyms.parse(corpus.synonyms).synonyms.nonEmptyText)
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

    /// The posts into the text index and the tables of posts and comments: a new file, or with an incremental
    /// plan a copy of the previous generation with only the changed and new posts rewritten.
    private func writeText(_ posts: [Post], hashes: [String], decision: IncrementalPlan.Decision, to path: String,
                           progress: (@Sendable (BuildProgress) -> Void)?) throws -> (BuildReuse, DatabaseQueue) {
        let total = posts.count
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
        return (reuse, queue)
    }

    /// The posts at `indexes` (ascending; post i has id i + 1) through FTS5's tokenizer, on every core.
    private func tokenize(_ posts: [Post], _ indexes: [Int]) throws -> [PostTokens] {
        let shared = Unchecked(posts)
        let started = ContinuousClock.now
        defer { logger.debug("tokenized \(indexes.count) posts in \(ContinuousClock.now - started)") }
        return try PostTokens.tokenize(count: indexes.count) { n in
            let post = shared.value[indexes[n]]
            let comments = PostText.comments(post)
            return (PostText(post, comments: comments), comments, Int32(indexes[n] + 1))
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
