import CCmark
import Foundation

/// Turns the markup posts are written in into the plain text that is indexed and shown in snippets.
public enum PlainText {
    /// Markdown → plain text: rendered to HTML by cmark (CommonMark's reference parser, linear in its input),
    /// then reduced like HTML. Link text and code are kept as text; images keep nothing (their alt text is
    /// rarely prose). Raw HTML in the Markdown is passed through to be stripped like any other tag.
    public static func fromMarkdown(_ markdown: String) -> String {
        var markdown = markdown
        let html = markdown.withUTF8 { bytes -> String in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return "" }
            let text = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            guard let rendered = cmark_markdown_to_html(text, bytes.count, CMARK_OPT_UNSAFE) else { return "" }
            defer { free(rendered) }
            return String(cString: rendered)
        }
        return fromHTML(html)
    }

    /// HTML (or plain text with some tags and entities, as WordPress exports are) → plain text.
    /// Tags are dropped, block-level tags become line breaks, `<script>` / `<style>` contents are dropped,
    /// entities are decoded, runs of blank lines are folded, and the private-use characters that the
    /// index uses as highlight markers are removed. Works on UTF-8 bytes: all markup is ASCII.
    public static func fromHTML(_ html: String) -> String {
        var html = html
        return html.withUTF8 { s -> String in
            let n = s.count
            // Most comments and many bodies hold no markup at all: then only whitespace is left to fold.
            guard let base = s.baseAddress, memchr(base, 0x3C, n) != nil || memchr(base, 0x26, n) != nil else {
                return normalizeWhitespace(s)
            }
            var out = [UInt8]()
            out.reserveCapacity(n)
            var i = 0
            while i < n {
                let c = s[i]
                if c == UInt8(ascii: "<"), let end = tagEnd(s, from: i) {
                    let name = tagName(s, from: i + 1, to: end)
                    if name == "script" || name == "style" {
                        i = closingTagEnd(s, name: name, from: end + 1) ?? n
                        continue
                    }
                    if blockTags.contains(name) { out.append(UInt8(ascii: "\n")) }
                    i = end + 1
                    continue
                }
                if c == UInt8(ascii: "&"), let (decoded, next) = decodeEntity(s, at: i) {
                    out.append(contentsOf: decoded.utf8)
                    i = next
                    continue
                }
                out.append(c)
                i += 1
            }
            return out.withUnsafeBufferPointer { normalizeWhitespace($0) }
        }
    }

    /// Collapses spaces inside lines, trims lines, keeps at most one blank line between paragraphs,
    /// and strips the highlight marker characters.
    static func normalizeWhitespace(_ s: UnsafeBufferPointer<UInt8>) -> String {
        // Written straight into the string's storage: the output is never longer than the input.
        String(unsafeUninitializedCapacity: max(s.count, 1)) { out in
            var count = 0
            var space = false
            var newlines = 0
            var i = 0
            let n = s.count
            /// Before the next visible character: the blank lines (at most one) or the space folded so far.
            @inline(__always) func separate() {
                if count > 0 {
                    if newlines >= 2 {
                        out[count] = UInt8(ascii: "\n")
                        out[count + 1] = UInt8(ascii: "\n")
                        count += 2
                    } else if newlines == 1 {
                        out[count] = UInt8(ascii: "\n")
                        count += 1
                    } else if space {
                        out[count] = UInt8(ascii: " ")
                        count += 1
                    }
                }
                space = false
                newlines = 0
            }
            while i < n {
                let c = s[i]
                // A run of printable ASCII (most of any text): copied in a tight loop.
                if c > 0x20 && c < 0x7F {
                    separate()
                    var j = i
                    repeat {
                        out[count] = s[j]
                        count += 1
                        j += 1
                    } while j < n && s[j] > 0x20 && s[j] < 0x7F
                    i = j
                    continue
                }
                if c == UInt8(ascii: "\n") {
                    newlines += 1
                    i += 1
                    continue
                }
                let width = whitespaceWidth(s, i)
                if width > 0 {
                    space = true
                    i += width
                    continue
                }
                separate()
                out[count] = c
                count += 1
                i += 1
            }
            return count
        }
    }

    /// Bytes of the whitespace (or highlight marker) character starting at `i`, or 0.
    @inline(__always)
    private static func whitespaceWidth(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = s[i]
        if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0B || c == 0x0C { return 1 }
        if c < 0xC2 { return 0 }
        let n = s.count
        if c == 0xC2, i + 1 < n, s[i + 1] == 0xA0 || s[i + 1] == 0x85 { return 2 }          // NBSP, NEL
        guard i + 2 < n else { return 0 }
        let (b, d) = (s[i + 1], s[i + 2])
        if c == 0xE2, b == 0x80, (0x80...0x8A).contains(d) || d == 0xA8 || d == 0xA9 || d == 0xAF { return 3 }
        if c == 0xE2, b == 0x81, d == 0x9F { return 3 }                                    // medium math space
        if c == 0xE3, b == 0x80, d == 0x80 { return 3 }                                    // ideographic space
        if c == 0xE1, b == 0x9A, d == 0x80 { return 3 }                                    // ogham space
        if c == 0xEE, b == 0x80, d == 0x80 || d == 0x81 { return 3 }                       // U+E000/U+E001 markers
        return 0
    }


    // MARK: - Tags

    private static let blockTags: Set<String> = [
        "p", "/p", "br", "br/", "div", "/div", "li", "/li", "ul", "/ul", "ol", "/ol", "h1", "/h1", "h2", "/h2",
        "h3", "/h3", "h4", "/h4", "h5", "/h5", "h6", "/h6", "pre", "/pre", "blockquote", "/blockquote", "tr", "/tr",
        "td", "/td", "th", "/th", "table", "/table", "hr", "hr/", "section", "/section", "article", "/article",
        "figure", "/figure", "figcaption", "/figcaption", "dt", "/dt", "dd", "/dd",
    ]

    private static func isASCIILetter(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    /// The index of the `>` closing the tag opened at `start`, when `start` really opens a tag
    /// (`<` followed by a letter, `/`, `!` or `?`); a lone `<` as in "a < b" is text.
    private static func tagEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start + 1 < s.count else { return nil }
        let next = s[start + 1]
        guard isASCIILetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?") else { return nil }
        var quote: UInt8? = nil
        var j = start + 1
        while j < s.count {
            let c = s[j]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                return j
            } else if c == UInt8(ascii: "<") {
                return nil
            }
            j += 1
        }
        return nil
    }

    private static func tagName(_ s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String {
        var name = [UInt8]()
        var j = start
        while j < end {
            let c = s[j]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || (c == UInt8(ascii: "/") && !name.isEmpty) { break }
            name.append(c >= 0x41 && c <= 0x5A ? c + 32 : c)
            j += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    private static func closingTagEnd(_ s: UnsafeBufferPointer<UInt8>, name: String, from start: Int) -> Int? {
        let needle = Array("</\(name)".utf8)
        var j = start
        while j + needle.count <= s.count {
            var match = true
            for k in 0..<needle.count {
                let c = s[j + k]
                if (c >= 0x41 && c <= 0x5A ? c + 32 : c) != needle[k] {
                    match = false
                    break
                }
            }
            if match {
                var e = j + needle.count
                while e < s.count, s[e] != UInt8(ascii: ">") { e += 1 }
                return e < s.count ? e + 1 : s.count
            }
            j += 1
        }
        return nil
    }

    // MARK: - Entities

    /// The character reference at `start` (`&amp;`, `&#233;`, `&#xE9;`) and the index past it, looking no
    /// further than `end`; nil when there is none (a lone `&`, no `;`, an unknown name).
    private static func decodeEntity(_ s: UnsafeBufferPointer<UInt8>, at start: Int, end: Int? = nil) -> (String, Int)? {
        let end = end ?? s.count
        var j = start + 1
        var name = [UInt8]()
        while j < end, j - start <= 32, s[j] != UInt8(ascii: ";") {
            let c = s[j]
            guard isASCIILetter(c) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "#") else { return nil }
            name.append(c)
            j += 1
        }
        guard j < end, s[j] == UInt8(ascii: ";"), !name.isEmpty else { return nil }
        let entity = String(decoding: name, as: UTF8.self)
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
    /// Appends the bytes of `range` with character references decoded (text, not markup: a `<` stays).
    static func appendDecoded(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
        var i = range.lowerBound
        while i < range.upperBound {
            guard let base = s.baseAddress, let hit = memchr(base + i, 0x26, range.upperBound - i) else {
                out.append(contentsOf: s[i..<range.upperBound])
                return
            }
            let amp = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            out.append(contentsOf: s[i..<amp])
            if let (decoded, next) = decodeEntity(s, at: amp, end: range.upperBound) {
                out.append(contentsOf: decoded.utf8)
                i = next
            } else {
                out.append(0x26)
                i = amp + 1
            }
        }
    }

    /// Text with character references decoded and white space folded, tags left as they are.
    static func decodingEntities(_ text: String) -> String {
        var text = text
        return text.withUTF8 { s in
            var out = [UInt8]()
            appendDecoded(s, 0..<s.count, to: &out)
            return out.withUnsafeBufferPointer { normalizeWhitespace($0) }
        }
    }
}
