import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Scraped post pages")
struct ScrapedPageTests {
    static func fixture() throws -> (String, String) {
        let path = Fixtures.directory + "/pages/refund-policies.txt"
        return (try String(contentsOfFile: path, encoding: .utf8), path)
    }

    @Test("title, date, category, author and article are read; navigation, footer and caption lines are dropped")
    func article() throws {
        let (text, path) = try Self.fixture()
        let page = try ScrapedPageReader.read(text, path: path)
        let post = page.post
        #expect(post.title == "Refund Policies That Keep Customers")
        #expect(post.slug == "refund-policies-that-keep-customers")
        #expect(post.date == "2024-03-04")
        #expect(post.categories == ["Customer Experience"])
        #expect(post.author == "Ian Stone")
        #expect(post.body.hasPrefix("A refund policy is a promise"))
        #expect(post.body.contains("nobody is surprised & nobody has to argue"))
        #expect(post.body.hasSuffix("all images in this post were generated using AI tools"))
        for chrome in ["home about", "Copyright", "Discussion", "rate this article", "Category:", "privacy policy"] {
            #expect(!post.body.contains(chrome))
        }
        #expect(!post.body.contains("Refund Policies That Keep Customers"))
        #expect(page.warnings.isEmpty)
    }

    @Test("every comment and every reply is kept, oldest first, with who replied to whom")
    func comments() throws {
        let (text, path) = try Self.fixture()
        let comments = try ScrapedPageReader.read(text, path: path).post.comments
        #expect(comments.map(\.id) == ["c1", "c1-r1", "c2", "c3", "c3-r1"])
        #expect(comments.map(\.author) == ["Ruth Keller", "Ian Stone", "Owen Blake", "Priya Anand", "Ian Stone"])
        #expect(comments.map(\.replyTo) == [nil, "c1", nil, nil, "c3"])
        #expect(comments[0].date == "2024-03-05T07:15:00")
        #expect(comments[1].date == nil)
        #expect(comments[3].body == "We cut refund tickets by a third just by adding processing times to the policy page.\n\nOur agents stopped answering the same question all day.")
        #expect(comments[4].body.hasPrefix("That matches what we saw."))
    }

    @Test("the seed page from the real blog is read exactly: 11 comments, 10 replies")
    func seedPage() throws {
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/seeds/000_9be000a3d03f810a.txt")
        guard let text = try? String(contentsOf: seed, encoding: .utf8) else { return }   // shared/ sits beside the checkout
        let page = try ScrapedPageReader.read(text, path: seed.path)
        let post = page.post
        #expect(post.title == "The Importance of Empathy in Customer Support")
        #expect(post.date == "2025-02-17")
        #expect(post.categories == ["Customer Experience"])
        #expect(post.author == "Ian Stone")
        let readers = post.comments.filter { $0.replyTo == nil }
        let replies = post.comments.filter { $0.replyTo != nil }
        #expect(readers.count == 11)
        #expect(replies.count == 10)
        #expect(replies.allSatisfy { $0.author == "Ian Stone" })
        #expect(readers.first?.author == "Lydia McCarty")
        #expect(readers.last?.author == "Mara Pace")
        #expect(readers.last?.date == "2025-03-07T20:35:00")
        // Julianne Robinson's comment is the one the author did not answer.
        let julianne = try #require(readers.first { $0.author == "Julianne Robinson" })
        #expect(!replies.contains { $0.replyTo == julianne.id })
        #expect(page.warnings.isEmpty)
        #expect(!post.body.contains("Copyright"))
    }

    @Test("a page without the expected shape is an error naming the file")
    func notAPage() {
        #expect(throws: CorpusError.self) { try ScrapedPageReader.read("just some words\n\nno date here\n", path: "x.txt") }
    }

    @Test("import writes post and comment files that read back to the same post")
    func importRoundTrip() throws {
        let (text, path) = try Self.fixture()
        let original = try ScrapedPageReader.read(text, path: path).post
        let dir = TemporaryDirectory()
        let written = try CorpusWriter.write(original, into: dir.url("corpus"))
        #expect(written.count == 6)
        #expect(throws: CorpusWriter.Failure.self) { try CorpusWriter.write(original, into: dir.url("corpus")) }
        let corpus = try CorpusReader().read(at: dir.url("corpus"))
        #expect(corpus.problems == [])
        let back = try #require(corpus.posts.first)
        #expect(back.title == original.title && back.slug == original.slug && back.date == original.date)
        #expect(back.author == original.author && back.categories == original.categories)
        #expect(back.body == original.body)
        #expect(back.comments.map(\.id).sorted() == original.comments.map(\.id).sorted())
        for comment in original.comments {
            let other = try #require(back.comments.first { $0.id == comment.id })
            #expect(other == comment)
        }
    }
}
