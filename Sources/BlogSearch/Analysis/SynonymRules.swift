import Foundation

/// The line grammar of a synonyms file in Solr's format, before any analysis: `a, b, c` (equivalents) or
/// `a, b => c, d` (one way), `#` comment lines and blank lines. `Synonyms` splits the entries into words; the
/// corpus reader (Corpus/) uses the grammar alone to report bad lines with their numbers.
enum SynonymRules {
    struct Rule: Sendable, Hashable {
        var line: Int
        /// The line as written, trimmed.
        var text: String
        var left: [String]
        /// Nil for equivalents.
        var right: [String]?
    }

    struct Problem: Sendable, Hashable {
        var line: Int
        var message: String
    }

    /// The rules of `text`, in order, and the lines that are not rules.
    static func read(_ text: String) -> (rules: [Rule], problems: [Problem]) {
        var rules: [Rule] = []
        var problems: [Problem] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let number = index + 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let sides = line.components(separatedBy: "=>")
            guard sides.count <= 2 else {
                problems.append(Problem(line: number, message: "more than one '=>'; write one rule per line"))
                continue
            }
            // An entry needs a letter or a digit: anything else is what queries treat as a separator.
            func entries(_ side: String) -> [String]? {
                let parts = side.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
                return parts.allSatisfy({ $0.contains { $0.isLetter || $0.isNumber } }) ? parts : nil
            }
            guard let left = entries(sides[0]) else {
                problems.append(Problem(line: number, message: "an empty entry (nothing but spaces or punctuation between commas)"))
                continue
            }
            if sides.count == 2 {
                guard let right = entries(sides[1]) else {
                    problems.append(Problem(line: number, message: "an empty entry after '=>'"))
                    continue
                }
                rules.append(Rule(line: number, text: line, left: left, right: right))
            } else {
                guard left.count >= 2 else {
                    problems.append(Problem(line: number, message: "one entry alone; list equivalents as 'a, b' or map with 'a => b'"))
                    continue
                }
                rules.append(Rule(line: number, text: line, left: left, right: nil))
            }
        }
        return (rules, problems)
    }
}
