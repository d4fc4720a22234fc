import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Searching")
struct SearchTests {
    let dir = TemporaryDirectory()
    let index: SearchIndex

    init() throws {
        index = try Fixtures.blogIndex(dir)
    }

    func slugs(_ query: String, limit: Int = 10, offset: Int = 0, categories: [String] = [], tags: [String] = [],
               author: String? = nil, since: String? = nil, until: String? = nil) throws -> [String] {
        try index.search(SearchRequest(query: query, limit: limit, offset: offset, categories: categories, tags: tags,
                                       author: author, since: since, until: until)).hits.map(\.slug)
    }

    @Test("ranking by order: the post about the words comes first")
    func ranking() throws {
        #expect(try slugs("empathy").first == "empathy-in-support")
        #expect(try slugs("response times").prefix(2).sorted() == ["queue-management", "sla-basics"])
        #expect(try slugs("angry").first == "angry-customers")
    }

    @Test("posts with every word come first, then posts with some, and each hit says which")
    func allWordsFirst() throws {
        let response = try index.search(SearchRequest(query: "angry customers escalation"))
        #expect(response.hits.first?.slug == "angry-customers")
        #expect(response.hits.first?.matchesAllTerms == true)
        #expect(response.hits.dropFirst().allSatisfy { !$0.matchesAllTerms })
        #expect(response.hits.count >= 2)
        #expect(response.total == response.hits.count)
    }

    @Test(arguments: [
        ("\"response time\"", ["queue-management", "sla-basics"]),
        ("\"first response time\"", ["sla-basics"]),
        ("\"time response\"", []),
        ("metrics -forecast", ["sla-basics"]),
        ("escalat*", ["angry-customers"]),
        ("staffing OR swarming", ["angry-customers", "queue-management"]),
    ])
    func syntax(query: String, expected: [String]) throws {
        #expect(try slugs(query).sorted() == expected)
    }

    @Test("a question in plain language still finds posts")
    func naturalLanguage() throws {
        #expect(try slugs("how do I handle an angry customer who wants a refund?").first == "angry-customers")
    }

    @Test("hostile input never fails", arguments: [
        "\"", "*", "NEAR(", "-", ":", "AND OR NOT", "title:empathy", "'; DROP TABLE posts; --", "(((", "\"\"\"",
        "empathy\"", "-empathy", "^", "x\u{0}y", String(repeating: "a", count: 1_000), String(repeating: "ab ", count: 300),
    ])
    func hostile(query: String) throws {
        _ = try index.search(SearchRequest(query: query))
    }

    @Test("a query longer than the documented maximum is cut with a notice, not refused")
    func tooLong() throws {
        let response = try index.search(SearchRequest(query: String(repeating: "x", count: 10_000)))
        #expect(response.query.count == SearchRequest.maxQueryLength)
        #expect(response.notices.first == "the query was cut to its first 1000 characters (of 10000); the most is 1000")
    }

    @Test("empty and all-stop-word queries give no hits and a hint")
    func emptyQueries() throws {
        for query in ["", "   ", "the of and", "?!", "-empathy"] {
            let response = try index.search(SearchRequest(query: query))
            #expect(response.hits.isEmpty)
            #expect(response.hint != nil)
        }
    }

    @Test("limit and dates are validated by name", arguments: [
        (SearchRequest(query: "x", limit: 0), "limit"), (SearchRequest(query: "x", limit: 101), "limit"),
        (SearchRequest(query: "x", offset: -1), "offset"), (SearchRequest(query: "x", since: "2024-13-01"), "since"),
        (SearchRequest(query: "x", until: "yesterday"), "until"), (SearchRequest(query: "x", since: "2025-01-01", until: "2024-01-01"), "since"),
    ])
    func validation(request: SearchRequest, parameter: String) {
        do {
            _ = try index.search(request)
            Issue.record("expected an error")
        } catch .invalidParameter(let name, _) {
            #expect(name == parameter)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("filters: category, tag, author and dates, case-insensitive")
    func filters() throws {
        #expect(try slugs("response", categories: ["support operations"]).sorted() == ["queue-management", "sla-basics"])
        #expect(try slugs("response", tags: ["staffing"]) == ["queue-management"])
        #expect(try slugs("response", tags: ["staffing", "sla"]) == [])
        #expect(try slugs("customer", author: "Ian Stone").sorted() == ["empathy-in-support", "escaping-forms"])
        #expect(try slugs("response", since: "2024-01-01") == ["queue-management"])
        #expect(try slugs("response", until: "2024-01-01") == ["sla-basics"])
        #expect(try slugs("response", since: "2023-06-01", until: "2023-06-01") == ["sla-basics"])
        #expect(try slugs("response", since: "2026-01-01") == [])
    }

    @Test("facets count categories and tags over all matches, not just the page")
    func facets() throws {
        let response = try index.search(SearchRequest(query: "customer OR response", limit: 1))
        #expect(response.hits.count == 1)
        #expect(response.total == 5)
        let categories = Dictionary(uniqueKeysWithValues: response.facets.categories.map { ($0.value, $0.count) })
        #expect(categories == ["Customer Support": 2, "Support Operations": 2, "Support Technology": 1])
        #expect(response.facets.tags.first { $0.value == "metrics" }?.count == 2)
    }

    @Test("pages follow each other without gaps or repeats, across both tiers")
    func pagination() throws {
        let query = "customer response angry empathy"
        let all = try slugs(query, limit: 100)
        #expect(all.count == 5)
        var paged: [String] = []
        for offset in stride(from: 0, to: 6, by: 2) {
            paged += try slugs(query, limit: 2, offset: offset)
        }
        #expect(paged == all)
        #expect(try index.search(SearchRequest(query: query, limit: 2, offset: 4)).total == 5)
    }

    @Test("a match in a comment rolls up to its post and names the comment")
    func commentRollUp() throws {
        let response = try index.search(SearchRequest(query: "swarming"))
        let hit = try #require(response.hits.first)
        #expect(response.hits.count == 1)
        #expect(hit.slug == "angry-customers")
        #expect(hit.matchedIn == ["comments"])
        let comment = try #require(hit.comment)
        #expect(["c1", "c2"].contains(comment.id))
        #expect(comment.snippet.bracketed.lowercased().contains("[swarming]"))
        #expect(hit.snippet == comment.snippet)
        let best = try #require(try index.search(SearchRequest(query: "swarming agents")).hits.first?.comment)
        #expect(best.id == "c1")
        #expect(best.author == "Mara Pace")
        #expect(best.date == "2024-03-06T10:00:00")
    }

    @Test("body matches rank above comment-only matches")
    func bodyOverComments() throws {
        #expect(try slugs("sla").first != "angry-customers")
        #expect(try slugs("weekends OR escalation") == ["angry-customers", "sla-basics"])
    }

    @Test("snippets are the text as written, the matches highlighted (escaping is the server's)")
    func snippetText() throws {
        let hit = try #require(try index.search(SearchRequest(query: "script")).hits.first)
        #expect(hit.slug == "escaping-forms")
        #expect(hit.title == "When a Customer Pastes <script> Into a Form")
        #expect(hit.snippet.bracketed.contains("<[script]>"))
        #expect(hit.snippet.text.contains("&"))
        #expect(!hit.snippet.text.contains("&lt;") && !hit.snippet.text.contains("<mark>"))
        #expect(hit.matchedIn.contains("title") && hit.matchedIn.contains("body"))
    }

    @Test("stemming: a query word finds its other forms")
    func stemming() throws {
        #expect(try slugs("empathetic").contains("empathy-in-support"))
        #expect(try slugs("measuring").contains("sla-basics"))
    }
}
