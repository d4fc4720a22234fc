import CSQLiteExtras
import Foundation

/// The words readers write, as the generation saw them (every surface form of the vector store's vocabulary,
/// with how often it occurs), for correcting the words of a query that match nothing and completing the word
/// being typed. Made once per build from the vectors' surface forms and stored in the generation
/// (`Schema`'s `spelling` table), so that opening it is three blob reads.
///
/// The rule is Meilisearch's: a word of 5 to 8 letters may be one edit away from what was meant, a longer one
/// two (an edit: a letter added, dropped, changed, or two neighbours swapped); shorter words, words with digits
/// and words the index knows are never changed. Among the words within reach: the fewest edits, then the most
/// frequent, then the first in order. The search is a trie walk over the sorted words (`bs_spell_search`):
/// the rows of the edit-distance table are shared by words with a common prefix, and a prefix already too far
/// from the typed word skips every word under it.
struct Spelling: Sendable {
    /// The words as Unicode scalars, sorted; word i is `chars[starts[i] ..< starts[i + 1]]`.
    private let chars: [UInt32]
    private let starts: [Int32]
    /// How often each word occurs in the generation's posts and comments.
    private let counts: [Int32]
    /// How many occurrences the vocabulary counts, over all its words.
    let total: Int

    var count: Int { counts.count }

    /// The edits allowed for a word of `letters` letters; nil: too short to correct.
    static func maxDistance(letters: Int) -> Int32? {
        letters < 5 ? nil : letters <= 8 ? 1 : 2
    }

    init(words: [(word: [UInt32], count: Int32)]) {
        let sorted = words.sorted { $0.word.lexicographicallyPrecedes($1.word) }
        var chars: [UInt32] = [], starts: [Int32] = [0], counts: [Int32] = []
        chars.reserveCapacity(sorted.reduce(0) { $0 + $1.word.count })
        for (word, count) in sorted {
            // The same form under two stems (it cannot happen with one tokenizer, but a count is a count).
            if counts.count > 0, chars[Int(starts[starts.count - 2])...].elementsEqual(word) {
                counts[counts.count - 1] += count
                continue
            }
            chars += word
            starts.append(Int32(chars.count))
            counts.append(count)
        }
        self.chars = chars
        self.starts = starts
        self.counts = counts
        total = counts.reduce(0) { $0 + Int($1) }
    }

    /// The words of the vector store's surface forms (`TermVectorBuilder.surfaces`, one dictionary of forms and
    /// counts per term) made only of letters: numbers and versions are not misspelt words.
    /// Forms of other languages than English carry their language's marker (`TermVectorBuilder`); here every
    /// language counts, the marker left out.
    init(surfaces: [[String: Int32]]) {
        var words: [(word: [UInt32], count: Int32)] = []
        for forms in surfaces {
            for (form, count) in forms {
                if let scalars = Spelling.letters(LanguageMarker.strip(form).text) { words.append((scalars, count)) }
            }
        }
        self.init(words: words)
    }

    /// The vocabulary of each language of the surface forms, by the language their posts are analysed in
    /// (`PostText.language`; "" for English and posts of no or an unknown language); empty when there are
    /// not two: what corrects, completes and recognises a query of one language by its own words.
    static func perLanguage(surfaces: [[String: Int32]]) -> [String: Spelling] {
        var words: [String: [(word: [UInt32], count: Int32)]] = [:]
        for forms in surfaces {
            for (form, count) in forms {
                let (language, text) = LanguageMarker.strip(form)
                if let scalars = Spelling.letters(text) { words[language ?? "", default: []].append((scalars, count)) }
            }
        }
        guard words.count > 1 else { return [:] }
        return words.mapValues { Spelling(words: $0) }
    }


    /// How often `word` (lower-cased) occurs; 0 when it is not one of the words.
    func count(of word: String) -> Int {
        let scalars = word.unicodeScalars.map(\.value)
        let at = lowerBound(scalars)
        return at < counts.count && self.word(at).elementsEqual(scalars) ? Int(counts[at]) : 0
    }

    /// The scalars of `form` when it is 2 to `BS_SPELL_MAX_WORD` letters, else nil.
    static func letters<S: StringProtocol>(_ form: S) -> [UInt32]? {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(form.utf8.count)
        for scalar in form.unicodeScalars {
            let value = scalar.value
            // ASCII letters at once; the rest by Unicode's property.
            if value < 0x80 {
                guard (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) else { return nil }
            } else if !scalar.properties.isAlphabetic {
                return nil
            }
            scalars.append(value)
        }
        return scalars.count >= 2 && scalars.count <= Int(BS_SPELL_MAX_WORD) ? scalars : nil
    }

