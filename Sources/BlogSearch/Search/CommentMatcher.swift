import Foundation

/// Which comment of a post matches a query best, with its snippet.
///
/// The index holds a post's comments as one column of `post_text`, so a hit in a comment rolls up to its
/// post; which comment it was is found here, for the hits of a page only, by tokenizing that post's comments
/// with the index's own tokenizer (a post has tens of comments), so the index needs no second full-text table
/// over every comment.
struct CommentMatcher {
    /// The query's phrases as index terms; a prefix phrase matches terms that start with its last term.
    private let phrases: [(terms: [String], prefix: Bool)]
    /// Lowercase byte strings one of which a comment must contain to match: each phrase's first term without
    /// its last two letters (the Porter stemmer only rewrites a word's ending, so what is left of a stem
    /// starts the word it came from). Comments without any are not tokenized.
    private let needles: [[UInt8]]

    init(_ query: ParsedQuery, tokenizer: TermTokenizer) {
        phrases = query.phrases.compactMap { clause in
            guard case .phrase(let tokens, let prefix) = clause else { return nil }
            let terms = tokenizer.terms(tokens.joined(separator: " "))
            return terms.isEmpty ? nil : (terms, prefix)
        }
        needles = phrases.map { Array($0.terms[0].utf8.prefix(max(1, $0.terms[0].utf8.count - 2))) }
    }

    /// Whether `text` may hold a phrase: it contains a needle, ASCII letters compared without case.
    private func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            needles.contains { needle in
                guard let first = needle.first, bytes.count >= needle.count else { return false }
                var i = 0
                let last = bytes.count - needle.count
                while i <= last {
                    if Self.folded(bytes[i]) == first {
                        var k = 1
                        while k < needle.count, Self.folded(bytes[i + k]) == needle[k] { k += 1 }
                        if k == needle.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    @inline(__always) private static func folded(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    struct Match {
        var index: Int
        var snippet: String
    }

    /// The best matching of `comments` (most distinct phrases, then most matches, then the first), with a
    /// snippet marked like `blogsearch_snippet`'s (U+E000/U+E001 around matches, … where text was cut).
    /// `language`: the post's analysis language (`LanguageMarker.analysisLanguage`), nil for English.
    func best(of comments: [String], tokenizer: TermTokenizer, language: String? = nil, tokens: Int = Snippet.tokens) -> Match? {
        // The byte test knows Porter's stems only: comments in another language are all tokenized.
        if language != nil { return best(of: comments, at: Array(comments.indices), tokenizer: tokenizer, language: language, tokens: tokens) }
        // Non-ASCII case and accents fold in the tokenizer only: when no comment passes the byte test, all
        // are tokenized.
        let candidates = comments.indices.filter { mayMatch(comments[$0]) }
        return best(of: comments, at: candidates, tokenizer: tokenizer, language: nil, tokens: tokens)
            ?? (candidates.isEmpty ? best(of: comments, at: Array(comments.indices), tokenizer: tokenizer, language: nil, tokens: tokens) : nil)
    }

    private func best(of comments: [String], at indices: [Int], tokenizer: TermTokenizer, language: String?, tokens: Int) -> Match? {
        var best: (match: Match, distinct: Int, count: Int)? = nil
        for index in indices {
            let text = comments[index]
            var terms: [(term: String, bytes: Range<Int>)] = []
            if let language {
                tokenizer.forEachToken(in: text, language: language) { terms.append(($0.term, $0.bytes)) }
            } else {
                tokenizer.forEachToken(in: text) { terms.append(($0.term, $0.bytes)) }
            }
            let instances = self.instances(in: terms.map(\.term))
            guard !instances.isEmpty else { continue }
            let distinct = Set(instances.map(\.phrase)).count
            if let current = best, (current.distinct, current.count) >= (distinct, instances.count) { continue }
            let snippet = CommentMatcher.snippet(text, terms.map(\.bytes), instances, tokens: tokens)
            best = (Match(index: index, snippet: snippet), distinct, instances.count)
        }
        return best?.match
    }

    /// Every occurrence of a phrase: which phrase, its first token and its length in tokens.
    private func instances(in terms: [String]) -> [(phrase: Int, start: Int, length: Int)] {
        var found: [(phrase: Int, start: Int, length: Int)] = []
        for start in terms.indices {
            for (p, phrase) in phrases.enumerated() where start + phrase.terms.count <= terms.count {
                let matches = phrase.terms.indices.allSatisfy { k in
                    let term = terms[start + k]
                    return phrase.prefix && k == phrase.terms.count - 1 ? term.hasPrefix(phrase.terms[k]) : term == phrase.terms[k]
                }
                if matches { found.append((p, start, phrase.terms.count)) }
            }
        }
        return found
    }

    /// The window of `tokens` tokens holding the most distinct phrases (then the most matches, then the
    /// earliest), started tokens/6 earlier for context — the rule of snippet.c.
    static func snippet(_ text: String, _ bytes: [Range<Int>], _ instances: [(phrase: Int, start: Int, length: Int)],
                        tokens: Int) -> String {
        var bestStart = 0, bestScore = -1
        var seen = [Bool](repeating: false, count: (instances.map(\.phrase).max() ?? 0) + 1)
        for (i, instance) in instances.enumerated() {
            for k in seen.indices { seen[k] = false }
            var distinct = 0, count = 0
            for other in instances[i...] where other.start < instance.start + tokens {
                if !seen[other.phrase] {
                    seen[other.phrase] = true
                    distinct += 1
                }
                count += 1
            }
            let score = distinct * 1000 + count
            if score > bestScore { (bestScore, bestStart) = (score, instance.start) }
        }
        let start = max(0, bestStart - tokens / 6)
        let end = min(bytes.count, start + tokens)
        guard start < end else { return "" }
        // Instances in start order: those ending at or before a token can be passed once tokens move on.
        let spans = instances.map { ($0.start, $0.start + $0.length) }.sorted { $0.0 < $1.0 }
        var text = text
        return text.withUTF8 { utf8 in
            var out: [UInt8] = []
            out.reserveCapacity(bytes[end - 1].upperBound - bytes[start].lowerBound + 64)
            if start > 0 { out.append(contentsOf: ellipsis) }
            var position = bytes[start].lowerBound
            var first = 0
            for t in start..<end {
                while first < spans.count, spans[first].1 <= t { first += 1 }
                var matched = false
                var i = first
                while i < spans.count, spans[i].0 <= t, !matched {
                    matched = t < spans[i].1
                    i += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[position..<bytes[t].lowerBound]))
                if matched { out.append(contentsOf: markOpen) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[bytes[t]]))
                if matched { out.append(contentsOf: markClose) }
                position = bytes[t].upperBound
            }
            if end < bytes.count { out.append(contentsOf: ellipsis) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

private let ellipsis = Array("…".utf8), markOpen = Array("\u{E000}".utf8), markClose = Array("\u{E001}".utf8)

