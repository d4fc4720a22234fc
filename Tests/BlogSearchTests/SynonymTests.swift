import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Synonyms")
struct SynonymTests {
    @Test("Solr's format: equivalents, explicit mappings, comments; bad lines named by number and left out")
    func parsing() {
        let (synonyms, problems) = Synonyms.parse("""
            # comment
            CSAT, Customer Satisfaction

            faq => frequently asked questions
            a => b => c
            lonely
            kb, , wiki
            tl;dr, tldr => summary
            """)
        #expect(synonyms.alternatives(for: ["csat"]) == [["csat"], ["customer", "satisfaction"]])
        #expect(synonyms.alternatives(for: ["customer", "satisfaction"]) == [["csat"], ["customer", "satisfaction"]])
        #expect(synonyms.alternatives(for: ["faq"]) == [["frequently", "asked", "questions"]])
        #expect(synonyms.alternatives(for: ["frequently", "asked", "questions"]) == nil)   // one way only
        #expect(synonyms.alternatives(for: ["tl", "dr"]) == [["summary"]])
        #expect(problems.map(\.line) == [5, 6, 7])
        #expect(problems[0].message.contains("'=>'"))
        #expect(synonyms.text == "CSAT, Customer Satisfaction\nfaq => frequently asked questions\ntl;dr, tldr => summary")
        // What the generation keeps reads back the same.
        #expect(Synonyms.parse(synonyms.text).synonyms == synonyms)
    }

    @Test("plain words that spell an entry become one clause; quotes, OR groups, prefixes and exclusions do not")
    func expansion() {
        let synonyms = Synonyms.parse("csat, customer satisfaction\nout of office => ooo").synonyms
        func clauses(_ query: String) -> [ParsedQuery.Clause] { QueryParser.parse(query).expanding(synonyms).clauses }
        let either: ParsedQuery.Clause = .any([.phrase(["csat"], prefix: false), .phrase(["customer", "satisfaction"], prefix: false)])
        #expect(clauses("csat tips") == [either, .phrase(["tips"], prefix: false)])
        #expect(clauses("improve customer satisfaction") == [.phrase(["improve"], prefix: false), either])
        #expect(clauses("out of office") == [.phrase(["ooo"], prefix: false)])                // the stop word aside
        #expect(clauses("\"csat\"") == [.phrase(["csat"], prefix: false)])
        #expect(clauses("csat*") == [.phrase(["csat"], prefix: true)])
        #expect(clauses("csat OR nps") == [.any([.phrase(["csat"], prefix: false), .phrase(["nps"], prefix: false)])])
        #expect(QueryParser.parse("tips -csat").expanding(synonyms).excluded == [.phrase(["csat"], prefix: false)])
    }

    static func post(_ slug: String, _ body: String) -> Post {
        Post(slug: slug, title: slug, date: "2024-01-01", author: "Ana", categories: [], tags: [], body: body, comments: [],
             source: SourceLocation(path: "posts.jsonl", line: 1))
    }

    @Test("a corpus's synonyms.txt is kept in the generation and finds posts by their other names")
    func inTheGeneration() throws {
        let dir = TemporaryDirectory()
        let corpusPath = dir.url("corpus")
        _ = dir.write("corpus/posts.jsonl", """
            {"slug": "survey", "title": "Surveys", "body": "Measure customer satisfaction after every ticket."}
            {"slug": "score", "title": "Scores", "body": "Our csat went up; satisfaction of the customer is the goal."}
            {"slug": "faq", "title": "Help pages", "body": "Frequently asked questions belong in the help centre."}
            """)
        _ = dir.write("corpus/synonyms.txt", "csat, customer satisfaction\nfaq => frequently asked questions\nbroken, , line\n")
        let corpus = try CorpusReader().read(at: corpusPath)
        #expect(corpus.posts.count == 3)   // synonyms.txt is not read as a page
        #expect(corpus.problems.map(\.location.description) == [corpusPath + "/synonyms.txt:3"])
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: corpusPath)
        try FileManager.default.removeItem(atPath: corpusPath + "/synonyms.txt")
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        // Either name finds both posts; the phrase is a phrase ("satisfaction of the customer" is not it).
        #expect(Set(try index.search(SearchRequest(query: "csat")).hits.map(\.slug)) == ["survey", "score"])
        let phrase = try index.search(SearchRequest(query: "customer satisfaction"))
        #expect(Set(phrase.hits.filter(\.matchesAllTerms).map(\.slug)) == ["survey", "score"])
        #expect(try index.search(SearchRequest(query: "faq")).hits.map(\.slug) == ["faq"])
        // A word of a rule is never "corrected", even if no post holds it.
        #expect(try index.search(SearchRequest(query: "faqs")).correctedQuery == nil)
        #expect(index.manifest.synonyms == "csat, customer satisfaction\nfaq => frequently asked questions")
    }
}
