import CSQLiteExtras
import Foundation
import GRDB

/// The analytics file: one SQLite table of reader searches (`SearchRecord`), next to the generations in the
/// `indexes/` folder but never one of them (its name is not `gen-NNNNNN.sqlite`, so listing, pruning and rollback
/// never see it). The server appends batches (`append`); `blogsearch analytics` reads it (`report`) while the
/// server writes, through WAL.
///
/// Bounded: after each batch the oldest rows beyond `maxRows` are deleted (their pages are reused, so the file
/// stops growing near `maxRows` rows).
public final class AnalyticsStore: Sendable {
    public static let fileName = "analytics.sqlite"
    /// The rows kept by default: about 45 MB of one- to three-word queries, 245 MB if every query had the
    /// 200 characters kept (measured with the same table and index).
    public static let maxRowsDefault = 1_000_000
    /// `PRAGMA user_version` of the file's layout.
    static let formatVersion = 1

    static let schema = """
        CREATE TABLE searches (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            query TEXT NOT NULL,
            hits INTEGER NOT NULL,
            corrected_query TEXT
        );
        CREATE INDEX searches_time ON searches(time);
        """

    /// The analytics file of an `indexes/` folder.
    public static func path(inIndexes directory: String) -> String {
        (directory as NSString).appendingPathComponent(fileName)
    }

    public let path: String
    let queue: DatabaseQueue

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    /// Opens the file to record searches in, creating it when missing. An existing file is checked read-only
    /// first, so that a file of another kind (a generation named by mistake) is never changed.
    /// - Throws: `.unopenable` when it cannot be opened or created, `.notAnalytics` when it is another kind of file.
    public static func openForRecording(path: String) throws(AnalyticsError) -> AnalyticsStore {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > 0 { _ = try openForReading(path: path) }
        var config = configuration(readonly: false)
        config.journalMode = .wal
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                if version == 0 && tables == 0 {
                    try db.execute(sql: schema + "PRAGMA user_version = \(formatVersion);")
                }
            }
        } catch {
            throw classify(error, path: path, otherwise: AnalyticsError.unopenable)
        }
        let store = AnalyticsStore(path: path, queue: queue)
        try store.checkFormat()
        return store
    }

    /// Opens an existing file read-only (the server may be writing it).
    /// - Returns: nil when there is no file at `path`.
    /// - Throws: `.unopenable` or `.notAnalytics`.
    public static func openForReading(path: String) throws(AnalyticsError) -> AnalyticsStore? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let store: AnalyticsStore
        do {
            store = AnalyticsStore(path: path, queue: try DatabaseQueue(path: path, configuration: configuration(readonly: true)))
        } catch {
            throw classify(error, path: path, otherwise: AnalyticsError.unopenable)
        }
        try store.checkFormat()
        return store
    }

    private static func configuration(readonly: Bool) -> Configuration {
        // SQLite's process-wide settings must come before its first connection, whichever opens first.
        _ = blogsearch_sqlite_configure()
        var config = Configuration()
        config.readonly = readonly
        config.label = "blogsearch.analytics"
        // Another process holding the file (a reader checkpointing, a second server) is waited for briefly; past
        // that the batch is lost, not a search.
        config.busyMode = .timeout(0.5)
        return config
    }

    /// - Throws: `.notAnalytics` unless the file has this layout (a generation given by mistake is never written).
    private func checkFormat() throws(AnalyticsError) {
        do {
            let (version, columns) = try queue.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                 try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('searches') ORDER BY cid"))
            }
            guard version == AnalyticsStore.formatVersion, columns == ["id", "time", "query", "hits", "corrected_query"] else {
                throw AnalyticsError.notAnalytics(path: path, reason: columns.isEmpty ? "it has no searches table"
                                                  : "its layout is version \(version), this blogsearch writes \(AnalyticsStore.formatVersion)")
            }
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw AnalyticsStore.classify(error, path: path, otherwise: AnalyticsError.unreadable)
        }
    }

    /// Appends `records` in one transaction, then deletes the oldest rows beyond `maxRows`.
    /// - Throws: `.writeFailed` (a full disk, a locked or read-only file), `.notAnalytics` (the file was damaged);
    ///   nothing of the batch is kept.
    public func append(_ records: [SearchRecord], maxRows: Int = AnalyticsStore.maxRowsDefault) throws(AnalyticsError) {
        do {
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO searches (time, query, hits, corrected_query) VALUES (?, ?, ?, ?)")
                for record in records {
                    try insert.execute(arguments: [record.time, record.query, record.hits, record.correctedQuery])
                }
                // Rows are appended in id order and only ever deleted from the oldest end, so the ids kept are
                // the newest `maxRows` ones.
                try db.execute(sql: "DELETE FROM searches WHERE id <= (SELECT max(id) FROM searches) - ?", arguments: [maxRows])
            }
        } catch {
            throw AnalyticsStore.classify(error, path: path, otherwise: AnalyticsError.writeFailed)
        }
    }

    /// SQLite's verdict on the file itself (`SQLITE_NOTADB`, `SQLITE_CORRUPT`) is `.notAnalytics`; anything
    /// else (the disk, locks, permissions) is `otherwise`, with SQLite's message.
    static func classify(_ error: any Error, path: String, otherwise: (String, String) -> AnalyticsError) -> AnalyticsError {
        if let error = error as? DatabaseError {
            let reason = error.message ?? "\(error.resultCode)"
            if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
                return .notAnalytics(path: path, reason: reason)
            }
            return otherwise(path, reason)
        }
        return otherwise(path, "\(error)")
    }
}
