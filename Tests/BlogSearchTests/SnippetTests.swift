import Foundation
import Testing
@testable import BlogSearch

@Suite("Snippets")
struct SnippetTests {
    @Test("the best window is found after hundreds of earlier matches, and every match in it is marked")
    func manyMatchesBeforeTheBestWindow() throws {
        let dir = TemporaryDirectory()
        // 400 lone matches of one word, then the only place where both words stand together.
        let body = String(repeating: "alpha filler words here. ", count: 400) + "Finally alpha meets omega in one sentence."
        let corpus = Corpus(posts: [Post(slug: "long", title: "A long post", body: body, source: SourceLocation(path: "long.md"))])
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: "mem")
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        let hit = try #require(index.search(SearchRequest(query: "alpha omega")).hits.first)
        #expect(hit.snippet.contains("<mark>alpha</mark> meets <mark>omega</mark>"))
    }
}
