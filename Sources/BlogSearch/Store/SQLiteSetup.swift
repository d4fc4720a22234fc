import CSQLiteExtras
import GRDB

/// Connections as blogsearch opens them: SQLite configured once per process, FTS5 functions registered.
enum SQLiteSetup {
    /// Runs `blogsearch_sqlite_configure` before the first connection of the process.
    private static let configured: Int32 = blogsearch_sqlite_configure()

    static func configuration(readonly: Bool) -> Configuration {
        _ = configured
        var config = Configuration()
        config.readonly = readonly
        config.label = readonly ? "blogsearch.reader" : "blogsearch.builder"
        config.prepareDatabase { db in
            let rc = blogsearch_register_functions(db.sqliteConnection)
            if rc != SQLITE_OK {
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "cannot register blogsearch's FTS5 functions (is FTS5 built in?)")
            }
        }
        return config
    }

    /// A published generation never changes: `immutable=1` lets SQLite skip locking and journal checks.
    static func immutableURI(_ path: String) -> String {
        let escaped = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
            .replacingOccurrences(of: "#", with: "%23")
        return "file:\(escaped)?immutable=1"
    }
}
