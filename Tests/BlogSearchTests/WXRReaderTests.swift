import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Reading a WordPress export")
struct WXRReaderTests {
    /// A corpus folder holding a copy of `Fixtures/wordpress/theme-unit-test.xml` under a name that says nothing.
    static func themeUnitTest(_ dir: TemporaryDirectory, includePages: Bool = false) throws -> Corpus {
        try FileManager.default.createDirectory(atPath: dir.url("c"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.directory + "/wordpress/theme-unit-test.xml", toPath: dir.url("c/export.data"))
        return try CorpusReader(includePages: includePages).read(at: dir.url("c"))
    }

    @Test("the theme-unit-test export gives the published posts only, with display names, taxonomy, GMT dates and permalinks")
    func publishedPosts() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.themeUnitTest(dir)
        #expect(corpus.posts.map(\.slug) == ["password-protected", "template-comments", "日本"])
        #expect(corpus.drafts == 5)   // draft, pending, scheduled, private, trashed
        #expect(corpus.problems.isEmpty)
        let post = try #require(corpus.posts.first { $0.slug == "template-comments" })
        #expect(post.title == "Template: Comments & Threads")
        #expect(post.author == "Jane Müller")
        #expect(post.url == "https://wpthemetestdata.example/2024/01/template-comments/")
        #expect(post.date == "2024-01-15")   // the GMT day, not the local 2024-01-16
        #expect(post.categories == ["Grandchild Category", "Parent Category"])
        #expect(post.tags == ["markup", "Ünïcode & more"])
        #expect(post.source.line == 31)
        let unicode = try #require(corpus.posts.first { $0.slug == "日本" })
        #expect(unicode.title == "日本の記事 – Unicode Slug")
        #expect(unicode.author == "ghost-login")   // not in the author list: the login is all there is
        #expect(unicode.date == "2024-03-02")       // no GMT date: the local one
        #expect(unicode.body == "Classic editor text with no paragraphs.\n\nA second paragraph — with an entity.")
    }

    @Test("content is the text a reader sees: no block comments, shortcodes or embed URLs; captions and [1] stay")
    func contentText() throws {
        let dir = TemporaryDirectory()
        let post = try #require(try Self.themeUnitTest(dir).posts.first { $0.slug == "template-comments" })
        #expect(post.body.hasPrefix("This post tests comments & threading. Café owners say “hello”."))
        #expect(post.body.contains("A boat in the harbour"))
        #expect(post.body.contains("Footnote [1] and [sic] stay as text."))
        for markup in ["wp:", "caption", "gallery", "embed", "youtube", "embeddedvideoid", "1045", "<", "fontSize"] {
            #expect(!post.body.contains(markup), "\(markup)")
        }
    }

    @Test("approved reader comments only, threaded by parent, with names and GMT dates")
    func comments() throws {
        let dir = TemporaryDirectory()
        let post = try #require(try Self.themeUnitTest(dir).posts.first { $0.slug == "template-comments" })
        #expect(post.comments.map(\.id) == ["881", "882", "883", "889"])
        #expect(post.comments.map(\.replyTo) == [nil, "881", "882", nil])   // 889 answers a pending comment
        #expect(post.comments.map(\.author) == ["Zoë Ångström", "李小龍", "Jane Müller", nil])   // 889's name is an address
        #expect(post.comments[0].date == "2024-01-17T08:00:00")
        #expect(post.comments[0].body == "Parent comment: the harbour photo is lovely & calm.")
        #expect(post.comments[1].body == "Child comment, level two: agreed.")
    }

    @Test("nothing excluded reaches the corpus: drafts, private, pending, spam, pingbacks, protected text, e-mails, IPs")
    func nothingExcluded() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.themeUnitTest(dir)
        let json = String(decoding: try JSONEncoder().encode(corpus.posts), as: UTF8.self)
        for secret in ["secret", "@", "readers.example", "authors.example", "203.0.113", "198.51.100", "192.0.2.1", "zoe.example", "themedemos"] {
            #expect(!json.contains(secret), "\(secret)")
        }
        let protected = try #require(corpus.posts.first { $0.slug == "password-protected" })
        #expect(protected.title == "Protected: Members Post")
        #expect(protected.author == "Theme Buster")
        #expect(protected.body.isEmpty)
        #expect(protected.comments.isEmpty)
        #expect(protected.categories == ["Parent Category"])
    }

    @Test("pages are read when asked for; attachments and menu items never")
    func pages() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.themeUnitTest(dir, includePages: true)
        #expect(corpus.posts.map(\.slug) == ["about", "password-protected", "template-comments", "日本"])
        #expect(corpus.posts[0].body == "pagesecret about text")
    }

    @Test("an indexed export finds posts by their comments and never by what was left out")
    func indexed() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.themeUnitTest(dir)
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: dir.url("c"))
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        let hit = try #require(try index.search(SearchRequest(query: "level three")).hits.first)
        #expect(hit.slug == "template-comments")
        #expect(hit.comment?.id == "883")
        for word in ["pendingsecret", "passwordsecret", "draftsecret", "pingbacksecret", "pagesecret", "attachmentsecret"] {
            #expect(try index.search(SearchRequest(query: word)).total == 0, "\(word)")
        }
    }
}
