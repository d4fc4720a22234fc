/// FTS5 MATCH expressions built from a parsed query, never from raw text: every token is a quoted
/// string (FTS5 strings double their quotes; tokens hold only letters and digits anyway), and the only
/// operators are the ones written here.
enum MatchExpression {
    /// Columns a user's words may match; `facets` is kept for filters.
    static let textColumns = "{title taxonomy body comments}"

    static func quote(_ token: String) -> String {
        "\"" + token.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func render(_ clause: ParsedQuery.Clause) -> String {
        switch clause {
        case .phrase(let tokens, let prefix):
            return quote(tokens.joined(separator: " ")) + (prefix ? " *" : "")
        case .any(let inner):
            return "(" + inner.map(render).joined(separator: " OR ") + ")"
        }
    }

    /// Every positive clause must match (tier one).
    static func all(_ query: ParsedQuery) -> String? {
        guard !query.clauses.isEmpty else { return nil }
        return withExclusions(query.clauses.map(render).joined(separator: " AND "), query)
    }

    /// Any phrase may match (both tiers). Repeated phrases stay repeated: the ranking counts each.
    static func any(_ query: ParsedQuery) -> String? {
        guard !query.clauses.isEmpty else { return nil }
        return withExclusions(query.phrases.map(render).joined(separator: " OR "), query)
    }

    private static func withExclusions(_ expression: String, _ query: ParsedQuery) -> String {
        guard !query.excluded.isEmpty else { return "(\(expression))" }
        return "((\(expression)) NOT (\(query.excluded.map(render).joined(separator: " OR "))))"
    }

    /// Restricts an expression to the text columns of `post_text` and adds facet filters (each must match).
    static func forPosts(_ expression: String, facets: [String]) -> String {
        ([textColumns + " : " + expression] + facets.map { "facets : " + quote($0) }).joined(separator: " AND ")
    }

    /// Tier two: matches `any` but not `all`.
    static func anyButNotAll(_ any: String, _ all: String) -> String {
        "(\(any) NOT \(all))"
    }
}
