import Foundation

/// A tolerant HTML parser for the pages of a built static site: one pass over the UTF-8 bytes, in time
/// linear in their number, into a flat tree of elements and text.
///
/// It follows HTML where pages depend on it: tag and attribute names are case-insensitive, attribute values
/// may be unquoted, void elements (`<br>`, `<meta>`, `<img>`…) have no end tag, `<script>`, `<style>` and the
/// other raw-text elements end only at their own end tag (a `"</div>"` in a script is script), comments,
/// doctypes and CDATA are read whole, an end tag closes what is still open inside its element, an end tag
/// with nothing to close is ignored, and `<li>`, `<p>`, `<dt>`, `<dd>`, `<tr>`, `<td>`, `<th>`, `<option>`
/// close the one before them; an `<a>` closes an open `<a>`. A lone `<` (as in "a < b") is text. The file ending inside a tag, a comment or
/// a quoted attribute value is reported (`cutShort`), with where that tag or comment opened.
///
/// Nodes are in document order; an element's descendants are the nodes after it up to its `end`, so every
/// walk over a subtree is a loop over a range, never recursion, however deep the page nests.
struct HTMLDocument {
    struct Node {
        /// The element's lowercased name; empty for text.
        var name: String
        /// Lowercased names, values with character references decoded.
        var attributes: [(name: String, value: String)]
        /// For text: its bytes in `bytes`, character references not yet decoded (raw text is never decoded).
        var text: Range<Int>
        /// One past the last node inside this element (for text: its own index + 1).
        var end: Int
        /// The byte offset of its `<` (or of the text).
        var offset: Int
        /// For text: whether it is the content of a raw-text element (`<script>`, `<style>`, `<title>`…).
        var raw = false

        var isText: Bool { name.isEmpty }

        func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

        /// Whether a space-separated attribute (`class`, `rel`, `itemprop`) holds `token`. Only its first 64 KB
        /// are looked at: a page's one monstrous class list must not make every question about it cost its size.
        func has(_ token: String, in attribute: String) -> Bool {
            guard var value = self.attribute(attribute) else { return false }
            return value.withUTF8 { HTMLDocument.contains(token: token, in: UnsafeBufferPointer(rebasing: $0.prefix(65_536))) }
        }
    }

    /// Where the file ends before a construct it opened does.
    struct CutShort: Equatable {
        /// The byte offset where the unfinished construct opened.
        var offset: Int
        /// What it is, in words ("a comment", "the tag <a>").
        var what: String
    }

