/// The one analyzer: how text becomes terms. The write path (the FTS5 index, the vectors) and the read path
/// (queries, free text for related posts) must agree on it, so everything about it is here or in this folder:
/// the tokenizer FTS5 indexes with (`tokenizerArguments`, used by the schema and by `TermTokenizer`), how a query
/// is split into tokens before FTS5 sees it (`queryTokens`), the stop words (`StopWords`), and the facet tokens
/// (`Facet`).
enum Analyzer {
    /// The index's tokenizer: blogsearch's FTS5 tokenizer `blogsearch` (CSQLiteExtras/multilingual.c),
    /// registered on every connection with the other FTS5 functions. Runs of Han, Kana, Thai, Lao, Khmer and
    /// Myanmar are cut into words by ICU's word break and Hangul runs into bigrams, in any text; a text that
    /// begins with a `LanguageMarker` is otherwise analysed in that language (Snowball stemmers); any other text
    /// as English, whose terms are exactly `englishTokenizerArguments`' (it delegates to FTS5's `porter`). The
    /// index's `tokenize=` option and `TermTokenizer` (the C binding the vectors and snippets use) are both made
    /// from this list.
    static let tokenizerArguments = ["blogsearch", "default", "en"]

    /// `tokenizerArguments` as FTS5's `tokenize=` option and the manifest write it.
    static let tokenizerSpec = tokenizerArguments.joined(separator: " ")

    /// FTS5's own English analysis, which the multilingual tokenizer delegates English text to: Porter stemming
    /// over `unicode61` with diacritics folded (the index's tokenizer before languages).
    static let englishTokenizerArguments = ["porter", "unicode61", "remove_diacritics", "2"]

    /// Lower-cased runs of letters and digits: the token boundaries of FTS5's `unicode61`.
    /// (FTS5 then folds diacritics and applies the Porter stemmer itself.)
    static func queryTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.generalCategory == .privateUse
                || scalar.properties.generalCategory == .nonspacingMark {
                if scalar.properties.generalCategory == .privateUse { continue }
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current).lowercased())
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current).lowercased()) }
        return tokens
    }
}
