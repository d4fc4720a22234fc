import CSQLiteExtras

/// How a text tells the multilingual tokenizer (`Analyzer.tokenizerArguments`) its language: it
/// begins with the bytes 0x01 TAG 0x02, TAG a BCP 47 tag of 1 to 15 ASCII letters, digits, `-` or `_`. The
/// marker gives no token and never shows in a snippet. FTS5 tokenizes each quoted phrase of a MATCH on its own,
/// so every phrase of a query carries the marker: `"\u{1}ja\u{2}東京"`.
enum LanguageMarker {
    /// `text` with the marker of `language` before it; `text` unchanged when `language` cannot be a marker's tag
    /// (empty, too long, or holding another character), which the tokenizer would not read as one.
    static func mark(_ text: String, language: String) -> String {
        guard isTag(language) else { return text }
        return "\u{1}\(language)\u{2}\(text)"
    }

    /// The language of the marker `text` begins with, and the text after it; nil and the whole text without one.
    static func strip(_ text: String) -> (language: String?, text: Substring) {
        let length = markerLength(text)
        guard length > 0 else { return (nil, Substring(text)) }
        let utf8 = text.utf8
        let tagStart = utf8.index(after: utf8.startIndex)
        let tagEnd = utf8.index(utf8.startIndex, offsetBy: length - 1)
        let after = utf8.index(after: tagEnd)
        return (String(text[tagStart..<tagEnd]), text[after...])
    }

    /// The length in UTF-8 bytes of the marker `text` begins with (0 without one), as the tokenizer reads it.
    static func markerLength(_ text: String) -> Int {
        guard text.utf8.first == 0x01 else { return 0 }
        var text = text
        return text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { Int(blogsearch_language_marker($0.baseAddress, Int32($0.count), nil, 0)) }
        }
    }

    /// Whether the tokenizer analyses text marked `language` as that language (a language with a Snowball
    /// stemmer, or another tag of a language ICU knows) rather than falling back to its default.
    static func isKnown(_ language: String) -> Bool {
        blogsearch_language_known(language) != 0
    }

    /// The language a text in `lang` is marked with: `lang`, when the tokenizer analyses it as such and it is not
    /// English (unmarked text is English); nil otherwise.
    static func analysisLanguage(_ lang: String?) -> String? {
        guard let lang, !(lang == "en" || lang.hasPrefix("en-")), isKnown(lang) else { return nil }
        return lang
    }

    private static func isTag(_ tag: String) -> Bool {
        (1...15).contains(tag.utf8.count) && tag.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
    }
}
