import Foundation
import GRDB

extension SearchIndex {
    /// A query with its unknown words corrected.
    struct Correction {
        /// The query's text with each corrected word replaced (the rest as typed).
        var text: String
    }

    /// The generation's spelling vocabularies: of every language, and of each language of a blog of several.
    struct Vocabularies: Sendable {
        var all: Spelling
        /// By the language posts are analysed in (`LanguageMarker.analysisLanguage`, "" for English and the
        /// default); empty for a blog of one language.
        var languages: [String: Spelling]
    }

    /// The generation's spelling vocabularies, loaded on first use (a few hundred milliseconds at 100k posts);
    /// `prepareSpelling` loads them ahead of the first request.
    func vocabularies() throws(SearchError) -> Vocabularies {
        if let loaded = spellingState.withLock({ $0 }) { return loaded }
        let loaded: Vocabularies
        do {
            loaded = try read { db in try SearchIndex.loadVocabularies(db, path: generation.path) }
        } catch {
            throw .wrapping(error)
        }
        spellingState.withLock { $0 = $0 ?? loaded }
        return loaded
    }

    /// The vocabulary of every language.
    func spelling() throws(SearchError) -> Spelling {
        try vocabularies().all
    }

    /// The vocabulary of `language` (an analysis language, "" for English), or of every language when the
    /// blog has one or `language` is nil.
    func spelling(language: String?) throws(SearchError) -> Spelling {
        let vocabularies = try vocabularies()
        return language.flatMap { vocabularies.languages[$0] } ?? vocabularies.all
    }

    /// How many words the spelling vocabulary holds (loading it if needed; 0 if it cannot be read).
    package var spellingWordCount: Int { (try? spelling().count) ?? 0 }

    /// The generation's `spelling` tables; in a generation built before they existed, made from the vectors'
    /// surface forms (`terms.surfaces`: seconds at 100k posts, once).
    private static func loadVocabularies(_ db: Database, path: String) throws -> Vocabularies {
        func decoded(_ row: Row, _ table: String) throws -> Spelling {
            guard let spelling = Spelling(chars: row["chars"], starts: row["starts"], counts: row["counts"]) else {
                throw SearchError.indexCorrupt(path: path, reason: "its \(table) table does not decode")
            }
            return spelling
        }
        if try db.tableExists("spelling") {
            let all = try Row.fetchOne(db, sql: "SELECT chars, starts, counts FROM spelling WHERE id = 1").map { try decoded($0, "spelling") }
            var languages: [String: Spelling] = [:]
            if try db.tableExists("spelling_languages") {
                for row in try Row.fetchAll(db, sql: "SELECT lang, chars, starts, counts FROM spelling_languages") {
                    languages[row["lang"]] = try decoded(row, "spelling_languages")
                }
            }
            return Vocabularies(all: all ?? Spelling(words: []), languages: languages)
        }
        var surfaces: [[String: Int32]] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT surfaces FROM terms")
        while let row = try rows.next() { surfaces.append(TermVectorBuilder.decodeSurfaces(row[0]) ?? [:]) }
        return Vocabularies(all: Spelling(surfaces: surfaces), languages: Spelling.perLanguage(surfaces: surfaces))
    }

    /// Loads the spelling vocabulary now rather than at the first query that needs it.
    public func prepareSpelling() throws(SearchError) {
        _ = try spelling()
    }

    /// The query with every plain word the index does not know replaced by its correction (`Spelling`), or nil
    /// when no word needs one or none has one. Words in quotes, prefixes, exclusions and filters are never
    /// changed; a word is known when some post holds it or its stem.
    /// - Parameter skipping: a word left as it is (the last word, completed as the reader types).
    /// - Parameter language: the query's analysis language, whose vocabulary corrects it (`QueryPlan.language`).
    func correction(of query: String, parsed: ParsedQuery, skipping: String? = nil, language: String? = nil) throws(SearchError) -> Correction? {
        var replacements: [(range: Range<Int>, to: String)] = []
        var decided: [String: String?] = [:]
        for word in parsed.plainWords where word.token != skipping {
            let fix: String?
            if let known = decided[word.token] {
                fix = known
            } else {
                fix = try correction(ofWord: word.token, language: language)
                decided[word.token] = fix
            }
            if let fix { replacements.append((word.range, fix)) }
        }
        guard !replacements.isEmpty else { return nil }
        var characters = Array(query)
        for replacement in replacements.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            let typed = characters[replacement.range]
            // Keep a capital the reader typed.
            var word = replacement.to
            if typed.first?.isUppercase == true { word = word.prefix(1).uppercased() + word.dropFirst() }
            characters.replaceSubrange(replacement.range, with: Array(word))
        }
        return Correction(text: String(characters))
    }

    /// Completions of a word the reader is still typing: at most this many, the most frequent (each is one
    /// more term the search ranks, on every keystroke).
    public static let completionLimit = 8
    /// A last word shorter than this is not completed (one letter would stand for the commonest words).
    public static let minCompletionLength = 2

    /// The correction of one lower-cased query word, or nil when it is left as it is: too short or with a
    /// digit, a word of a synonym rule (known to the blogger whether or not a post holds it), a word some post
    /// holds (its surface form or its stem), or one with nothing within reach (`Spelling`).
    package func correction(ofWord token: String, language: String? = nil) throws(SearchError) -> String? {
        guard Spelling.maxDistance(letters: token.unicodeScalars.count) != nil, !synonyms.mentions(token),
              SearchIndex.isAlphabetic(token) else { return nil }
        let spelling = try spelling(language: language)
        guard !spelling.contains(token), try !stemIsIndexed(token, language: language) else { return nil }
        return spelling.correction(for: token)?.word
    }

    /// Whether every letter of `word` is of an alphabet (Latin, Greek, Cyrillic, Armenian): edit distance means
    /// typos there. A word in another script (Chinese, Japanese, Korean, Thai, Arabic, Hebrew …) is never
    /// corrected: a nearby string in those scripts is another word, not a typo.
    static func isAlphabetic(_ word: String) -> Bool {
        word.unicodeScalars.allSatisfy { $0.value < 0x0590 || (0x1E00...0x1FFF).contains($0.value) }
    }

    /// The term FTS5 searches `word` as (its stem), or nil when it is not one token: what the typo benchmark
    /// compares to see whether a word left as typed still finds the word meant.
    package func searchTerm(of word: String) throws(SearchError) -> String? {
        do {
            let terms = try tokenizers.with { $0.terms(word) }
            return terms.count == 1 ? terms[0] : nil
        } catch {
            throw .wrapping(error)
        }
    }

    /// Whether FTS5's vocabulary holds the stem of `token` (in any column) as `language` analyses it, or, without
    /// one, as English or any language of the blog does (calmas is known where Spanish posts hold calma).
    private func stemIsIndexed(_ token: String, language: String?) throws(SearchError) -> Bool {
        let languages = language.map { [$0] } ?? [""] + facetNumbers.languages.compactMap(LanguageMarker.analysisLanguage)
        do {
            let terms = try tokenizers.with { tokenizer in
                Set(languages.compactMap { language in
                    let terms = tokenizer.terms(language.isEmpty ? token : LanguageMarker.mark(token, language: language))
                    return terms.count == 1 ? terms[0] : nil
                })
            }
            return try read { db in
                try terms.contains { term in
                    try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM temp.post_vocab WHERE term = ?)"), arguments: [term]) ?? false
                }
            }
        } catch {
            throw .wrapping(error)
        }
    }
}
