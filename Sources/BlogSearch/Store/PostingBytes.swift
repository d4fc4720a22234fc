/// The byte encodings of one posting, as `PostingsFormat` (Store) lays them out and the build's token pass
/// (`PostTokens`, Analysis) writes them: unsigned LEB128 varints, little-endian UInt32s, and the freqs bytes
/// of one posting's counts per text column.
enum PostingBytes {
    /// Text columns a posting counts: title, taxonomy, body, comments (`BS_TEXT_COLUMNS`).
    static let columns = 4

    static func appendVarint(_ value: UInt32, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// One posting's freqs bytes for its counts per text column (at least one positive): one byte, the column
    /// mask in the low 4 bits and the first present column's count in the high 4 (15: 15 plus a varint that
    /// follows), then a varint count for each further present column.
    static func appendFreqs(_ tf: (Int32, Int32, Int32, Int32), to bytes: inout [UInt8]) {
        let mask = UInt8(tf.0 > 0 ? 1 : 0) | (tf.1 > 0 ? 2 : 0) | (tf.2 > 0 ? 4 : 0) | (tf.3 > 0 ? 8 : 0)
        guard mask != 0 else { return }
        var first = true
        func put(_ n: Int32) {
            guard n > 0 else { return }
            if first {
                bytes.append(mask | UInt8(min(n, 15)) << 4)
                if n >= 15 { appendVarint(UInt32(n - 15), to: &bytes) }
                first = false
            } else {
                appendVarint(UInt32(n), to: &bytes)
            }
        }
        put(tf.0)
        put(tf.1)
        put(tf.2)
        put(tf.3)
    }

    /// The counts per text column of the freqs bytes at `offset`, which moves past them.
    @inline(__always)
    static func readFreqs(_ bytes: UnsafeBufferPointer<UInt8>, at offset: inout Int) -> (Int32, Int32, Int32, Int32) {
        let b0 = bytes[offset]
        offset += 1
        let mask = b0 & 15
        var first = Int32(b0 >> 4)
        if first == 15 { first += Int32(readVarint(bytes, at: &offset)) }
        var counts: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        var seen = false
        @inline(__always) func next() -> Int32 {
            defer { seen = true }
            return seen ? Int32(readVarint(bytes, at: &offset)) : first
        }
        if mask & 1 != 0 { counts.0 = next() }
        if mask & 2 != 0 { counts.1 = next() }
        if mask & 4 != 0 { counts.2 = next() }
        if mask & 8 != 0 { counts.3 = next() }
        return counts
    }

    @inline(__always)
    static func readVarint(_ bytes: UnsafeBufferPointer<UInt8>, at offset: inout Int) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while offset < bytes.count {
            let b = bytes[offset]
            offset += 1
            value |= UInt32(b & 0x7f) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return value
    }
}
