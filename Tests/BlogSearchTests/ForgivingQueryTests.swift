import Foundation
import GRDB
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// Typos and "did you mean", sorting by date, the recency boost and long questions.
@Suite struct ForgivingQueryTests {
    static func post(_ slug: String, _ title: String, date: String?, body: String, comments: [String] = []) -> Post {
        Post(slug: slug, title: title, date: date, author: "Ana", categories: ["Support"], tags: [],
             body: body, comments: comments.enumerated().map { Comment(id: "c\($0.offset)", author: "reader", date: nil, body: $0.element) },
             source: SourceLocation(path: "posts.jsonl", line: 1))
    }

    static let posts: [Post] = [
        post("angry", "Angry customers", date: "2024-01-10", body: "An angry customer wants to be heard. Escalation helps customers."),
        post("calm", "Calm customers", date: "2024-06-01", body: "A calm customer is a happy customer; satisfaction follows."),
        post("survey", "Satisfaction surveys", date: "2025-03-01", body: "Customer satisfaction surveys measure how customers feel."),
        post("refund", "Refunds", date: "2023-05-05", body: "Refund requests from an angry buyer need empathy."),
        post("undated", "Escalation paths", date: nil, body: "Escalation paths for every customer complaint."),
        post("kb", "Knowledge base", date: "2022-02-02", body: "Write articles; a knowledgeable team keeps the knowledge base fresh.",
             comments: ["The knowledge base saved us hours."]),
    ]

    static func index(_ dir: TemporaryDirectory, posts: [Post] = posts) throws -> SearchIndex {
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(Corpus(posts: posts), corpusPath: "mem")
        return try SearchIndex.open(directory: dir.url("indexes"))
    }

    // MARK: - The spelling vocabulary alone

    static func spelling(_ words: [String: Int32]) -> Spelling {
        Spelling(words: words.map { ($0.key.unicodeScalars.map(\.value), $0.value) })
    }

    @Test("one edit for words of 5 to 8 letters, two for longer ones, none for shorter")
    func distances() {
        let spelling = Self.spelling(["customer": 10, "escalation": 5, "team": 9, "knowledge": 3])
        #expect(spelling.correction(for: "custmer")?.word == "customer")           // a letter dropped
        #expect(spelling.correction(for: "cutsomer")?.word == "customer")          // neighbours swapped: one edit
        #expect(spelling.correction(for: "custommer")?.word == "customer")         // a letter doubled
        #expect(spelling.correction(for: "cuztomar") == nil)                       // two edits, 8 letters: too far
        #expect(spelling.correction(for: "escalatoin")?.word == "escalation")
        #expect(spelling.correction(for: "escilatoin")?.word == "escalation")      // two edits, 10 letters
        #expect(spelling.correction(for: "knowlegde")?.distance == 1)              // 9 letters, transposition
        #expect(spelling.correction(for: "taem") == nil)                           // 4 letters: never corrected
        #expect(spelling.correction(for: "vustomer")?.word == "customer")          // 8 letters: the one edit may be the first
        #expect(spelling.correction(for: "scalation")?.word == "escalation")       // 9 letters: two, first letter dropped
        #expect(spelling.correction(for: "scalatoin") == nil)                      // first letter and one more: three
        #expect(spelling.correction(for: "customer") == nil)                       // a word is not its own correction
        #expect(spelling.correction(for: "custmer2") == nil)                       // digits: not a misspelt word
    }

    @Test("the fewest edits win, then the most frequent word, then the first in order")
    func ranking() {
        let spelling = Self.spelling(["canter": 1, "center": 50, "centre": 20, "carter": 50])
        #expect(spelling.correction(for: "cemter")?.word == "center")              // one edit; "canter" is two
        #expect(spelling.correction(for: "canterr")?.word == "canter")             // one edit beats a frequent two
        let tie = Self.spelling(["bravo": 3, "brave": 3])
        #expect(tie.correction(for: "bravx")?.word == "brave")                     // equal: the first in order
        #expect(spelling.contains("centre") && !spelling.contains("cent"))
    }

