import Foundation
import GRDB

/// How a build reuses the previous generation: which posts it copies as they are and which it writes.
///
/// The text index is the build's longest part (one thread; 100k posts: minutes). When the posts keep the ids
/// they had (ids follow date order, so: no post removed, none added before the newest, no date moved),
/// the build copies the current generation and rewrites only the posts whose content hash changed, appending
/// new ones. FTS5 keeps row counts and column totals exact under delete and insert, so ranking, snippets
/// and filters answer exactly as from a full build. The vectors and related lists depend on every post
/// (document frequencies): when no post changed they are kept as they are; otherwise they are recomputed
/// from the previous generation's term counts, tokenizing only the changed and new posts (`termCache`).
/// Anything else — a removed
/// or inserted post, another format or tokenizer, an unreadable generation, one that fails verification
/// (`Generation.verify`: a corrupt file is never copied) — makes a full build, and the reason is reported.
struct IncrementalPlan: Sendable {
    /// The generation copied.
    var previous: Generation
    /// Indexes (into the date-ordered posts) of posts whose content changed.
    var changed: [Int]
    /// Posts from this index on are new, appended after the previous generation's newest.
    var appendedFrom: Int
    /// The first free comment id in the previous generation.
    var nextCommentID: Int64
    /// What the previous generation's term counts and related lists were computed with (its manifest).
    var previousSettings: RelatedSettings?

    /// True when the previous related lists are this build's: no post changed or was added, and the
    /// settings are the same.
    func keepsRelated(settings: RelatedSettings) -> Bool {
        changed.isEmpty && appendedFrom == postCount && previousSettings == settings
    }

    /// Posts in the corpus being built.
    var postCount: Int

    var reused: Int { appendedFrom - changed.count }

    enum Decision: Sendable {
        case incremental(IncrementalPlan)
        case full(reason: String)
        /// The current generation fails verification: never copied, a full build instead (and a warning).
        case refused(reason: String)
    }

    /// - Parameters:
    ///   - posts: the corpus in date order (the ids a full build would give: index + 1).
    ///   - hashes: their content hashes.
    static func decide(store: GenerationStore, posts: [Post], hashes: [String]) -> Decision {
        guard let current = try? store.current() else { return .full(reason: "there is no previous generation") }
        do throws(StoreError) {
            _ = try current.verify()
        } catch .corrupt(_, let reason) {
            return .refused(reason: "\(current.fileName) fails verification, so nothing is reused from it: \(reason)")
        } catch {
            return .full(reason: "\(current.fileName) cannot be read (\(error))")
        }
        let rows: [(slug: String, hash: String)]
        let nextComment: Int64
        let manifest: [String: String]
        do {
            let queue = try current.openReadOnly()
            defer { try? queue.close() }
            let read = try queue.read { db -> (rows: [(String, String)], manifest: [String: String], next: Int64) in
                let manifest = Dictionary(try Row.fetchAll(db, sql: "SELECT key, value FROM manifest").map { ($0[0] as String, $0[1] as String) },
                                          uniquingKeysWith: { a, _ in a })
                let rows = try Row.fetchAll(db, sql: "SELECT slug, content_hash FROM posts ORDER BY id").map { ($0[0] as String, $0[1] as String) }
                let next = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM comments") ?? 0) + 1
                return (rows, manifest, next)
            }
            guard read.manifest["formatVersion"] == String(Schema.formatVersion) else {
                return .full(reason: "\(current.fileName) has another index format")
            }
            guard read.manifest["tokenizer"] == Analyzer.tokenizerSpec else { return .full(reason: "\(current.fileName) has another tokenizer") }
            rows = read.rows.map { (slug: $0.0, hash: $0.1) }
            nextComment = read.next
            manifest = read.manifest
        } catch {
            return .full(reason: "\(current.fileName) cannot be read (\(error))")
        }
        guard rows.count <= posts.count else {
            return .full(reason: "\(rows.count - posts.count) post(s) fewer than \(current.fileName): ids move")
        }
        var changed: [Int] = []
        for (index, row) in rows.enumerated() {
            guard posts[index].slug == row.slug else {
                return .full(reason: "posts were removed, dated earlier than the newest, or re-dated (first at '\(posts[index].slug)'): ids move")
            }
            if hashes[index] != row.hash { changed.append(index) }
        }
        return .incremental(IncrementalPlan(previous: current, changed: changed, appendedFrom: rows.count, nextCommentID: nextComment,
                                            previousSettings: manifest["relatedSettings"].flatMap(RelatedSettings.init(json:)),
                                            postCount: posts.count))
    }
}

extension IncrementalPlan {
    struct CacheFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The previous generation's vocabulary, surface counts and per-post term counts, and the stored text of
    /// the posts at `changed` (indexes) as that generation has them.
    func termCache(changedTexts changed: [Int]) throws -> (cache: TermCache, removedTexts: [PostText]) {
        let queue = try previous.openReadOnly()
        defer { try? queue.close() }
        return try queue.read { db in
            var terms: [String] = []
            var surfaces: [[String: Int32]] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, term, surfaces FROM terms ORDER BY id")
            while let row = try rows.next() {
                let id: Int = row[0], term: String = row[1], text: String = row[2]
                guard id == terms.count, let forms = TermVectorBuilder.decodeSurfaces(text),
                      terms.last.map({ TermVectorBuilder.precedes($0, term) }) ?? true else {
                    throw CacheFailure(description: "\(previous.fileName): term \(id) is out of order or malformed")
                }
                terms.append(term)
                surfaces.append(forms)
            }
            var counts: [(ids: [Int32], counts: [Float])] = []
            counts.reserveCapacity(appendedFrom)
            let vectors = try Row.fetchCursor(db, sql: "SELECT post_id, term_ids, counts FROM vectors ORDER BY post_id")
            while let row = try vectors.next() {
                let id: Int = row[0], idBlob: Data = row[1], countBlob: Data = row[2]
                guard id == counts.count + 1, let vector = SparseVector(idBlob: idBlob, weightBlob: countBlob),
                      vector.ids.allSatisfy({ $0 >= 0 && Int($0) < terms.count }) else {
                    throw CacheFailure(description: "\(previous.fileName): the vector of post \(id) is malformed")
                }
                counts.append((vector.ids, vector.weights))
            }
            guard counts.count == appendedFrom else {
                throw CacheFailure(description: "\(previous.fileName) has \(counts.count) vectors for \(appendedFrom) posts")
            }
            let text = try db.makeStatement(sql: "SELECT title, taxonomy, body, comments FROM post_text WHERE rowid = ?")
            let removed = try changed.map { index -> PostText in
                guard let row = try Row.fetchOne(text, arguments: [index + 1]) else {
                    throw CacheFailure(description: "\(previous.fileName) has no text for post \(index + 1)")
                }
                return PostText(title: row[0], taxonomy: row[1], body: row[2], comments: row[3])
            }
            return (TermCache(terms: terms, surfaces: surfaces, counts: counts), removed)
        }
    }
}
