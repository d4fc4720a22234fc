import Testing
@testable import BlogSearch

@Suite("Query syntax")
struct QueryParserTests {
    typealias Clause = ParsedQuery.Clause

    @Test(arguments: [
        ("empathy", [Clause.phrase(["empathy"], prefix: false)], [Clause]()),
        ("the empathy of support", [.phrase(["empathy"], prefix: false), .phrase(["support"], prefix: false)], []),
        ("\"customer support\" team", [.phrase(["customer", "support"], prefix: false), .phrase(["team"], prefix: false)], []),
        ("empathy -angry", [.phrase(["empathy"], prefix: false)], [.phrase(["angry"], prefix: false)]),
        ("empathy -\"angry customer\"", [.phrase(["empathy"], prefix: false)], [.phrase(["angry", "customer"], prefix: false)]),
        ("emp*", [.phrase(["emp"], prefix: true)], []),
        ("e*", [.phrase(["e"], prefix: false)], []),
        ("sla OR slo", [.any([.phrase(["sla"], prefix: false), .phrase(["slo"], prefix: false)])], []),
        ("a OR b OR c", [.any([.phrase(["b"], prefix: false), .phrase(["c"], prefix: false)])], []),
        ("e-mail", [.phrase(["e", "mail"], prefix: false)], []),
        ("customer's", [.phrase(["customer", "s"], prefix: false)], []),
        ("Café NAÏVE", [.phrase(["café"], prefix: false), .phrase(["naïve"], prefix: false)], []),
        ("sla sla", [.phrase(["sla"], prefix: false), .phrase(["sla"], prefix: false)], []),
        ("\"unclosed phrase", [.phrase(["unclosed", "phrase"], prefix: false)], []),
    ])
    func parses(query: String, clauses: [Clause], excluded: [Clause]) {
        let parsed = QueryParser.parse(query)
        #expect(parsed.clauses == clauses)
        #expect(parsed.excluded == excluded)
    }

    /// Input that is FTS5 syntax, or looks like it, is plain text: it must never reach FTS5 as operators.
    @Test(arguments: [
        "\"", "\"\"", "*", "**", "-", "--", ":", "NEAR(", "NEAR(a b)", "AND OR NOT", "title:empathy", "{title}: x",
        "a AND b", "(a OR b)", "^start", "a + b", "'; DROP TABLE posts; --", "\\", "\u{0}", "\u{E000}x\u{E001}",
        "OR", "OR a", "a OR", "-a", "- a", "x*y", "\"a\"*", "🙂 emoji", "ｆｕｌｌｗｉｄｔｈ",
    ])
    func hostileInputIsText(query: String) {
        let parsed = QueryParser.parse(query)
        for phrase in parsed.phrases + parsed.excluded {
            guard case .phrase(let tokens, _) = phrase else { continue }
            for token in tokens {
                #expect(token.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0.properties.generalCategory == .nonspacingMark })
            }
        }
    }

    @Test("stop words are dropped from queries and reported")
    func stopWords() {
        let parsed = QueryParser.parse("what is the best way")
        #expect(parsed.clauses == [.phrase(["best"], prefix: false), .phrase(["way"], prefix: false)])
        #expect(parsed.stopWords == ["what", "is", "the"])
        #expect(QueryParser.parse("to be or not to be").isEmpty)
        #expect(QueryParser.parse("\"to be or not to be\"").clauses == [.phrase(["to", "be", "or", "not", "to", "be"], prefix: false)])
    }

    @Test("more than the clause limit is truncated and says so")
    func truncation() {
        let query = (1...50).map { "word\($0)" }.joined(separator: " ")
        let parsed = QueryParser.parse(query)
        #expect(parsed.clauses.count == QueryParser.maxClauses)
        #expect(parsed.truncated)
    }

    @Test("match expressions quote every token")
    func expressions() {
        let parsed = QueryParser.parse("sla OR slo \"first response\" resp* -weekend")
        #expect(MatchExpression.all(parsed) == "(((\"sla\" OR \"slo\") AND \"first response\" AND \"resp\" *) NOT (\"weekend\"))")
        #expect(MatchExpression.any(parsed) == "((\"sla\" OR \"slo\" OR \"first response\" OR \"resp\" *) NOT (\"weekend\"))")
    }
}
