import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Reading RSS and Atom feeds")
struct FeedReaderTests {
    static func corpus(_ dir: TemporaryDirectory, _ names: [String]) throws -> Corpus {
        try FileManager.default.createDirectory(atPath: dir.url("c"), withIntermediateDirectories: true)
        for name in names {
            try FileManager.default.copyItem(atPath: Fixtures.directory + "/feeds/\(name)", toPath: dir.url("c/\(name)"))
        }
        return try CorpusReader().read(at: dir.url("c"))
    }

    @Test("RSS items are posts: full content where present, else the summary, and a warning says how many")
    func rss() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.corpus(dir, ["rss.xml"])
        #expect(corpus.posts.map(\.slug) == ["queues-quiet-hours", "summary-only"])
        let full = corpus.posts[0]
        #expect(full.title == "Queues & Quiet Hours")
        #expect(full.url == "https://notes.example/2024/04/queues-quiet-hours/")
        #expect(full.date == "2024-04-03")   // 22:15 at -02:00 is the next day in UTC
        #expect(full.author == "Renée Dubois")
        #expect(full.categories == ["Operations", "Staffing"])
        #expect(full.body == "Full text: quiet hours keep the queue calm — and agents rested.")
        let summary = corpus.posts[1]
        #expect(summary.body == "The feed carries only this & no more.")
        #expect(summary.author == "Kwame Mensah")
        #expect(summary.date == "2024-03-01")
        #expect(corpus.problems.map(\.severity) == [.warning])
        #expect(corpus.problems.first?.message.hasPrefix("1 of 2 posts have only a summary") == true)
    }

    @Test("a WordPress comments feed attaches its comments, with replies, to the feed's posts")
    func commentsFeed() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.corpus(dir, ["rss.xml", "comments.xml"])
        #expect(corpus.posts.count == 2)
        let post = try #require(corpus.posts.first { $0.slug == "queues-quiet-hours" })
        #expect(post.comments.map(\.id) == ["41", "42"])
        #expect(post.comments.map(\.replyTo) == [nil, "41"])
        #expect(post.comments.map(\.author) == ["Mei Lin", "Renée Dubois"])
        #expect(post.comments[0].date == "2024-04-03T09:00:00")
        #expect(post.comments[1].body.hasSuffix("Weekly rotation works for us too."))
    }

    @Test("Atom entries: HTML titles, XHTML content in order, author name, category labels")
    func atom() throws {
        let dir = TemporaryDirectory()
        let corpus = try Self.corpus(dir, ["atom.xml"])
        #expect(corpus.posts.map(\.slug) == ["escalation-ladders", "plain-summary"])
        let entry = corpus.posts[0]
        #expect(entry.title == "Escalation Ladders")
        #expect(entry.author == "Søren Kierk")
        #expect(entry.date == "2024-05-01")
        #expect(entry.categories == ["Support Ops"])
        #expect(entry.body.replacingOccurrences(of: "\n", with: " ").contains("Every ladder has three rungs."))
        #expect(entry.body.contains("Tier two owns it."))
        #expect(!entry.body.contains("Ladders in brief"))
        #expect(corpus.posts[1].body == "Only a summary: 5 < 6.")
        #expect(corpus.posts[1].date == "2024-04-01")
    }
}
