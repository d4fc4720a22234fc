import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Reading a Ghost export")
struct GhostReaderTests {
    static func corpus(_ dir: TemporaryDirectory) throws -> Corpus {
        try FileManager.default.createDirectory(atPath: dir.url("c"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.directory + "/ghost/ghost-export.json", toPath: dir.url("c/my-blog.ghost.2024-06-10.json"))
        return try CorpusReader().read(at: dir.url("c"))
    }

    @Test("published posts with public tags in order, the primary author, dates and text from HTML")
    func posts() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.corpus(dir)
        #expect(corpus.posts.map(\.slug) == ["lexical-only", "members-preview", "mobiledoc-paywall", "paid-no-divider", "tickets-and-tiers"])
        #expect(corpus.drafts == 2)
        #expect(corpus.problems.isEmpty)
        let post = try #require(corpus.posts.last)
        #expect(post.title == "Tickets & Tiers")
        #expect(post.url == "/tickets-and-tiers/")
        #expect(post.date == "2024-06-01")
        #expect(post.author == "Åsa Lindqvist")   // sort_order 0, though listed second
        #expect(post.tags == ["Pricing & Plans", "Support"])   // #hero is internal
        #expect(post.body == "Ghost HTML: tiers route tickets by plan. Ça marche.\n\nRouting diagram")
    }

    @Test("Lexical and Mobiledoc sources give the text when there is no HTML")
    func editorSources() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.corpus(dir)
        let lexical = try #require(corpus.posts.first { $0.slug == "lexical-only" })
        #expect(lexical.body == "Lexical only: onboarding calls for new admins.\n\nChecklist\n\nInvite the team\nImport contacts\n\nAn HTML card & more")
        #expect(lexical.author == "Guest Writer")
    }

    @Test("members-only and paid posts are indexed up to their public part only")
    func membersContent() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.corpus(dir)
        func body(_ slug: String) -> String? { corpus.posts.first { $0.slug == slug }?.body }
        #expect(body("members-preview") == "Public preview about churn.")
        #expect(body("paid-no-divider") == "A public excerpt on pricing.")
        #expect(body("mobiledoc-paywall") == "Public mobiledoc teaser about renewals.\n\nMarkdown card with bold text.")
        let json = String(decoding: try JSONEncoder().encode(corpus.posts), as: UTF8.self)
        for secret in ["secret", "@"] { #expect(!json.contains(secret), "\(secret)") }
    }

    @Test("a Ghost export that is not valid JSON is skipped and named")
    func malformed() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("c/ghost.json", #"{"db":[{"meta":{"exported_on":1},"data":{"posts":[{"title": "x",]}}]}"#)
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.isEmpty)
        #expect(corpus.problems.count == 1)
        #expect(corpus.problems.first?.location.path == path)
        #expect(corpus.problems.first?.message.hasPrefix("not a readable Ghost export") == true)
    }

    @Test("card indexes out of range on either side (negative, past the end, huge) are skipped, never a crash")
    func mobiledocCardBounds() {
        for index in ["-1", "2", "1e300", "-9223372036854775809", "9223372036854775808"] {
            let doc = #"{"cards":[["markdown",{"markdown":"Card text."}]],"sections":[[10,"# + index + #"],[1,"p",[[0,[],0,"Kept."]]],[10,0]]}"#
            #expect(GhostSource.mobiledoc(doc).text == "Kept.\n\nCard text.", "\(index)")
        }
    }

}