    // MARK: - Storage: three blobs of little-endian 32-bit integers (chars, starts, counts)

    var encoded: (chars: Data, starts: Data, counts: Data) {
        (chars.withUnsafeBufferPointer { Data(buffer: $0) }, starts.withUnsafeBufferPointer { Data(buffer: $0) },
         counts.withUnsafeBufferPointer { Data(buffer: $0) })
    }

    /// Nil when the blobs do not hold a well-formed vocabulary (a damaged file).
    init?(chars: Data, starts: Data, counts: Data) {
        func values<T: FixedWidthInteger>(_ data: Data, _: T.Type) -> [T]? {
            guard data.count % MemoryLayout<T>.size == 0 else { return nil }
            return data.withUnsafeBytes { raw in (0..<(data.count / MemoryLayout<T>.size)).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) } }
        }
        guard let c = values(chars, UInt32.self), let s = values(starts, Int32.self), let n = values(counts, Int32.self),
              s.count == n.count + 1, s.first == 0, s.last == Int32(c.count),
              zip(s, s.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.chars = c
        self.starts = s
        self.counts = n
        total = n.reduce(0) { $0 + Int($1) }
    }

    /// True when `word` (lower-cased) is one of the words.
    func contains(_ word: String) -> Bool {
        count(of: word) > 0
    }

    /// The index of the first word not ordered before `scalars`.
    private func lowerBound(_ scalars: [UInt32]) -> Int {
        var low = 0, high = counts.count
        while low < high {
            let mid = (low + high) / 2
            if self.word(mid).lexicographicallyPrecedes(scalars) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The `limit` most frequent words that start with `prefix` (lower-cased), most frequent first (ties: in
    /// order), with their counts. The prefix itself counts when it is a word.
    func completions(of prefix: String, limit: Int) -> [(word: String, count: Int)] {
        let scalars = prefix.unicodeScalars.map(\.value)
        guard !scalars.isEmpty, limit > 0 else { return [] }
        let low = lowerBound(scalars)
        // The best `limit` kept in order as the range is walked (a prefix of two letters spans thousands of words).
        var best: [(count: Int32, index: Int)] = []
        best.reserveCapacity(limit + 1)
        var i = low
        while i < counts.count, self.word(i).starts(with: scalars) {
            if best.count < limit || counts[i] > best[best.count - 1].count {
                var at = best.count
                while at > 0, counts[i] > best[at - 1].count { at -= 1 }
                best.insert((counts[i], i), at: at)
                if best.count > limit { best.removeLast() }
            }
            i += 1
        }
        return best.map { (text(of: $0.index), Int($0.count)) }
    }

    private func text(of index: Int) -> String {
        var text = String.UnicodeScalarView()
        for value in word(index) { text.append(Unicode.Scalar(value)!) }
        return String(text)
    }

    private func word(_ i: Int) -> ArraySlice<UInt32> {
        chars[Int(starts[i])..<Int(starts[i + 1])]
    }

    /// A correction of `word` (lower-cased): the best word within its edit distance, or nil (too short, has a
    /// digit, or nothing within reach). The word itself is never its own correction.
    func correction(for word: String) -> (word: String, distance: Int)? {
        let scalars = word.unicodeScalars.map(\.value)
        guard word.unicodeScalars.allSatisfy(\.properties.isAlphabetic), let maxDistance = Spelling.maxDistance(letters: scalars.count),
              scalars.count <= Int(BS_SPELL_MAX_WORD) else { return nil }
        var matches = [bs_spell_match](repeating: bs_spell_match(), count: 256)
        while true {
            let found = chars.withUnsafeBufferPointer { chars in
                starts.withUnsafeBufferPointer { starts in
                    matches.withUnsafeMutableBufferPointer { out in
                        bs_spell_search(chars.baseAddress, starts.baseAddress, Int32(counts.count), scalars, Int32(scalars.count),
                                        maxDistance, out.baseAddress, Int32(out.count))
                    }
                }
            }
            // Rare: more words within reach than room for them; search again with room for all.
            if Int(found) <= matches.count {
                matches.removeSubrange(Int(found)...)
                break
            }
            matches = [bs_spell_match](repeating: bs_spell_match(), count: Int(found))
        }
        // In vocabulary order, so the first of equals is the first in order.
        var best: (index: Int, distance: Int32)? = nil
        for match in matches where match.distance > 0 {
            let i = Int(match.word)
            if let current = best, (current.distance, -counts[current.index]) <= (match.distance, -counts[i]) { continue }
            best = (i, match.distance)
        }
        guard let best else { return nil }
        return (text(of: best.index), Int(best.distance))
    }
}
