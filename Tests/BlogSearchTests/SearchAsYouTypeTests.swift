import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// The last word as a prefix (`prefixLast`) and the search box's suggestions.
@Suite struct SearchAsYouTypeTests {
    static let posts: [Post] = [
        ForgivingQueryTests.post("angry", "Angry customers", date: "2024-01-10", body: "An angry customer wants to be heard; customers talk."),
        ForgivingQueryTests.post("custody", "Custody of data", date: "2024-02-01", body: "Data custody and an angry auditor."),
        ForgivingQueryTests.post("escalate", "Escalation paths", date: "2024-03-01", body: "Escalate early; escalation paths help angry callers."),
        ForgivingQueryTests.post("calm", "Calm", date: "2024-04-01", body: "Nothing to see here."),
    ]

    @Test("the last word completes from the vocabulary; a space after it, quotes or an exclusion end it")
    func prefixLast() throws {
        let dir = TemporaryDirectory()
        let index = try ForgivingQueryTests.index(dir, posts: Self.posts)
        let typing = try index.search(SearchRequest(query: "angry cust", prefixLast: true))
        #expect(Set(typing.hits.filter(\.matchesAllTerms).map(\.slug)) == ["angry", "custody"])
        #expect(typing.correctedQuery == nil && typing.didYouMean == nil)
        // Without the flag, or with the word ended, "cust" is a word no post holds.
        #expect(try index.search(SearchRequest(query: "angry cust")).hits.allSatisfy { !$0.matchesAllTerms })
        #expect(try index.search(SearchRequest(query: "angry cust ", prefixLast: true)).hits.allSatisfy { !$0.matchesAllTerms })
        #expect(try index.search(SearchRequest(query: "angry \"cust\"", prefixLast: true)).hits.allSatisfy { !$0.matchesAllTerms })
        // Forms of one stem count once: "escalate" and "escalation" complete "esc" as two stems at most.
        let stems = try index.search(SearchRequest(query: "esc", prefixLast: true))
        #expect(stems.hits.map(\.slug) == ["escalate"])
        // Both paths agree.
        #expect(try index.search(SearchRequest(query: "angry cust", prefixLast: true), rankers: [FTS5Ranker()], hits: HitMakers.full).hits == typing.hits)
    }

    @Test("suggestions: the query with its last word completed, most frequent first, and the posts to go to")
    func suggestions() throws {
        let dir = TemporaryDirectory()
        let index = try ForgivingQueryTests.index(dir, posts: Self.posts)
        let suggestions = try index.suggest("Angry cust", limit: 5)
        // custody and customers are written twice each (title and body), customer once; ties in order.
        #expect(suggestions.completions.map(\.query) == ["Angry custody", "Angry customers", "Angry customer"])
        #expect(suggestions.completions.map(\.count) == [2, 2, 1])
        #expect(Set(suggestions.posts.prefix(2).map(\.slug)) == ["angry", "custody"])
        #expect(try index.suggest("angry ", limit: 5).completions.isEmpty)
        #expect(try index.suggest("", limit: 5).posts.isEmpty)
        #expect(throws: SearchError.self) { try index.suggest("a", limit: 0) }
    }
}