    let bytes: [UInt8]
    private(set) var nodes: [Node] = []
    private(set) var cutShort: CutShort?

    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]
    /// Elements whose content is text up to their own end tag (`noscript` too: pages are read as with scripts on).
    static let rawTextElements: Set<String> = [
        "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title", "plaintext",
    ]
    /// Elements whose content a reader never sees on the page (raw text other than a title's is never text).
    static let invisible: Set<String> = ["script", "style", "template", "noscript", "iframe", "noembed", "noframes", "xmp", "textarea", "title"]
    /// Starting one of these closes an open `<p>` that is the current element.
    private static let closesParagraph: Set<String> = [
        "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol",
        "p", "pre", "section", "table", "ul",
    ]
    /// An element that closes an open one of the same group when it starts, looking no further up than a
    /// boundary (`<li>` closes an open `<li>` of the same list, not of an outer one).
    private static let closesSibling: [String: (siblings: Set<String>, boundary: Set<String>)] = [
        "li": (["li"], ["ul", "ol", "menu"]),
        "dt": (["dt", "dd"], ["dl"]), "dd": (["dt", "dd"], ["dl"]),
        "tr": (["tr", "td", "th"], ["table", "tbody", "thead", "tfoot"]),
        "td": (["td", "th"], ["tr", "table"]), "th": (["td", "th"], ["tr", "table"]),
        "option": (["option"], ["select", "datalist"]),
    ]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var builder = Builder()
        bytes.withUnsafeBufferPointer { builder.parse($0) }
        nodes = builder.nodes
        cutShort = builder.cutShort
    }

    /// Line and column (in characters, from 1) of a byte offset.
    func position(of offset: Int) -> (line: Int, column: Int) { Self.position(in: bytes, of: offset) }

    static func position(in bytes: [UInt8], of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for i in 0..<min(offset, bytes.count) {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    /// Whether space-separated `list` holds `token` (ASCII case-insensitive), without allocating.
    static func contains(token: String, in list: UnsafeBufferPointer<UInt8>) -> Bool {
        var token = token
        return token.withUTF8 { t in
            var i = 0
            let n = list.count
            while i < n {
                while i < n, byteIsSpace(list[i]) { i += 1 }
                let start = i
                while i < n, !byteIsSpace(list[i]) { i += 1 }
                guard i - start == t.count else { continue }
                var k = 0
                while k < t.count, byteLower(list[start + k]) == byteLower(t[k]) { k += 1 }
                if k == t.count { return true }
            }
            return false
        }
    }

    // MARK: - Text

    /// The visible text of the element at `index` as `PlainText` gives it: character references decoded, a line
    /// break around each block element, white space folded (nil: of the whole page). Elements for which `skip`
    /// answers true are left out with everything inside them; the element itself never is.
    func text(of index: Int?, skip: (Int) -> Bool = { _ in false }) -> String {
        if let index, nodes[index].isText { return decodedText(nodes[index]) }
        let end = index.map { nodes[$0].end } ?? nodes.count
        var out = [UInt8]()
        /// The break owed before the next text: 0 none, 1 a line, 2 a paragraph (blank line).
        var owed = 0
        /// Where each open block element ends, with its break; and where each open `<pre>` ends.
        var blockEnds: [(end: Int, level: Int)] = []
        var preEnds: [Int] = []
        var j = (index ?? -1) + 1
        while j < end {
            while let last = blockEnds.last, last.end <= j {
                blockEnds.removeLast()
                owed = max(owed, last.level)
            }
            while let last = preEnds.last, last <= j { preEnds.removeLast() }
            let child = nodes[j]
            if child.isText {
                if !child.raw || nodes[j - 1].name == "title" {
                    let start = out.count
                    appendText(child, to: &out)
                    if preEnds.isEmpty {
                        // Outside <pre>, a line break in the source is a space.
                        for k in start..<out.count where out[k] == 0x0A || out[k] == 0x0D { out[k] = 0x20 }
                    }
                    if owed > 0, out[start...].contains(where: { $0 > 0x20 }) {
                        out.insert(contentsOf: owed == 2 ? [0x0A, 0x0A] : [0x0A], at: start)
                        owed = 0
                    }
                }
                j += 1
                continue
            }
            if skip(j) || Self.invisible.contains(child.name) {
                j = child.end
                continue
            }
            if let level = Self.breaks[child.name] {
                owed = max(owed, level)
                if child.end > j + 1 { blockEnds.append((child.end, level)) }
            } else if child.name == "td" || child.name == "th" {
                out.append(0x20)
            }
            if child.name == "pre" { preEnds.append(child.end) }
            j += 1
        }
        return out.withUnsafeBufferPointer { PlainText.normalizeWhitespace($0) }
    }

    /// The break around each block element: a line (1) or a paragraph (2).
    static let breaks: [String: Int] = {
        var levels: [String: Int] = [:]
        for name in ["br", "div", "li", "dt", "dd", "tr", "figcaption", "caption", "summary", "legend", "option"] { levels[name] = 1 }
        for name in ["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "menu", "table", "figure",
                     "hr", "section", "article", "header", "footer", "main", "aside", "nav", "details", "address", "fieldset",
                     "hgroup", "form", "center"] { levels[name] = 2 }
        return levels
    }()

    /// The text of one text node, decoded and folded.
    func decodedText(_ node: Node) -> String {
        var out = [UInt8]()
        appendText(node, to: &out)
        return out.withUnsafeBufferPointer { PlainText.normalizeWhitespace($0) }
    }

    private func appendText(_ node: Node, to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { PlainText.appendDecoded($0, node.text, to: &out) }
    }

    /// The raw bytes of a raw-text element's content (a script's JSON), or nil when it has none.
    func rawContent(of index: Int) -> (text: String, offset: Int)? {
        guard index + 1 < nodes.count, nodes[index].end > index + 1, nodes[index + 1].isText else { return nil }
        let range = nodes[index + 1].text
        return (String(decoding: bytes[range], as: UTF8.self), range.lowerBound)
    }

    // MARK: - Parsing

    private struct Builder {
        var nodes: [Node] = []
        var cutShort: CutShort?
        /// Indexes of the open elements, outermost first, and how many of each name are open.
        var open: [Int] = []
        var openCount: [String: Int] = [:]

        mutating func parse(_ s: UnsafeBufferPointer<UInt8>) {
            let n = s.count
            var i = 0
            var textStart = 0
            func flushText(_ to: Int) {
                if to > textStart { addText(textStart..<to, raw: false) }
            }
            while i < n {
                guard let lt = byteIndex(UInt8(ascii: "<"), s, from: i), lt + 1 < n else { break }
                i = lt
                let next = s[i + 1]
                if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                    flushText(i)
                    guard let end = markupDeclarationEnd(s, i) else {
                        cutShort = CutShort(offset: i, what: bytesStart(s, i, "<!--") ? "a comment (<!--)" : "a <! or <? declaration")
                        break
                    }
                    i = end
                    textStart = i
                    continue
                }
                if next == UInt8(ascii: "/"), i + 2 < n, byteIsLetter(s[i + 2]) {
                    flushText(i)
                    var j = i + 2
                    let name = readName(s, &j)
                    guard let close = byteIndex(UInt8(ascii: ">"), s, from: j) else {
                        cutShort = CutShort(offset: i, what: "the end tag </\(name)>")
                        break
                    }
                    endTag(name)
                    i = close + 1
                    textStart = i
                    continue
                }
                guard byteIsLetter(next) else {
                    i += 1
                    continue
                }
                flushText(i)
                guard let (tagEnd, name, attributes, selfClosing) = startTag(s, i) else {
                    cutShort = CutShort(offset: i, what: "the tag <\(tagName(s, i + 1))>")
                    break
                }
                let index = startElement(name, attributes: attributes, offset: i)
                i = tagEnd
                textStart = i
                if HTMLDocument.voidElements.contains(name) || selfClosing {
                    nodes[index].end = nodes.count
                    continue
                }
                push(index)
                if HTMLDocument.rawTextElements.contains(name) {
                    let (contentEnd, after) = rawTextEnd(s, name: name, from: i)
                    if contentEnd > i { addText(i..<contentEnd, raw: true) }
                    if after != nil {
                        endTag(name)
                    } else if name != "plaintext" {
                        cutShort = CutShort(offset: index < nodes.count ? nodes[index].offset : i, what: "the <\(name)> element (no </\(name)>)")
                    }
                    i = after ?? n
                    textStart = i
                }
            }
            if cutShort == nil { flushText(n) }   // else the rest is the unfinished tag or comment, not text
            while !open.isEmpty { pop() }
        }

        // MARK: Elements

        mutating func startElement(_ name: String, attributes: [(name: String, value: String)], offset: Int) -> Int {
            if let rule = HTMLDocument.closesSibling[name] {
                // Bounded look-up: implied ends are near the top of the stack.
                for k in stride(from: open.count - 1, through: max(0, open.count - 8), by: -1) {
                    let openName = nodes[open[k]].name
                    if rule.boundary.contains(openName) { break }
                    if rule.siblings.contains(openName) {
                        while open.count > k { pop() }
                        break
                    }
                }
            }
            if HTMLDocument.closesParagraph.contains(name), let top = open.last, nodes[top].name == "p" { pop() }
            // Links never nest: a new one closes the open one (as browsers do).
            if name == "a" { endTag("a") }
            nodes.append(Node(name: name, attributes: attributes, text: 0..<0, end: nodes.count + 1, offset: offset))
            return nodes.count - 1
        }

        mutating func push(_ index: Int) {
            open.append(index)
            openCount[nodes[index].name, default: 0] += 1
        }

        mutating func pop() {
            let index = open.removeLast()
            nodes[index].end = nodes.count
            openCount[nodes[index].name]! -= 1
        }

        /// Closes the innermost open element of that name and every element opened inside it; nothing when
        /// none is open (each element is popped once, so all end tags together cost linear time).
        mutating func endTag(_ name: String) {
            guard openCount[name, default: 0] > 0 else { return }
            while let top = open.last {
                let topName = nodes[top].name
                pop()
                if topName == name { return }
            }
        }

        mutating func addText(_ range: Range<Int>, raw: Bool) {
            nodes.append(Node(name: "", attributes: [], text: range, end: nodes.count + 1, offset: range.lowerBound, raw: raw))
        }

        // MARK: Tokens

        /// The index past the comment, doctype, processing instruction or CDATA section at `i` (CDATA is a
        /// comment in HTML outside SVG and MathML), or nil when it is never closed.
        func markupDeclarationEnd(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
            if bytesStart(s, i, "<!--") {
                // `<!-->` and `<!--->` are empty comments.
                if bytesStart(s, i + 4, ">") { return i + 5 }
                if bytesStart(s, i + 4, "->") { return i + 6 }
                return bytesFind(s, "-->", from: i + 4).map { $0 + 3 }
            }
            if bytesStart(s, i, "<![CDATA[") { return bytesFind(s, "]]>", from: i + 9).map { $0 + 3 } }
            return byteIndex(UInt8(ascii: ">"), s, from: i + 2).map { $0 + 1 }
        }

        /// The start tag at `i`: where it ends, its name, attributes and whether it ends in `/>`; nil when the
        /// file ends inside it.
        func startTag(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int, String, [(name: String, value: String)], Bool)? {
            let n = s.count
            var j = i + 1
            let name = readName(s, &j)
            var attributes: [(name: String, value: String)] = []
            var seen = Set<String>()
            while j < n {
                let c = s[j]
                if byteIsSpace(c) {
                    j += 1
                    continue
                }
                if c == UInt8(ascii: ">") { return (j + 1, name, attributes, false) }
                if c == UInt8(ascii: "/") {
                    if j + 1 < n, s[j + 1] == UInt8(ascii: ">") { return (j + 2, name, attributes, true) }
                    j += 1
                    continue
                }
                // An attribute name: up to white space, `/`, `>` or `=` (a stray `<` or quote is part of it).
                let nameStart = j
                while j < n, !byteIsSpace(s[j]), s[j] != UInt8(ascii: "/"), s[j] != UInt8(ascii: ">"),
                      s[j] != UInt8(ascii: "=") || j == nameStart { j += 1 }
                let attributeName = lowercased(s, nameStart..<j)
                while j < n, byteIsSpace(s[j]) { j += 1 }
                var value = ""
                if j < n, s[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < n, byteIsSpace(s[j]) { j += 1 }
                    guard j < n else { return nil }
                    if s[j] == UInt8(ascii: "\"") || s[j] == UInt8(ascii: "'") {
                        guard let close = byteIndex(s[j], s, from: j + 1) else { return nil }
                        value = decoded(s, j + 1..<close)
                        j = close + 1
                    } else {
                        let start = j
                        while j < n, !byteIsSpace(s[j]), s[j] != UInt8(ascii: ">") { j += 1 }
                        value = decoded(s, start..<j)
                    }
                }
                if seen.insert(attributeName).inserted { attributes.append((attributeName, value)) }   // the first wins
            }
            return nil
        }

        /// The end of a raw-text element's content from `start`: where its end tag `</name` (followed by white
        /// space, `/` or `>`) begins, and the index past that tag; (end of file, nil) when there is none.
        func rawTextEnd(_ s: UnsafeBufferPointer<UInt8>, name: String, from start: Int) -> (Int, Int?) {
            let n = s.count
            if name == "plaintext" { return (n, nil) }
            let needle = Array(name.utf8)
            var j = start
            while let lt = byteIndex(UInt8(ascii: "<"), s, from: j) {
                j = lt + 1
                guard lt + 2 + needle.count <= n, s[lt + 1] == UInt8(ascii: "/") else { continue }
                var match = true
                for k in 0..<needle.count where byteLower(s[lt + 2 + k]) != needle[k] {
                    match = false
                    break
                }
                guard match else { continue }
                let after = lt + 2 + needle.count
                guard after == n || byteIsSpace(s[after]) || s[after] == UInt8(ascii: "/") || s[after] == UInt8(ascii: ">") else { continue }
                guard let close = byteIndex(UInt8(ascii: ">"), s, from: after) else { return (lt, n) }
                return (lt, close + 1)
            }
            return (n, nil)
        }

        func readName(_ s: UnsafeBufferPointer<UInt8>, _ j: inout Int) -> String {
            let start = j
            while j < s.count, !byteIsSpace(s[j]), s[j] != UInt8(ascii: "/"), s[j] != UInt8(ascii: ">") { j += 1 }
            return lowercased(s, start..<j)
        }

        func tagName(_ s: UnsafeBufferPointer<UInt8>, _ start: Int) -> String {
            var j = start
            return String(readName(s, &j).prefix(40))
        }

        func decoded(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
            guard s[range].contains(0x26) else { return String(decoding: s[range], as: UTF8.self) }
            var out = [UInt8]()
            PlainText.appendDecoded(s, range, to: &out)
            return String(decoding: out, as: UTF8.self)
        }

        func lowercased(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
            String(decoding: s[range].map(byteLower), as: UTF8.self)
        }
    }
}

// MARK: - Bytes

@inline(__always) private func byteLower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 32 : c }

@inline(__always) private func byteIsLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

@inline(__always) private func byteIsSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }

private func byteIndex(_ byte: UInt8, _ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard start < s.count, let base = s.baseAddress, let hit = memchr(base + start, Int32(byte), s.count - start) else { return nil }
    return UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
}

private func bytesStart(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard i + count <= s.count else { return false }
    let p = prefix.utf8Start
    for k in 0..<count where byteLower(s[i + k]) != byteLower(p[k]) { return false }
    return true
}

/// The first index of `needle` at or after `start` (memchr on its first byte, then a compare: linear).
private func bytesFind(_ s: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from start: Int) -> Int? {
    var j = start
    let first = needle.utf8Start[0]
    while let hit = byteIndex(first, s, from: j) {
        if bytesStart(s, hit, needle) { return hit }
        j = hit + 1
    }
    return nil
}
