import Ink

/// Turns the markup posts are written in into the plain text that is indexed and shown in snippets.
public enum PlainText {
    /// Markdown → plain text: rendered with Ink, then reduced like HTML. Link text and code are kept as text;
    /// images keep nothing (their alt text is rarely prose).
    public static func fromMarkdown(_ markdown: String) -> String {
        let html = MarkdownParser().html(from: markdown)
        return fromHTML(html)
    }

    /// HTML (or plain text with some tags and entities, as WordPress exports are) → plain text.
    /// Tags are dropped, block-level tags become line breaks, `<script>` / `<style>` contents are dropped,
    /// entities are decoded, runs of blank lines are folded, and the private-use characters that the
    /// index uses as highlight markers are removed.
    public static func fromHTML(_ html: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(html.unicodeScalars)
        var i = 0
        let n = scalars.count
        while i < n {
            let c = scalars[i]
            if c == "<", let end = tagEnd(scalars, from: i) {
                let name = tagName(scalars, from: i + 1, to: end)
                if name == "script" || name == "style" {
                    i = closingTagEnd(scalars, name: name, from: end + 1) ?? n
                    continue
                }
                if blockTags.contains(name) { out.append("\n") }
                i = end + 1
                continue
            }
            if c == "&", let (decoded, next) = decodeEntity(scalars, at: i) {
                out.append(contentsOf: decoded.unicodeScalars)
                i = next
                continue
            }
            out.append(c)
            i += 1
        }
        return normalizeWhitespace(String(out))
    }

