import Foundation

/// The language a query is written in, when its script tells, among the languages a blog has: what ranks
/// posts of that language first when the request names no language.
enum QueryLanguage {
    /// The blog's language (one of `languages`, tags as the index stores them) that the query's script points
    /// to, or nil: Latin script (many languages share it), or a script none of the blog's languages uses.
    static func guess(_ query: String, among languages: [String]) -> String? {
        guard languages.count > 1 else { return nil }
        var kana = false, han = false, hangul = false
        var candidates: [String]? = nil
        for scalar in query.unicodeScalars where scalar.properties.isAlphabetic {
            switch scalar.value {
            case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: kana = true
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: han = true
            case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: hangul = true
            case 0x0E00...0x0E7F: candidates = candidates ?? ["th"]
            case 0x0E80...0x0EFF: candidates = candidates ?? ["lo"]
            case 0x1780...0x17FF: candidates = candidates ?? ["km"]
            case 0x1000...0x109F: candidates = candidates ?? ["my"]
            case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: candidates = candidates ?? ["ar", "fa", "ur"]
            case 0x0590...0x05FF: candidates = candidates ?? ["he", "iw", "yi"]
            case 0x0400...0x04FF: candidates = candidates ?? ["ru", "uk", "bg", "sr", "be", "mk", "kk"]
            case 0x0370...0x03FF, 0x1F00...0x1FFF: candidates = candidates ?? ["el"]
            case 0x0900...0x097F: candidates = candidates ?? ["hi", "ne", "mr"]
            default: break
            }
        }
        if kana { candidates = ["ja"] } else if hangul { candidates = ["ko"] } else if han { candidates = ["zh", "ja"] }
        for primary in candidates ?? [] {
            if let tag = languages.first(where: { $0 == primary || $0.hasPrefix(primary + "-") }) { return tag }
        }
        return nil
    }

    /// What a post in the query's language has its score multiplied by (a boost of at least 1, as recency's).
    static let boost = 2.0

    /// The analysis language (`LanguageMarker.analysisLanguage`, "" for English and the default) whose posts
    /// write `words` (lower-cased) most, by their vocabularies (`Spelling.perLanguage`), or nil: fewer than
    /// two vocabularies, no word any of them holds, or no language ahead of the next by `margin`.
    ///
    /// Each language scores Σ log((n_L(w) + ½) / (N_L + 1)) over the words, n_L(w) the occurrences of w in
    /// its posts and N_L of all its words — naive Bayes with the blog's own posts as the training text, so a
    /// word of a Spanish post points to Spanish on a blog that writes Spanish, and an English word quoted by
    /// translations still points to English, which writes it more.
    static func guess(words: [String], vocabularies: [String: Spelling]) -> String? {
        guard vocabularies.count > 1 else { return nil }
        let words = words.filter { Spelling.letters($0) != nil }
        guard !words.isEmpty else { return nil }
        var scores: [(language: String, score: Double)] = []
        var known = false
        for (language, vocabulary) in vocabularies {
            let total = Double(vocabulary.total) + 1
            var score = 0.0
            for word in words {
                let n = vocabulary.count(of: word)
                if n > 0 { known = true }
                score += log((Double(n) + 0.5) / total)
            }
            scores.append((language, score))
        }
        guard known else { return nil }
        scores.sort { $0.score != $1.score ? $0.score > $1.score : $0.language < $1.language }
        return scores[0].score - scores[1].score >= margin ? scores[0].language : nil
    }

    /// How much more likely the guessed language must make the words than the next (as a log ratio).
    static let margin = log(1.5)
}
