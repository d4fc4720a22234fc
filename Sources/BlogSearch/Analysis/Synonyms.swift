/// Synonyms applied to queries, from a corpus's `synonyms.txt` in Solr's format:
///
/// ```
/// # a comment
/// csat, customer satisfaction          ← equivalent: any of them finds all of them
/// faq => frequently asked questions    ← explicit: the left side is searched as the right side
/// tl;dr, tldr => summary, abstract
/// ```
///
/// Entries are split into words as queries are (`Analyzer.queryTokens`), so case and punctuation do not
/// matter; a multi-word entry is searched as a phrase. At query time a run of plain words that spells an
/// entry (stop words aside, as the query drops them) becomes one "any of" clause of its alternatives
/// (`ParsedQuery.expanding`), so the "every word" tier counts it once. Words in quotes, prefixes and exclusions are left alone. Rules for the
/// same entry add up, as in Solr. The accepted lines are kept in the generation (`text`), so a generation
/// answers the same wherever it is served.
public struct Synonyms: Sendable, Hashable {
    /// Per entry (its words without stop words): what it is searched as, in the order the file gives them.
    private var alternatives: [[String]: [[String]]] = [:]
    /// The longest entry, in words.
    private var longest = 0
    /// Every word of every entry: such a word is never "corrected" as unknown.
    private var words: Set<String> = []
    /// The accepted rules, one per line, as read: what the generation stores.
    public private(set) var text = ""

    public static let none = Synonyms()

    public var isEmpty: Bool { alternatives.isEmpty }

    /// `text`, or nil when there are no rules: what a manifest stores.
    var nonEmptyText: String? { isEmpty ? nil : text }

    /// A line that could not be read, with why.
    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var message: String
    }

    public init() {}

    /// Parses a synonyms file (`SynonymRules`); lines that cannot be read are left out and reported.
    public static func parse(_ text: String) -> (synonyms: Synonyms, problems: [Problem]) {
        let (rules, problems) = SynonymRules.read(text)
        var synonyms = Synonyms()
        for rule in rules {
            let left = rule.left.map(Analyzer.queryTokens)
            if let right = rule.right?.map(Analyzer.queryTokens) {
                for entry in left { synonyms.add(entry, right) }
            } else {
                for entry in left { synonyms.add(entry, left) }
            }
        }
        synonyms.text = rules.map(\.text).joined(separator: "\n")
        return (synonyms, problems.map { Problem(line: $0.line, message: $0.message) })
    }

    private mutating func add(_ entry: [String], _ to: [[String]]) {
        let key = entry.filter { !StopWords.english.contains($0) }
        guard !key.isEmpty else { return }
        var list = alternatives[key] ?? []
        for alternative in to where !list.contains(alternative) { list.append(alternative) }
        alternatives[key] = list
        longest = max(longest, key.count)
        words.formUnion(entry)
    }

    /// True when `token` is a word of some entry.
    func mentions(_ token: String) -> Bool { words.contains(token) }

    /// What `entry` (words without stop words) is searched as, if it is an entry.
    func alternatives(for entry: [String]) -> [[String]]? { alternatives[entry] }

    /// The longest entry, in words.
    var longestEntry: Int { longest }
}