    /// Collapses spaces inside lines, trims lines, keeps at most one blank line between paragraphs,
    /// and strips the highlight marker characters.
    static func normalizeWhitespace(_ text: String) -> String {
        var lines: [String] = []
        var blank = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = raw.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace || isMarker($0) })
            if words.isEmpty {
                blank = !lines.isEmpty
                continue
            }
            if blank { lines.append("") }
            blank = false
            lines.append(words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// U+E000 and U+E001 mark highlights inside FTS5 snippets; they must never come from the text itself.
    static func isMarker(_ scalar: Unicode.Scalar) -> Bool { scalar.value == 0xE000 || scalar.value == 0xE001 }

    // MARK: - Tags

    private static let blockTags: Set<String> = [
        "p", "/p", "br", "br/", "div", "/div", "li", "/li", "ul", "/ul", "ol", "/ol", "h1", "/h1", "h2", "/h2",
        "h3", "/h3", "h4", "/h4", "h5", "/h5", "h6", "/h6", "pre", "/pre", "blockquote", "/blockquote", "tr", "/tr",
        "td", "/td", "th", "/th", "table", "/table", "hr", "hr/", "section", "/section", "article", "/article",
        "figure", "/figure", "figcaption", "/figcaption", "dt", "/dt", "dd", "/dd",
    ]

    /// The index of the `>` closing the tag opened at `start`, when `start` really opens a tag
    /// (`<` followed by a letter, `/`, `!` or `?`); a lone `<` as in "a < b" is text.
    private static func tagEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 1 < s.count else { return nil }
        let next = s[start + 1]
        guard next.properties.isAlphabetic || next == "/" || next == "!" || next == "?" else { return nil }
        var quote: Unicode.Scalar? = nil
        var j = start + 1
        while j < s.count {
            let c = s[j]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return j
            } else if c == "<" {
                return nil
            }
            j += 1
        }
        return nil
    }

    private static func tagName(_ s: [Unicode.Scalar], from start: Int, to end: Int) -> String {
        var name = String.UnicodeScalarView()
        var j = start
        while j < end {
            let c = s[j]
            if c.properties.isWhitespace || (c == "/" && !name.isEmpty) { break }
            name.append(c)
            j += 1
        }
        return String(name).lowercased()
    }

    private static func closingTagEnd(_ s: [Unicode.Scalar], name: String, from start: Int) -> Int? {
        let needle = Array("</\(name)".unicodeScalars)
        var j = start
        while j + needle.count <= s.count {
            var match = true
            for k in 0..<needle.count where Character(s[j + k]).lowercased() != String(needle[k]) {
                match = false
                break
            }
            if match, let end = s[j...].firstIndex(of: ">") { return end + 1 }
            j += 1
        }
        return nil
    }

    // MARK: - Entities

    private static func decodeEntity(_ s: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        var j = start + 1
        var name = String.UnicodeScalarView()
        while j < s.count, j - start <= 32, s[j] != ";" {
            let c = s[j]
            guard c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "#" else { return nil }
            name.append(c)
            j += 1
        }
        guard j < s.count, s[j] == ";", !name.isEmpty else { return nil }
        let entity = String(name)
        if entity.hasPrefix("#") {
            let digits = entity.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let v = value, let scalar = Unicode.Scalar(v), v != 0 else { return nil }
            return (String(Character(scalar)), j + 1)
        }
        guard let decoded = namedEntities[entity] else { return nil }
        return (decoded, j + 1)
    }

    /// The named entities met in real blog exports (HTML5 has ~2,000; these cover prose and punctuation).
    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ensp": " ", "emsp": " ",
        "thinsp": " ", "mdash": "—", "ndash": "–", "hellip": "…", "lsquo": "‘", "rsquo": "’", "sbquo": "‚",
        "ldquo": "“", "rdquo": "”", "bdquo": "„", "laquo": "«", "raquo": "»", "lsaquo": "‹", "rsaquo": "›",
        "bull": "•", "middot": "·", "copy": "©", "reg": "®", "trade": "™", "deg": "°", "plusmn": "±",
        "times": "×", "divide": "÷", "frac12": "½", "frac14": "¼", "frac34": "¾", "euro": "€", "pound": "£",
        "yen": "¥", "cent": "¢", "sect": "§", "para": "¶", "dagger": "†", "Dagger": "‡", "prime": "′",
        "Prime": "″", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "harr": "↔", "rArr": "⇒", "hearts": "♥",
        "check": "✓", "iexcl": "¡", "iquest": "¿", "shy": "", "zwj": "", "zwnj": "",
        "aacute": "á", "Aacute": "Á", "agrave": "à", "Agrave": "À", "acirc": "â", "Acirc": "Â", "auml": "ä",
        "Auml": "Ä", "atilde": "ã", "Atilde": "Ã", "aring": "å", "Aring": "Å", "aelig": "æ", "AElig": "Æ",
        "ccedil": "ç", "Ccedil": "Ç", "eacute": "é", "Eacute": "É", "egrave": "è", "Egrave": "È", "ecirc": "ê",
        "Ecirc": "Ê", "euml": "ë", "Euml": "Ë", "iacute": "í", "Iacute": "Í", "igrave": "ì", "Igrave": "Ì",
        "icirc": "î", "Icirc": "Î", "iuml": "ï", "Iuml": "Ï", "ntilde": "ñ", "Ntilde": "Ñ", "oacute": "ó",
        "Oacute": "Ó", "ograve": "ò", "Ograve": "Ò", "ocirc": "ô", "Ocirc": "Ô", "ouml": "ö", "Ouml": "Ö",
        "otilde": "õ", "Otilde": "Õ", "oslash": "ø", "Oslash": "Ø", "oelig": "œ", "OElig": "Œ", "szlig": "ß",
        "uacute": "ú", "Uacute": "Ú", "ugrave": "ù", "Ugrave": "Ù", "ucirc": "û", "Ucirc": "Û", "uuml": "ü",
        "Uuml": "Ü", "yacute": "ý", "Yacute": "Ý", "yuml": "ÿ",
    ]
}

extension PlainText {
    /// Removes the highlight marker characters (U+E000, U+E001) from text about to be indexed.
    static func withoutMarkers(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isMarker) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { !isMarker($0) })
        return String(scalars)
    }
}
