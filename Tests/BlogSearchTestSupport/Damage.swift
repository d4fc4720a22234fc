import Foundation

/// Damage done to a generation file in place, as a disk or a careless copy would.
package enum Damage {
    /// Inverts `count` bytes of `path` from `offset` on (0xFF past its end).
    package static func invert(_ path: String, at offset: UInt64, count: Int = 1) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        let old = try handle.read(upToCount: count) ?? Data()
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(old.map { ~$0 }) + Data(repeating: 0xFF, count: count - old.count))
        try handle.close()
    }

    /// Damages a page in the middle of the file: b-tree pages, so `quick_check` and FTS5 notice too.
    package static func middlePage(_ path: String) throws {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! UInt64
        try invert(path, at: size / 2 / 8192 * 8192, count: 8192)
    }
}
