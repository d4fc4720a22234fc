/// Snippets as HTML. FTS5 marks matches with U+E000 / U+E001 (characters the indexer strips from all text);
/// the text is HTML-escaped first and only then do the markers become `<mark>` tags, so nothing from a post
/// or comment can inject markup.
enum Snippet {
    /// Tokens per snippet (FTS5's maximum is 64).
    static let tokens = 24

    static func html(_ raw: String) -> String {
        var out = ""
        out.reserveCapacity(raw.utf8.count + 32)
        var space = false
        for scalar in raw.unicodeScalars {
            // Line breaks and runs of spaces read as one space in a snippet.
            // ASCII without the Unicode property lookup, which was a quarter of a rare-word search.
            let white = scalar.value < 0x80 ? (scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value)) : scalar.properties.isWhitespace
            if white {
                space = true
                continue
            }
            if space, !out.isEmpty { out += " " }
            space = false
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{E000}": out += "<mark>"
            case "\u{E001}": out += "</mark>"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

}

/// HTML escaping for every value that goes into a page: `& < > " '`. Whitespace runs fold to one space.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        Snippet.html(HighlightMarker.removed(from: text))
    }
}
