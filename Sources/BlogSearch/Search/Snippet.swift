/// Snippets as HTML. FTS5 marks matches with U+E000 / U+E001 (characters the indexer strips from all text);
/// the text is HTML-escaped first and only then do the markers become `<mark>` tags, so nothing from a post
/// or comment can inject markup.
enum Snippet {
    /// Tokens per snippet (FTS5's maximum is 64).
    static let tokens = 24

    static func html(_ raw: String) -> String {
        var raw = raw
        return raw.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 32)
            var space = false
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                // One scalar: its UTF-8 length from the lead byte (the text is valid UTF-8: it is a String).
                let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                var scalar = UInt32(byte)
                if length > 1 {
                    scalar = UInt32(byte) & (0xFF >> (length + 1))
                    for k in 1..<length { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
                }
                // Line breaks and runs of spaces read as one space in a snippet.
                if Self.isWhitespace(scalar) {
                    space = true
                    i += length
                    continue
                }
                if space, !out.isEmpty { out.append(0x20) }
                space = false
                switch scalar {
                case 0x26: out += Self.amp
                case 0x3C: out += Self.lt
                case 0x3E: out += Self.gt
                case 0x22: out += Self.quot
                case 0x27: out += Self.apos
                case 0xE000: out += Self.markOpen
                case 0xE001: out += Self.markClose
                default: out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
                }
                i += length
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Unicode's White_Space property (what `Unicode.Scalar.Properties.isWhitespace` answers), without the
    /// property lookup, which was a quarter of a rare-word search.
    @inline(__always) static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)
    private static let markOpen = Array("<mark>".utf8), markClose = Array("</mark>".utf8)
}

/// HTML escaping for every value that goes into a page: `& < > " '`. Whitespace runs fold to one space.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        Snippet.html(HighlightMarker.removed(from: text))
    }
}
