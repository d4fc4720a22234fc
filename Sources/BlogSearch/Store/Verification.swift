import Foundation
import GRDB

/// What verifying a generation found. A generation is served, reused by an incremental build, rolled back
/// to, or kept by pruning only when it verifies.
public struct Verification: Sendable {
    /// The content checksum the file carries and matches; nil for a generation built before checksums,
    /// which only `quick_check` vouches for.
    public var checksum: UInt64?
    /// How long verifying took.
    public var seconds: Double
}

extension Generation {
    /// Verifies the file: its content checksum (every byte as the build sealed it, `GenerationSeal`), then
    /// SQLite's `PRAGMA quick_check`.
    /// - Throws: `StoreError.corrupt` saying what failed; `.unreadable` when the file cannot be read at all
    ///   (too many open files, permissions): that says nothing about its content.
    public func verify() throws(StoreError) -> Verification {
        let clock = ContinuousClock()
        let started = clock.now
        let stored = try GenerationSeal.stored(path)
        if stored != 0 {
            let computed = max(try GenerationSeal.checksum(path), 1)
            guard computed == stored else {
                throw .corrupt(path: path, reason: "its content checksum does not match (stored \(Self.hex(stored)), computed "
                               + "\(Self.hex(computed))): the file changed after it was published")
            }
        }
        let path = self.path
        do {
            let queue = try openReadOnly()
            defer { try? queue.close() }
            try queue.inDatabase { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
                guard problems == ["ok"] else {
                    throw StoreError.corrupt(path: path, reason: "quick_check: " + problems.joined(separator: "; "))
                }
                // A header whose checksum fields were zeroed must not pass for a file built before checksums.
                if stored == 0, try db.tableExists("manifest"),
                   let scheme = try String.fetchOne(db, sql: "SELECT value FROM manifest WHERE key = 'checksum'") {
                    throw StoreError.corrupt(path: path, reason: "its manifest says it carries a checksum (\(scheme)), its header holds none")
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
            throw .unreadable(path: path, reason: "\(error)")
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
        return Verification(checksum: stored == 0 ? nil : stored, seconds: (clock.now - started).seconds)
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
