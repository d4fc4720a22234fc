import BlogSearch
import BlogSearchTestSupport
import Foundation
import Testing

/// `blogsearch index` on a built static site (`Fixtures/site`): its exit code when a page is skipped.
@Suite("Reading a built static site, through the command")
struct BuiltSiteCommandTests {
    @Test("index exits 3 when a page of a built site is skipped, and publishes the other pages")
    func exitCode() throws {
        let dir = TemporaryDirectory()
        let corpus = try Fixtures.site("hugo/public", in: dir)
        dir.write("c/public/posts/cut/index.html", "<!DOCTYPE html><article><time datetime=2024-01-01>x</time><h1>Cut <!-- short")
        let result = try Blogsearch.run(["index", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("public/posts/cut/index.html:1: skipped: the page ends inside a comment"), "\(result.stderr)")
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(try index.search(SearchRequest(query: "handoff")).hits.map(\.slug) == ["og-only"])
    }
}
