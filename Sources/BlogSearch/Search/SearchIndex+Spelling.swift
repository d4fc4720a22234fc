import Foundation
import GRDB

extension SearchIndex {
    /// A query with its unknown words corrected.
    struct Correction {
        /// The query's text with each corrected word replaced (the rest as typed).
        var text: String
    }

    /// The generation's spelling vocabulary, loaded on first use (a few hundred milliseconds at 100k posts);
    /// `prepareSpelling` loads it ahead of the first request.
    func spelling() throws(SearchError) -> Spelling {
        if let loaded = spellingState.withLock({ $0 }) { return loaded }
        let loaded: Spelling
        do {
            loaded = try read { db in try SearchIndex.loadSpelling(db, path: generation.path) }
        } catch {
            throw .wrapping(error)
        }
        spellingState.withLock { $0 = $0 ?? loaded }
        return loaded
    }

    /// How many words the spelling vocabulary holds (loading it if needed; 0 if it cannot be read).
    package var spellingWordCount: Int { (try? spelling().count) ?? 0 }

    /// The generation's `spelling` table; in a generation built before it existed, made from the vectors'
    /// surface forms (`terms.surfaces`: seconds at 100k posts, once).
    private static func loadSpelling(_ db: Database, path: String) throws -> Spelling {
        if try db.tableExists("spelling") {
            guard let row = try Row.fetchOne(db, sql: "SELECT chars, starts, counts FROM spelling WHERE id = 1") else {
                return Spelling(words: [])
            }
            guard let spelling = Spelling(chars: row[0], starts: row[1], counts: row[2]) else {
                throw SearchError.indexCorrupt(path: path, reason: "its spelling table does not decode")
            }
            return spelling
        }
        var surfaces: [[String: Int32]] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT surfaces FROM terms")
        while let row = try rows.next() { surfaces.append(TermVectorBuilder.decodeSurfaces(row[0]) ?? [:]) }
        return Spelling(surfaces: surfaces)
    }

    /// Loads the spelling vocabulary now rather than at the first query that needs it.
    public func prepareSpelling() throws(SearchError) {
        _ = try spelling()
    }

    /// The query with every plain word the index does not know replaced by its correction (`Spelling`), or nil
    /// when no word needs one or none has one. Words in quotes, prefixes, exclusions and filters are never
    /// changed; a word is known when some post holds it or its stem.
    /// - Parameter skipping: a word left as it is (the last word, completed as the reader types).
    func correction(of query: String, parsed: ParsedQuery, skipping: String? = nil) throws(SearchError) -> Correction? {
        var replacements: [(range: Range<Int>, to: String)] = []
        var decided: [String: String?] = [:]
        for word in parsed.plainWords where word.token != skipping {
            let fix: String?
            if let known = decided[word.token] {
                fix = known
            } else {
                fix = try correction(ofWord: word.token)
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
    package func correction(ofWord token: String) throws(SearchError) -> String? {
        guard Spelling.maxDistance(letters: token.unicodeScalars.count) != nil, !synonyms.mentions(token),
              SearchIndex.isAlphabetic(token) else { return nil }
        let spelling = try spelling()
        guard !spelling.contains(token), try !stemIsIndexed(token) else { return nil }
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

    /// Whether FTS5's vocabulary holds the stem of `token` (in any column).
    private func stemIsIndexed(_ token: String) throws(SearchError) -> Bool {
        guard let term = try searchTerm(of: token) else { return false }
        do {
            return try read { db in
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM temp.post_vocab WHERE term = ?)"), arguments: [term]) ?? false
            }
        } catch {
            throw .wrapping(error)
        }
    }
}
