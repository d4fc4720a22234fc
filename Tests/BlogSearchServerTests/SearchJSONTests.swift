import BlogSearch
import BlogSearchTestSupport
import Foundation
import Testing
@testable import BlogSearchServer

/// The search route writes its JSON by hand (`SearchJSON`); it must be the bytes Foundation's encoder gives.
@Suite("Search JSON")
struct SearchJSONTests {
    func foundation(_ response: SearchResponse) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(SearchResponseJSON(response)), as: UTF8.self)
    }

    func handWritten(_ response: SearchResponse) -> String {
        String(buffer: SearchJSON.encode(response))
    }

    @Test("real responses: hits, comments, facets, hints, notices, empty pages")
    func realResponses() throws {
        let dir = TemporaryDirectory()
        let index = try Fixtures.holder(dir).current()
        var compared = 0
        for query in ["refund", "empathy escalation", "\"the\"", "zzzz", "the", "script", "customer -refund", "escal*",
                      (0..<40).map { "w\($0)" }.joined(separator: " "), "custmer", "refund OR custmer"] {
            for request in [SearchRequest(query: query), SearchRequest(query: query, limit: 2, offset: 1)] {
                let response = try index.search(request)
                #expect(handWritten(response) == (try foundation(response)), "query \(query)")
                compared += 1
            }
        }
        #expect(compared == 22)
    }

    @Test("snippets: the text escaped, then the highlights marked")
    func snippetHTML() throws {
        #expect(HTMLText.marked(HighlightedText(text: "x <y> & 'z\"", highlights: [0..<1, 3..<6, 11..<11]))
                == "<mark>x</mark> &lt;<mark>y&gt; </mark>&amp; &#39;z&quot;<mark></mark>")
        let dir = TemporaryDirectory()
        let index = try Fixtures.holder(dir).current()
        let hit = try #require(try index.search(SearchRequest(query: "script")).hits.first)
        let html = HTMLText.marked(hit.snippet)
        #expect(html.contains("&lt;<mark>script</mark>&gt;"))
        #expect(html.contains("&amp;"))
        #expect(!html.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(of: "</mark>", with: "").contains("<"))
        #expect(HTMLText.escape("a\n\n <b>\u{E000}") == "a &lt;b&gt;")
    }

    @Test("escapes, absent optionals and numbers as JSONEncoder writes them")
    func edges() throws {
        let json = """
            {"query": "a \\"q\\" \\\\ / <b> \\u0001\\u001f\\t\\n\\r\\b\\f é 😀", "total": 3, "tookMs": 2.0,
             "correctedQuery": "a \\"b\\"", "didYouMean": "é / x",
             "hint": "only / stop words", "notices": ["n1", ""], "rankedBy": "postings",
             "facets": {"categories": [{"value": "A/B", "count": 2}], "tags": [], "languages": [{"value": "ja", "count": 1}]},
             "hits": [
               {"slug": "s", "title": "T \\u2028", "url": "/p/s/", "categories": [], "tags": ["x"], "score": 1e-05,
                "matchedIn": ["body"], "snippet": {"text": "x <y> & 'z'", "highlights": [[0, 1], [3, 6], [11, 11]]}, "matchesAllTerms": false,
                "lang": "zh-hans",
                "translations": [{"lang": "en", "slug": "s-en", "title": "T \\"en\\"", "url": "/p/s/"}, {"slug": "s2", "title": "", "url": "/x/"}]},
               {"slug": "t", "title": "U", "url": "/p/t/", "date": "2024-01-02", "author": "Ana", "categories": ["c"],
                "tags": [], "score": 123456789.125, "matchedIn": ["comments"], "snippet": {"text": "", "highlights": []},
                "comment": {"id": "c1", "snippet": {"text": "s", "highlights": [[0, 1]]}}, "matchesAllTerms": true, "translations": []},
               {"slug": "u", "title": "V", "url": "/p/u/", "categories": [], "tags": [], "score": -0.5, "matchedIn": [],
                "snippet": {"text": "", "highlights": []}, "comment": {"id": "c2", "author": "Bo", "date": "2024-02-03", "snippet": {"text": "t & <u>", "highlights": [[4, 7]]}},
                "matchesAllTerms": true, "translations": []}
             ]}
            """
        let response = try JSONDecoder().decode(SearchResponse.self, from: Data(json.utf8))
        #expect(handWritten(response) == (try foundation(response)))
        var numbers = response
        for value in [0.0, 1.0, 0.1, 1e21, 1.5e-7, 3.360988195035963, 100.0, 12345678901234.0] {
            numbers.tookMs = value
            numbers.hits[0].score = value
            #expect(handWritten(numbers) == (try foundation(numbers)), "\(value)")
        }
    }
}
