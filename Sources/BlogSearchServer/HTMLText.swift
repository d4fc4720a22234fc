import BlogSearch

/// HTML for every value that goes into a page or a JSON snippet: the text escaped (`& < > " '`), and only then
/// the highlights marked with `<mark>`, so nothing from a post or comment can inject markup.
public enum HTMLText {
    /// `text` escaped, its whitespace runs folded to one space (as a snippet's are).
    public static func escape(_ text: String) -> String {
        marked(.plain(text))
    }

    /// The text escaped, each highlight in `<mark>…</mark>`.
    public static func marked(_ highlighted: HighlightedText) -> String {
        var text = highlighted.text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16 * highlighted.highlights.count + 16)
            var offset = 0
            func escaped(_ end: Int) {
                while offset < end {
                    switch bytes[offset] {
                    case 0x26: out += amp
                    case 0x3C: out += lt
                    case 0x3E: out += gt
                    case 0x22: out += quot
                    case 0x27: out += apos
                    default: out.append(bytes[offset])
                    }
                    offset += 1
                }
            }
            for range in highlighted.highlights {
                escaped(range.lowerBound)
                out += markOpen
                escaped(range.upperBound)
                out += markClose
            }
            escaped(bytes.count)
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)
    private static let markOpen = Array("<mark>".utf8), markClose = Array("</mark>".utf8)
}
