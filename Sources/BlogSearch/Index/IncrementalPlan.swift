import Foundation
import GRDB

/// How a build reuses the previous generation: which posts it copies as they are and which it writes.
///
/// The text index is the build's longest part (one thread; 100k posts: minutes). When the posts keep the ids
/// they had (ids follow date order, so: no post removed, none added before the newest, no date moved),
/// the build copies the current generation and rewrites only the posts whose content hash changed, appending
/// new ones. FTS5 keeps row counts and column totals exact under delete and insert, so ranking, snippets
/// and filters answer exactly as from a full build. The vectors and related lists depend on every post
/// (document frequencies), so they are always recomputed from the whole corpus. Anything else — a removed
/// or inserted post, another format or tokenizer, an unreadable generation — makes a full build, and the
/// reason is reported.
struct IncrementalPlan: Sendable {
    /// The generation copied.
    var previous: Generation
    /// Indexes (into the date-ordered posts) of posts whose content changed.
    var changed: [Int]
    /// Posts from this index on are new, appended after the previous generation's newest.
    var appendedFrom: Int
    /// The first free comment id in the previous generation.
    var nextCommentID: Int64

    var reused: Int { appendedFrom - changed.count }

    enum Decision: Sendable {
        case incremental(IncrementalPlan)
        case full(reason: String)
    }

    /// - Parameters:
    ///   - posts: the corpus in date order (the ids a full build would give: index + 1).
    ///   - hashes: their content hashes.
    static func decide(store: GenerationStore, posts: [Post], hashes: [String]) -> Decision {
        guard let current = try? store.current() else { return .full(reason: "there is no previous generation") }
        let rows: [(slug: String, hash: String)]
        let nextComment: Int64
        do {
            let queue = try DatabaseQueue(path: SQLiteSetup.immutableURI(current.path), configuration: SQLiteSetup.configuration(readonly: true))
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
            guard read.manifest["tokenizer"] == Schema.tokenizer else { return .full(reason: "\(current.fileName) has another tokenizer") }
            rows = read.rows.map { (slug: $0.0, hash: $0.1) }
            nextComment = read.next
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
        return .incremental(IncrementalPlan(previous: current, changed: changed, appendedFrom: rows.count, nextCommentID: nextComment))
    }
}
