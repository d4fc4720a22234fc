import BlogSearch
import Foundation
import NIOCore

/// A search response as JSON (`SearchResponseJSON`), written directly: the bytes `JSONEncoder` gives for it
/// with `.sortedKeys` and `.withoutEscapingSlashes` (keys in sorted order, nil values left out), at a fraction
/// of its cost. `SearchJSONTests` compares the two byte for byte.
enum SearchJSON {
    static func encode(_ response: SearchResponse) -> ByteBuffer {
        var w = Writer()
        w.open("{")
        if let corrected = response.correctedQuery {
            w.key("correctedQuery")
            w.string(corrected)
        }
        if let didYouMean = response.didYouMean {
            w.key("didYouMean")
            w.string(didYouMean)
        }
        w.key("facets")
        w.open("{")
        w.key("categories")
        w.facetCounts(response.facets.categories)
        w.key("languages")
        w.facetCounts(response.facets.languages)
        w.key("tags")
        w.facetCounts(response.facets.tags)
        w.close("}")
        if let hint = response.hint {
            w.key("hint")
            w.string(hint)
        }
        w.key("hits")
        w.open("[")
        for hit in response.hits {
            w.element()
            w.hit(hit)
        }
        w.close("]")
        w.key("notices")
        w.strings(response.notices)
        w.key("query")
        w.string(response.query)
        w.key("rankedBy")
        w.string(response.rankedBy)
        w.key("tookMs")
        w.number(response.tookMs)
        w.key("total")
        w.integer(response.total)
        w.close("}")
        return ByteBuffer(bytes: w.bytes)
    }

    /// JSON text written in order; `key` and `element` put the commas.
    struct Writer {
        var bytes: [UInt8] = []
        /// Per open object or array: whether nothing is in it yet.
        private var empty: [Bool] = []

        init() { bytes.reserveCapacity(4096) }

        mutating func open(_ bracket: Unicode.Scalar) {
            bytes.append(UInt8(ascii: bracket))
            empty.append(true)
        }

        mutating func close(_ bracket: Unicode.Scalar) {
            empty.removeLast()
            bytes.append(UInt8(ascii: bracket))
        }

        /// Before an array element.
        mutating func element() {
            if !empty[empty.count - 1] { bytes.append(UInt8(ascii: ",")) }
            empty[empty.count - 1] = false
        }

        mutating func key(_ name: String) {
            element()
            string(name)
            bytes.append(UInt8(ascii: ":"))
        }

        /// Runs of bytes that need no escape are copied whole, not byte by byte.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            var text = text
            text.withUTF8 { utf8 in
                var start = 0
                for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                    switch byte {
                    case UInt8(ascii: "\""): bytes += [0x5C, 0x22]
                    case UInt8(ascii: "\\"): bytes += [0x5C, 0x5C]
                    case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
                    case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
                    case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
                    case 0x08: bytes += [0x5C, UInt8(ascii: "b")]
                    case 0x0C: bytes += [0x5C, UInt8(ascii: "f")]
                    default: bytes += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]]
                    }
                    start = i + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private static let hex = Array("0123456789abcdef".utf8)

        mutating func strings(_ values: [String]) {
            open("[")
            for value in values {
                element()
                string(value)
            }
            close("]")
        }

        mutating func integer(_ value: Int) { bytes += Array(String(value).utf8) }

        mutating func bool(_ value: Bool) { bytes += Array((value ? "true" : "false").utf8) }

        /// As JSONEncoder writes a Double: its shortest form, without a trailing `.0`.
        mutating func number(_ value: Double) {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes += Array(text.utf8)
        }

        mutating func facetCounts(_ counts: [SearchResponse.FacetCount]) {
            open("[")
            for count in counts {
                element()
                open("{")
                key("count")
                integer(count.count)
                key("value")
                string(count.value)
                close("}")
            }
            close("]")
        }

        mutating func hit(_ hit: SearchResponse.Hit) {
            open("{")
            if let author = hit.author {
                key("author")
                string(author)
            }
            key("categories")
            strings(hit.categories)
            if let comment = hit.comment {
                key("comment")
                open("{")
                if let author = comment.author {
                    key("author")
                    string(author)
                }
                if let date = comment.date {
                    key("date")
                    string(date)
                }
                key("id")
                string(comment.id)
                key("snippet")
                string(HTMLText.marked(comment.snippet))
                close("}")
            }
            if let date = hit.date {
                key("date")
                string(date)
            }
            if let lang = hit.lang {
                key("lang")
                string(lang)
            }
            key("matchedIn")
            strings(hit.matchedIn)
            key("matchesAllTerms")
            bool(hit.matchesAllTerms)
            key("score")
            number(hit.score)
            key("slug")
            string(hit.slug)
            key("snippet")
            string(HTMLText.marked(hit.snippet))
            key("tags")
            strings(hit.tags)
            key("title")
            string(hit.title)
            key("translations")
            open("[")
            for translation in hit.translations {
                element()
                open("{")
                if let lang = translation.lang {
                    key("lang")
                    string(lang)
                }
                key("slug")
                string(translation.slug)
                key("title")
                string(translation.title)
                key("url")
                string(translation.url)
                close("}")
            }
            close("]")
            key("url")
            string(hit.url)
            close("}")
        }
    }
}