    @Test("the walk finds exactly the words a brute-force edit distance finds")
    func walkMatchesBruteForce() {
        var random = SystemRandomNumberGenerator()
        let letters = Array("abcde")
        var words: [String: Int32] = [:]
        for _ in 0..<600 {
            let length = Int.random(in: 2...9, using: &random)
            words[String((0..<length).map { _ in letters.randomElement(using: &random)! })] = Int32.random(in: 1...100, using: &random)
        }
        let spelling = Self.spelling(words)
        for _ in 0..<300 {
            let length = Int.random(in: 5...11, using: &random)
            let query = String((0..<length).map { _ in letters.randomElement(using: &random)! })
            let limit = length <= 8 ? 1 : 2
            // With two edits allowed, a different first letter costs one edit more (a typo on the first
            // character counts as two).
            let expected = words.compactMap { word, count -> (Int, Int32, String)? in
                guard word != query, let osa = Self.osa(Array(query), Array(word)) else { return nil }
                let d = osa + (word.first == query.first || limit < 2 ? 0 : 1)
                return d <= limit ? (d, -count, word) : nil
            }.min { $0 < $1 }
            let got = spelling.correction(for: query)
            #expect(got?.word == expected?.2, "query \(query)")
            #expect(got?.distance == expected?.0, "query \(query)")
        }
    }

    /// Optimal string alignment distance, the textbook way.
    static func osa(_ a: [Character], _ b: [Character]) -> Int? {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    // MARK: - Corrections in search

    @Test("a misspelt word is corrected when the query as typed finds no post with every word")
    func correctedQuery() throws {
        let dir = TemporaryDirectory()
        let index = try Self.index(dir)
        let response = try index.search(SearchRequest(query: "Angry custmer"))
        #expect(response.correctedQuery == "Angry customer")
        #expect(response.query == "Angry custmer")
        #expect(response.hits.first?.slug == "angry")
        #expect(response.hits.first?.matchesAllTerms == true)
        // The correction's hits are whole: matched fields and a highlighted snippet of the corrected words.
        #expect(response.hits.first?.matchedIn.isEmpty == false)
        #expect(response.hits.first?.snippet.highlights.isEmpty == false)
        // Nothing at all as typed: corrected too.
        #expect(try index.search(SearchRequest(query: "satisfacton")).correctedQuery == "satisfaction")
        // Asked not to: the words as typed, and no suggestion.
        let asTyped = try index.search(SearchRequest(query: "angry custmer", correct: false))
        #expect(asTyped.correctedQuery == nil && asTyped.didYouMean == nil)
        #expect(asTyped.hits.allSatisfy { !$0.matchesAllTerms })
    }

    @Test("the spelling vocabulary is stored in the generation; one built before it is made from the vectors' words")
    func storedVocabulary() throws {
        let dir = TemporaryDirectory()
        let stored = try Self.index(dir)
        let expected = try stored.spelling()
        #expect(expected.count > 20 && expected.contains("customer"))
        // The same words from the vectors' surface forms, as a generation without the table gets them.
        let generation = try #require(try GenerationStore(directory: dir.url("indexes")).current())
        let queue = try DatabaseQueue(path: generation.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "DROP TABLE spelling") }
        try queue.close()
        let older = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(try older.spelling().encoded == expected.encoded)
        #expect(try older.search(SearchRequest(query: "angry custmer")).correctedQuery == "angry customer")
    }

    @Test("a correction is only offered when the query as typed finds posts with every word")
    func didYouMean() throws {
        let dir = TemporaryDirectory()
        let index = try Self.index(dir)
        let response = try index.search(SearchRequest(query: "refund OR custmer"))
        #expect(response.correctedQuery == nil)
        #expect(response.didYouMean == "refund OR customer")
        #expect(response.hits.map(\.slug) == ["refund"])
    }

