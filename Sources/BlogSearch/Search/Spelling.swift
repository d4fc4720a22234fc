import CSQLiteExtras
import Foundation
import GRDB

/// The words readers write, as the generation saw them (every surface form of the vector store's vocabulary,
/// `terms.surfaces`, with how often it occurs), for correcting the words of a query that match nothing.
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
    }

    /// Every surface form of the generation's vector vocabulary made only of letters (no digits: numbers and
    /// versions are not misspelt words), with its count.
    static func load(_ db: Database) throws -> Spelling {
        var words: [(word: [UInt32], count: Int32)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT surfaces FROM terms")
        while let row = try rows.next() {
            let text: String = row[0]
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                guard let tab = line.firstIndex(of: "\t"), let n = Int32(line[..<tab]) else { continue }
                let scalars = line[line.index(after: tab)...].unicodeScalars.map(\.value)
                guard scalars.count >= 2, scalars.count <= Int(BS_SPELL_MAX_WORD),
                      line[line.index(after: tab)...].unicodeScalars.allSatisfy(\.properties.isAlphabetic) else { continue }
                words.append((scalars, n))
            }
        }
        return Spelling(words: words)
    }

    /// True when `word` (lower-cased) is one of the words.
    func contains(_ word: String) -> Bool {
        let scalars = word.unicodeScalars.map(\.value)
        var low = 0, high = counts.count
        while low < high {
            let mid = (low + high) / 2
            if self.word(mid).lexicographicallyPrecedes(scalars) { low = mid + 1 } else { high = mid }
        }
        return low < counts.count && self.word(low).elementsEqual(scalars)
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
        var text = String.UnicodeScalarView()
        for value in self.word(best.index) { text.append(Unicode.Scalar(value)!) }
        return (String(text), Int(best.distance))
    }
}
