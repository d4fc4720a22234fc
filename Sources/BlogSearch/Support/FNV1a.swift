/// FNV-1a, 64 bit: a fast, stable (unlike `Hasher`) digest for facet tokens, the corpus digest and the hex form of
/// content hashes (which `StreamHasher` computes). Not cryptographic, and not needed to be.
enum FNV1a {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    static func hash(_ text: String, seed: UInt64 = offsetBasis) -> UInt64 {
        var h = seed
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* prime
        }
        return h
    }

    static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