    @Test("known words, phrases, prefixes, exclusions and short words are never changed")
    func neverChanged() throws {
        let dir = TemporaryDirectory()
        let index = try Self.index(dir)
        for query in ["customers", "knowledgeable", "\"custmer\"", "custmer*", "angry -custmer", "angri", "escalation 2024"] {
            let response = try index.search(SearchRequest(query: query))
            #expect(response.correctedQuery == nil && response.didYouMean == nil, "\(query)")
        }
        // A word known only through its stem (`customers` → `custom`, written `customer`): known.
        #expect(try index.search(SearchRequest(query: "customering")).correctedQuery == nil)
    }

    // MARK: - Sorting and recency

    @Test("sort by date: newest first among posts with every word, then the others; undated last")
    func sortByDate() throws {
        let dir = TemporaryDirectory()
        let index = try Self.index(dir)
        let byDate = try index.search(SearchRequest(query: "customer escalation", sort: .date))
        let all = byDate.hits.filter(\.matchesAllTerms)
        #expect(all.map(\.slug) == ["angry", "undated"])
        let some = byDate.hits.filter { !$0.matchesAllTerms }.map(\.slug)
        #expect(some == ["survey", "calm"])
        let relevance = try index.search(SearchRequest(query: "customer"))
        let dated = try index.search(SearchRequest(query: "customer", sort: .date))
        #expect(dated.hits.compactMap(\.date) == relevance.hits.compactMap(\.date).sorted(by: >))
        #expect(dated.total == relevance.total)
        // The second page continues the order.
        let second = try index.search(SearchRequest(query: "customer", limit: 2, offset: 2, sort: .date))
        #expect(second.hits.map(\.slug) == Array(dated.hits.map(\.slug)[2..<4]))
    }

    @Test("the recency boost ranks a newer post above an older one of the same score")
    func recency() throws {
        let dir = TemporaryDirectory()
        let twins = [
            Self.post("old", "Churn", date: "2020-01-01", body: "churn signals"),
            Self.post("new", "Churn", date: "2024-01-01", body: "churn signals"),
            Self.post("undated", "Other", date: nil, body: "nothing here"),
        ]
        let index = try Self.index(dir, posts: twins)
        let plain = try index.search(SearchRequest(query: "churn"))
        #expect(plain.hits.map(\.slug) == ["old", "new"])              // equal scores: the lower id
        let boosted = try index.search(SearchRequest(query: "churn", recencyHalfLifeDays: 365))
        #expect(boosted.hits.map(\.slug) == ["new", "old"])
        #expect(abs(boosted.hits[0].score / plain.hits[0].score - 2) < 1e-9)  // the newest doubles
        #expect(abs(boosted.hits[1].score / plain.hits[0].score - (1 + pow(2, -1461.0 / 365))) < 1e-9)
        #expect(throws: SearchError.self) { try index.search(SearchRequest(query: "churn", recencyHalfLifeDays: 0)) }
    }

    // MARK: - Long questions

    @Test("a query over the length limit is cut at a word's end with a notice, not refused")
    func longQuestion() throws {
        let dir = TemporaryDirectory()
        let index = try Self.index(dir)
        let question = "how do I calm an angry customer " + String(repeating: "please help me with this ", count: 60)
        #expect(question.count > SearchRequest.maxQueryLength)
        let response = try index.search(SearchRequest(query: question))
        #expect(response.query.count <= SearchRequest.maxQueryLength)
        #expect(response.query.hasSuffix("this") || response.query.hasSuffix("help") || response.query.hasSuffix("please")
                || response.query.hasSuffix("me") || response.query.hasSuffix("with"))
        #expect(response.notices.contains { $0.contains("cut to its first") })
        #expect(response.hits.first?.slug == "angry" || response.hits.first?.slug == "calm")
        #expect(SearchIndex.cut(String(repeating: "x", count: 1_500))?.count == SearchRequest.maxQueryLength)
        #expect(SearchIndex.cut("short") == nil)
    }
}
