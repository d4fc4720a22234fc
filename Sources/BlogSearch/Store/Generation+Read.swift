import GRDB

extension Generation {
    /// The one way a published generation is opened for reading: read-only and immutable (`immutable=1`: no
    /// locks, no journal checks — a published generation never changes), with blogsearch's FTS5 functions.
    package func openReadOnly() throws -> DatabaseQueue {
        try DatabaseQueue(path: SQLiteSetup.immutableURI(path), configuration: SQLiteSetup.configuration(readonly: true))
    }

    /// The generation's manifest, checked (`Manifest.read`).
    /// - Throws: `StoreError.corrupt` when the file does not open as an index, `.formatVersion` when another
    ///   format wrote it.
    public func manifest() throws(StoreError) -> Manifest {
        do {
            let queue = try openReadOnly()
            defer { try? queue.close() }
            return try queue.read { db in try Manifest.read(db, path: path) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
    }
}

extension Manifest {
    /// Reads the manifest of the generation open in `db` and checks it: the table exists, the format is the
    /// one this blogsearch reads, every key is there.
    /// - Throws: `StoreError.corrupt`, `.formatVersion`, or SQLite's error.
    package static func read(_ db: Database, path: String) throws -> Manifest {
        guard try db.tableExists("manifest") else {
            throw StoreError.corrupt(path: path, reason: "it has no manifest table; it is not a blogsearch index")
        }
        var rows: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM manifest") {
            rows[row["key"]] = row["value"]
        }
        if let version = rows["formatVersion"].flatMap(Int.init), version != Schema.formatVersion {
            throw StoreError.formatVersion(path: path, found: version, expected: Schema.formatVersion)
        }
        do {
            return try Manifest(rows: rows)
        } catch {
            throw StoreError.corrupt(path: path, reason: "its manifest lacks a valid '\(error.key)'")
        }
    }
}
