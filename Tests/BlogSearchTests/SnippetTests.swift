import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

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
        #expect(hit.snippet.bracketed.contains("[alpha] meets [omega]"))
    }
}

@Suite("Post pages")
struct PostPageTests {
    @Test("a post's page has exactly its own comments, in reading order")
    func commentsOfEachPost() throws {
        let dir = TemporaryDirectory()
        let index = try Fixtures.blogIndex(dir)
        let corpus = try CorpusReader().read(at: dir.url("corpus"))
        #expect(corpus.posts.contains { $0.comments.count > 1 })
        for post in corpus.posts {
            let page = try index.page(slug: post.slug)
            #expect(page.comments.map(\.id) == post.comments.map(\.id), "\(post.slug)")
            #expect(page.comments.map(\.author) == post.comments.map(\.author), "\(post.slug)")
        }
    }
}

@Suite("Snippet whitespace")
struct SnippetWhitespaceTests {
    @Test("the byte-level whitespace test agrees with Unicode's White_Space property on every scalar")
    func everyScalar() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if Snippet.isWhitespace(value) != scalar.properties.isWhitespace { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty)
        #expect(Snippet.highlighted("a\u{2003}\u{A0} b\n<c> \u{E000}d\u{E001} é") == HighlightedText(text: "a b <c> d é", highlights: [8..<9]))
        // Whitespace after an opening marker is kept (something came before it); trailing whitespace is not.
        #expect(Snippet.highlighted(" \u{E000} x\u{E001} ").bracketed == "[ x]")
    }
}
