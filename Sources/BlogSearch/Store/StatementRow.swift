import CSQLiteExtras
import Foundation
import GRDB

/// The current row of a statement, read through SQLite's C API. Valid only inside `Statement.firstRow`'s
/// closure: text and blobs point into SQLite's memory until the statement is reset.
package struct StatementRow {
    fileprivate let statement: OpaquePointer

    package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    /// The column's text; nil when it is NULL.
    package func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    /// The column's bytes (empty for NULL or an empty blob), without copying them.
    package func withBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let pointer = sqlite3_column_blob(statement, column)
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : Int(sqlite3_column_bytes(statement, column))))
    }
}

extension Statement {
    /// Binds `text` (when given, as the first parameter) and `id` (the next), steps once, calls `read` with the
    /// row, and resets the statement. For lookups made once per hit of a search page, where GRDB's `Row` and
    /// argument arrays would cost more than SQLite's own work.
    /// - Returns: nil when the statement yields no row.
    /// - Throws: `DatabaseError` with SQLite's result code (SQLITE_CORRUPT stays recognisable).
    package func firstRow<T>(id: Int64, after text: String? = nil, _ read: (StatementRow) throws -> T) throws -> T? {
        try firstRow(read) { statement in
            var code = SQLITE_OK
            if let text { code = bind(text, at: 1) }
            return code == SQLITE_OK ? sqlite3_bind_int64(statement, text == nil ? 1 : 2, id) : code
        }
    }

    /// `firstRow(id:after:_:)` for a statement whose one parameter is `text`.
    package func firstRow<T>(text: String, _ read: (StatementRow) throws -> T) throws -> T? {
        try firstRow(read) { _ in bind(text, at: 1) }
    }

    /// Binds `text`, then calls `read` with each row until it returns false or the rows end; resets the
    /// statement.
    package func forEachRow(text: String, _ read: (StatementRow) throws -> Bool) throws {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        var code = bind(text, at: 1)
        while code == SQLITE_OK || code == SQLITE_ROW {
            code = sqlite3_step(statement)
            guard code == SQLITE_ROW else { break }
            guard try read(StatementRow(statement: statement)) else { return }
        }
        guard code == SQLITE_DONE else { throw DatabaseError.sqlite(code, on: sqlite3_db_handle(statement), sql: sql) }
    }

    private func bind(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { sqlite3_bind_text(sqliteStatement, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT_DESTRUCTOR) }
    }

    private func firstRow<T>(_ read: (StatementRow) throws -> T, binding: (OpaquePointer) -> Int32) throws -> T? {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        var code = binding(statement)
        if code == SQLITE_OK { code = sqlite3_step(statement) }
        switch code {
        case SQLITE_ROW:
            return try read(StatementRow(statement: statement))
        case SQLITE_DONE:
            return nil
        default:
            throw DatabaseError.sqlite(code, on: sqlite3_db_handle(statement), sql: sql)
        }
    }
}

extension DatabaseError {
    /// The error of a call made through SQLite's C API: its result code and the connection's message.
    package static func sqlite(_ code: Int32, on connection: OpaquePointer?, sql: String? = nil) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: sql)
    }
}

/// SQLite's SQLITE_TRANSIENT: bound values are copied before the bind call returns.
private let SQLITE_TRANSIENT_DESTRUCTOR = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
