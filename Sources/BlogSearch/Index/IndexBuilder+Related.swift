import CSQLiteExtras
import Foundation
import GRDB
import Logging

/// The related half of a build: the vector store and the related lists, computed beside the text writing, and
/// stored into the generation by the writing thread.
extension IndexBuilder {
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
    /// `tokens` are the posts the build tokenized: every post, or with a plan its changed and new ones.
    /// Returns when the vectors are done; the lists go on computing in `lists`.
    func computeRelated(_ posts: [Post], plan: IncrementalPlan?, tokens: [PostTokens]) throws -> RelatedData {
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
                                                removedTexts: cache.removedTexts, weights: vectorWeights, tokens: tokens)
                source = .counted(reused: plan.reused, tokenized: posts.count - plan.reused)
            } catch {
                logger.warning("cannot reuse the previous term counts; tokenizing every post", metadata: ["error": "\(error)"])
            }
        }
        let vectorBuilder = try builder ?? (plan == nil ? TermVectorBuilder(count: posts.count, tokens: tokens, weights: vectorWeights)
                                                        : TermVectorBuilder(count: posts.count, text: text, weights: vectorWeights))
        let vectors = vectorBuilder.vectors()
        let display = vectorBuilder.displayForms()
        let seconds = (clock.now - started).seconds
        logger.info("vectors computed", metadata: ["seconds": "\(seconds)", "terms": "\(vectorBuilder.terms.count)"])
        let facets = posts.map { PostFacets(tags: $0.tags, categories: $0.categories, date: $0.date) }
        var finder = NeighbourFinder(vectors: vectors, facets: facets, scorer: RelatedScorer(weights: relatedWeights),
                                     k: relatedK, bounds: neighbourBounds)
        // A post's related posts are in its own language (its translations are listed apart).
        let languages = Dictionary(uniqueKeysWithValues: Set(posts.compactMap(\.lang)).sorted().enumerated().map { ($0.element, Int32($0.offset)) })
        if languages.count > 1 { finder.groups = posts.map { $0.lang.flatMap { languages[$0] } ?? -1 } }
        let neighbours = finder
        let lists = Background { [logger] in
            let started = clock.now
            let explained = neighbours.run { shared in JSONText.encode(RelatedExplanation.terms(shared) { display[Int($0)] }) }
            let seconds = (clock.now - started).seconds
            logger.info("related posts computed", metadata: ["seconds": "\(seconds)"])
            return RelatedLists(neighbours: explained, seconds: seconds)
        }
        return RelatedData(source: source, terms: vectorBuilder.terms, documentFrequency: vectorBuilder.documentFrequency,
                           surfaces: vectorBuilder.surfaces, display: display, counts: vectorBuilder.counts,
                           vectors: vectors, seconds: seconds, lists: lists)
    }

    func storeVectors(_ data: RelatedData, to queue: DatabaseQueue) throws {
        try queue.inTransaction { db in
            let insertTerm = try db.makeStatement(sql: "INSERT INTO terms(id, term, df, display, surfaces) VALUES (?, ?, ?, ?, ?)")
            for (id, term) in data.terms.enumerated() {
                try insertTerm.execute(arguments: [id, term, data.documentFrequency[id], data.display[id],
                                                   TermVectorBuilder.encodeSurfaces(data.surfaces[id])])
            }
            let spelling = Spelling(surfaces: data.surfaces).encoded
            for statement in Schema.spellingTable { try db.execute(sql: statement) }
            try db.execute(sql: "INSERT INTO spelling(id, chars, starts, counts) VALUES (1, ?, ?, ?)",
                           arguments: [spelling.chars, spelling.starts, spelling.counts])
            for (language, vocabulary) in Spelling.perLanguage(surfaces: data.surfaces).sorted(by: { $0.key < $1.key }) {
                let blobs = vocabulary.encoded
                try db.execute(sql: "INSERT INTO spelling_languages(lang, chars, starts, counts) VALUES (?, ?, ?, ?)",
                               arguments: [language, blobs.chars, blobs.starts, blobs.counts])
            }
            let insertVector = try db.makeStatement(sql: "INSERT INTO vectors(post_id, term_ids, weights, counts) VALUES (?, ?, ?, ?)")
            for (index, vector) in data.vectors.enumerated() {
                let counts = data.counts[index].counts.withUnsafeBufferPointer { Data(buffer: $0) }
                try insertVector.execute(arguments: [index + 1, vector.idBlob, vector.weightBlob, counts])
            }
            return .commit
        }
    }

    func storeLists(_ lists: RelatedLists, to queue: DatabaseQueue) throws {
        try queue.inTransaction { db in
            let insertRelated = try db.makeStatement(sql: """
                INSERT INTO related(post_id, rank, other_id, score, cosine, shared_terms) VALUES (?, ?, ?, ?, ?, ?)
                """)
            // Millions of rows at 100k posts: bound through SQLite's C API, without GRDB's argument arrays.
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
                        throw DatabaseError.sqlite(code, on: db.sqliteConnection)
                    }
                }
            }
            return .commit
        }
    }
}
