/// Text with highlighted ranges: a hit's snippet, as data. Whoever shows it escapes the text for its medium
/// and marks the ranges its own way (the server as HTML `<mark>`, the CLI with terminal colours).
public struct HighlightedText: Sendable, Hashable, Codable {
    /// Plain text, whitespace runs folded to one space, none at the end nor at the start outside a highlight.
    public var text: String
    /// The highlighted parts of `text` as UTF-8 byte offsets, in order and not overlapping (a highlight may be
    /// empty).
    public var highlights: [Range<Int>]

    public init(text: String, highlights: [Range<Int>] = []) {
        self.text = text
        self.highlights = highlights
    }

    /// Text without highlights, its whitespace folded as a snippet's is (and any highlight marker removed).
    public static func plain(_ text: String) -> HighlightedText {
        Snippet.highlighted(HighlightMarker.removed(from: text))
    }

    /// `text` in pieces: each run of it with whether it is highlighted, in order (empty highlights included).
    public var pieces: [(text: Substring, highlighted: Bool)] {
        let utf8 = text.utf8
        var pieces: [(text: Substring, highlighted: Bool)] = []
        var offset = 0
        func slice(_ from: Int, _ to: Int) -> Substring {
            Substring(text[utf8.index(utf8.startIndex, offsetBy: from)..<utf8.index(utf8.startIndex, offsetBy: to)])
        }
        for range in highlights {
            if range.lowerBound > offset { pieces.append((slice(offset, range.lowerBound), false)) }
            pieces.append((slice(range.lowerBound, range.upperBound), true))
            offset = range.upperBound
        }
        if offset < utf8.count { pieces.append((slice(offset, utf8.count), false)) }
        return pieces
    }
}

/// Snippets as `HighlightedText`: FTS5's snippet functions mark matches with U+E000 / U+E001 (characters the
/// indexer strips from all text); here the markers become highlight ranges and whitespace runs one space.
enum Snippet {
    /// Tokens per snippet (FTS5's maximum is 64).
    static let tokens = 24

    static func highlighted(_ raw: String) -> HighlightedText {
        var raw = raw
        return raw.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var highlights: [Range<Int>] = []
            var open: Int? = nil
            // Whether anything, text or a marker, came before: whitespace before it is dropped.
            var started = false
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
                if space, started { out.append(0x20) }
                space = false
                started = true
                switch scalar {
                case 0xE000:
                    if open == nil { open = out.count }
                case 0xE001:
                    if let start = open { highlights.append(start..<out.count) }
                    open = nil
                default:
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
                }
                i += length
            }
            if let start = open { highlights.append(start..<out.count) }
            return HighlightedText(text: String(decoding: out, as: UTF8.self), highlights: highlights)
        }
    }

    /// Unicode's White_Space property (what `Unicode.Scalar.Properties.isWhitespace` answers), without the
    /// property lookup.
    @inline(__always) static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
