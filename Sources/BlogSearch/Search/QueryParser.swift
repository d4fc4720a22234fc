/// A search query as the user meant it, before it becomes an FTS5 expression.
///
/// Syntax: plain words; `"exact phrase"`; `-excluded` (a word or a phrase); `prefix*`; `a OR b`.
/// Every other character is text: words are split into tokens the way FTS5's `unicode61` tokenizer does
/// (runs of letters and digits), so `e-mail` is the phrase `e mail` and `?`, `:`, `(` or `NEAR(` are nothing
/// but separators. The expression built from a query quotes every token, so no input reaches FTS5 as syntax.
public struct ParsedQuery: Sendable, Hashable {
    public indirect enum Clause: Sendable, Hashable {
        /// One or more tokens that must appear in this order; `prefix` makes the last token a prefix.
        case phrase([String], prefix: Bool)
        /// Any of these.
        case any([Clause])
    }

    /// What must (tier one) or may (tier two) match, in query order. Repeated words are kept: they weigh more.
    public var clauses: [Clause]
    /// What must not match.
    public var excluded: [Clause]
    /// Words left out because they are stop words.
    public var stopWords: [String]
    /// Words beyond `QueryParser.maxClauses`, left out.
    public var truncated: Bool
    /// The words typed as plain words (not in quotes, not a prefix, not excluded, one token each): the ones
    /// spelling correction may change, with where their letters are in the query (`Character` offsets).
    public var plainWords: [PlainWord] = []

    public struct PlainWord: Sendable, Hashable {
        public var token: String
        public var range: Range<Int>
        /// The clause the word is, when it is a clause of its own (not one of an `OR` group).
        public var clause: Int?
    }

    /// The query with every run of plain words that spells a synonym entry replaced by one clause of the
    /// entry's alternatives (longest entries first, left to right; see `Synonyms`).
    func expanding(_ synonyms: Synonyms) -> ParsedQuery {
        guard !synonyms.isEmpty else { return self }
        let plain = Dictionary(plainWords.compactMap { word in word.clause.map { ($0, word.token) } }, uniquingKeysWith: { a, _ in a })
        var expanded: [Clause] = []
        var i = 0
        while i < clauses.count {
            var matched = false
            for length in stride(from: min(synonyms.longestEntry, clauses.count - i), through: 1, by: -1) {
                let run = (i..<(i + length)).compactMap { plain[$0] }
                guard run.count == length, let found = synonyms.alternatives(for: run) else { continue }
                let phrases = found.map { Clause.phrase($0, prefix: false) }
                expanded.append(phrases.count == 1 ? phrases[0] : .any(phrases))
                i += length
                matched = true
                break
            }
            if !matched {
                expanded.append(clauses[i])
                i += 1
            }
        }
        var copy = self
        copy.clauses = expanded
        return copy
    }

    public var isEmpty: Bool { clauses.isEmpty }

    /// True when some clause ends in a prefix (`escal*`): only then is the vocabulary consulted.
    public var hasPrefixTerm: Bool {
        phrases.contains { if case .phrase(_, true) = $0 { return true } else { return false } }
    }

    /// Every phrase of the positive clauses, flattened (for the "any word" tier and highlighting).
    public var phrases: [Clause] {
        clauses.flatMap { clause -> [Clause] in
            if case .any(let inner) = clause { return inner }
            return [clause]
        }
    }
}

public enum QueryParser {
    /// More clauses than this make FTS5 work hard for no better answer; the rest are dropped with a notice.
    public static let maxClauses = 32
    /// Prefixes shorter than this would expand to a large share of the vocabulary; they count as words.
    static let minPrefixLength = 2

    public static func parse(_ query: String) -> ParsedQuery {
        var parsed = ParsedQuery(clauses: [], excluded: [], stopWords: [], truncated: false)
        let chars = Array(query)
        var i = 0
        var pendingOr = false
        /// False when the clause was left out (beyond `maxClauses`).
        @discardableResult
        func add(_ clause: ParsedQuery.Clause, excluded: Bool) -> Bool {
            if excluded {
                parsed.excluded.append(clause)
                pendingOr = false
                return true
            }
            if parsed.clauses.count + parsed.excluded.count >= maxClauses {
                parsed.truncated = true
                return false
            }
            if pendingOr, let last = parsed.clauses.popLast() {
                // The word before `OR` is no longer a clause of its own.
                for k in parsed.plainWords.indices where parsed.plainWords[k].clause == parsed.clauses.count {
                    parsed.plainWords[k].clause = nil
                }
                if case .any(let inner) = last {
                    parsed.clauses.append(.any(inner + [clause]))
                } else {
                    parsed.clauses.append(.any([last, clause]))
                }
            } else {
                parsed.clauses.append(clause)
            }
            pendingOr = false
            return true
        }
        while i < chars.count {
            if chars[i].isWhitespace {
                i += 1
                continue
            }
            var negated = false
            if chars[i] == "-", i + 1 < chars.count, !chars[i + 1].isWhitespace {
                negated = true
                i += 1
            }
            if chars[i] == "\"" {
                // A phrase runs to the next quote, or to the end when the quote is never closed.
                var j = i + 1
                while j < chars.count, chars[j] != "\"" { j += 1 }
                let tokens = Analyzer.queryTokens(String(chars[(i + 1)..<j]))
                i = min(j + 1, chars.count)
                var prefix = false
                if i < chars.count, chars[i] == "*" {
                    prefix = true
                    while i < chars.count, chars[i] == "*" { i += 1 }
                }
                if !tokens.isEmpty { add(.phrase(tokens, prefix: prefix && tokens.last!.count >= minPrefixLength), excluded: negated) }
                continue
            }
            var j = i
            while j < chars.count, !chars[j].isWhitespace, chars[j] != "\"" { j += 1 }
            let word = String(chars[i..<j])
            i = j
            if word == "OR", !negated, !parsed.clauses.isEmpty {
                pendingOr = true
                continue
            }
            var core = Substring(word)
            var prefix = false
            while core.hasSuffix("*") {
                core = core.dropLast()
                prefix = true
            }
            let tokens = Analyzer.queryTokens(String(core))
            guard let last = tokens.last else { continue }
            prefix = prefix && last.count >= minPrefixLength
            if tokens.count == 1, !prefix, !negated, StopWords.english.contains(last) {
                parsed.stopWords.append(last)
                continue
            }
            let joinsGroup = pendingOr && !parsed.clauses.isEmpty
            if add(.phrase(tokens, prefix: prefix), excluded: negated), tokens.count == 1, !prefix, !negated,
               let first = chars[(j - word.count)..<j].firstIndex(where: QueryParser.isTokenCharacter),
               let end = chars[(j - word.count)..<j].lastIndex(where: QueryParser.isTokenCharacter) {
                let alone = !joinsGroup
                parsed.plainWords.append(.init(token: last, range: first..<(end + 1), clause: alone ? parsed.clauses.count - 1 : nil))
            }
        }
        return parsed
    }

    /// A character `Analyzer.queryTokens` keeps in a token.
    static func isTokenCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.contains {
            $0.properties.isAlphabetic || $0.properties.numericType != nil
        }
    }
}
