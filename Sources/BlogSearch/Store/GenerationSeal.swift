import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The content checksum of a generation file, kept inside the file itself.
///
/// A build seals its file after the last write and verification, before publishing: the XXH64 of every
/// byte of the file — with the 8 bytes that hold the checksum counted as zeros — is written into two fields
/// of the SQLite header that SQLite leaves to applications, `user_version` (offset 60: the high 32 bits)
/// and `application_id` (offset 68: the low 32 bits). Writing them changes no other byte, so the checksum
/// covers the whole file, header included, and a generation stays one file. SQLite never writes to a
/// published generation (read-only, `immutable=1`), so any later change to a byte is damage.
enum GenerationSeal {
    /// The manifest's `checksum` value: how the checksum is computed and where it is kept.
    static let scheme = "xxh64, header bytes 60-63 and 68-71"
    /// Header offsets of the two 4-byte fields that hold the checksum.
    static let fields = [60, 68]
    /// How much of the file is read at a time.
    static let chunk = 4 << 20

    /// Computes the file's checksum and writes it into its header.
    /// - Returns: the checksum written.
    @discardableResult
    static func seal(_ path: String) throws(StoreError) -> UInt64 {
        // Zero is "not sealed" (files built before checksums): a checksum of zero is stored as one.
        let sum = max(try checksum(path), 1)
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .writeFailed(directory: (path as NSString).deletingLastPathComponent, reason: "cannot open \(path) to seal it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        for (index, offset) in fields.enumerated() {
            var word = UInt32(truncatingIfNeeded: sum >> (index == 0 ? 32 : 0)).bigEndian
            guard pwrite(fd, &word, 4, off_t(offset)) == 4 else {
                throw .writeFailed(directory: (path as NSString).deletingLastPathComponent, reason: "cannot seal \(path): \(String(cString: strerror(errno)))")
            }
        }
        return sum
    }

    /// The checksum stored in the file's header; 0 when the file was never sealed.
    static func stored(_ path: String) throws(StoreError) -> UInt64 {
        let fd = try openForReading(path)
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 100, 0) }
        guard count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw .corrupt(path: path, reason: count < 0 ? String(cString: strerror(errno)) : "it does not start with an SQLite header")
        }
        return fields.reduce(UInt64(0)) { sum, offset in
            (sum << 32) | header[offset..<offset + 4].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        }
    }

    /// XXH64 of the file's bytes, the checksum fields read as zeros.
    static func checksum(_ path: String) throws(StoreError) -> UInt64 {
        let fd = try openForReading(path)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = XXH64()
        var offset: off_t = 0
        while true {
            // Fill the whole buffer (a read may return less), so that only the last chunk has a tail.
            var filled = 0
            while filled < chunk {
                let count = pread(fd, buffer.baseAddress! + filled, chunk - filled, offset + off_t(filled))
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
                if count == 0 { break }
                filled += count
            }
            if offset == 0 {
                for field in fields where field + 4 <= filled { for i in field..<field + 4 { buffer[i] = 0 } }
            }
            hasher.add(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
            offset += off_t(filled)
            if filled < chunk { break }
        }
        return hasher.finish()
    }

    private static func openForReading(_ path: String) throws(StoreError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        return fd
    }
}

/// XXH64 (xxHash's 64-bit hash, seed 0), streaming: four lanes over 32-byte stripes, so that the
/// multiplications of a stripe run in parallel. Every chunk but the last must be a multiple of 32 bytes.
struct XXH64 {
    private static let p1: UInt64 = 11_400_714_785_074_694_791
    private static let p2: UInt64 = 14_029_467_366_897_019_727
    private static let p3: UInt64 = 1_609_587_929_392_839_161
    private static let p4: UInt64 = 9_650_029_242_287_828_579
    private static let p5: UInt64 = 2_870_177_450_012_600_261

    private var lanes = (p1 &+ p2, p2, UInt64(0), 0 &- p1)
    private var length: UInt64 = 0
    private var tail: [UInt8] = []

    @inline(__always)
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotate(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always)
    private static func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        precondition(tail.isEmpty, "XXH64: only the last chunk may have a tail")
        length += UInt64(bytes.count)
        let stripes = bytes.count / 32
        var (v1, v2, v3, v4) = lanes
        if let base = bytes.baseAddress {
            for stripe in 0..<stripes {
                let p = base + stripe * 32
                v1 = Self.round(v1, UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
                v2 = Self.round(v2, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                v3 = Self.round(v3, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
                v4 = Self.round(v4, UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
            }
        }
        lanes = (v1, v2, v3, v4)
        tail = Array(bytes[(stripes * 32)...])
    }

    func finish() -> UInt64 {
        var h: UInt64
        if length >= 32 {
            let (v1, v2, v3, v4) = lanes
            h = Self.rotate(v1, 1) &+ Self.rotate(v2, 7) &+ Self.rotate(v3, 12) &+ Self.rotate(v4, 18)
            for v in [v1, v2, v3, v4] { h = (h ^ Self.round(0, v)) &* Self.p1 &+ Self.p4 }
        } else {
            h = Self.p5
        }
        h &+= length
        var i = 0
        func word(_ size: Int) -> UInt64 { tail[i..<i + size].reversed().reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } }
        while tail.count - i >= 8 {
            h = Self.rotate(h ^ Self.round(0, word(8)), 27) &* Self.p1 &+ Self.p4
            i += 8
        }
        if tail.count - i >= 4 {
            h = Self.rotate(h ^ (word(4) &* Self.p1), 23) &* Self.p2 &+ Self.p3
            i += 4
        }
        while i < tail.count {
            h = Self.rotate(h ^ (UInt64(tail[i]) &* Self.p5), 11) &* Self.p1
            i += 1
        }
        h ^= h >> 33
        h &*= Self.p2
        h ^= h >> 29
        h &*= Self.p3
        h ^= h >> 32
        return h
    }
}
