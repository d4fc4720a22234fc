import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Importing XML safely")
struct ImportSafetyTests {
    static func item(_ slug: String, _ body: String) -> String {
        """
        <item><title>\(slug)</title><link>https://b.example/\(slug)/</link><content:encoded>\(body)</content:encoded>
        <wp:post_name>\(slug)</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>

        """
    }

    static func export(doctype: String = "", _ items: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        \(doctype)<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel><wp:wxr_version>1.2</wp:wxr_version>
        \(items)</channel></rss>
        """
    }

    @Test("an export that names a local file as an external entity or DTD is indexed without reading it")
    func externalEntities() throws {
        let dir = TemporaryDirectory()
        let secret = dir.write("secret.txt", "xxesecretcontents")
        dir.write("dtd.dtd", "<!ENTITY leak \"xxesecretcontents\">")
        let doctype = "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://\(secret)\"> <!ENTITY % dtd SYSTEM \"file://\(dir.url("dtd.dtd"))\"> %dtd;]>\n"
        dir.write("c/wordpress.xml", Self.export(doctype: doctype, Self.item("a", "before &xxe; after")))
        let corpus = try CorpusReader().read(at: dir.url("c"))
        let json = String(decoding: try JSONEncoder().encode(corpus.posts), as: UTF8.self) + corpus.problems.description
        #expect(!json.contains("xxesecret"))
        #expect(corpus.posts.map(\.slug) == ["a"])
        #expect(corpus.posts.first?.body.hasPrefix("before") == true)
    }

    @Test("a malformed export keeps the items before the fault and names the file, line and column")
    func malformed() throws {
        let dir = TemporaryDirectory()
        dir.write("c/posts/ok.md", Fixtures.post(title: "OK", body: "fine"))
        let broken = Self.item("first", "one") + Self.item("second", "two") + "<item><title>third</titel>\n" + Self.item("fourth", "four")
        let path = dir.write("c/export.xml", Self.export(broken))
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.map(\.slug) == ["first", "ok", "second"])
        let problem = try #require(corpus.problems.first)
        #expect(corpus.problems.count == 1)
        #expect(problem.severity == .skipped)
        #expect(problem.location == SourceLocation(path: path, line: 8))
        #expect(problem.message.hasPrefix("not well-formed XML at line 8, column "))
        #expect(problem.message.contains("a closing tag that does not match the open element"))
        #expect(problem.message.hasSuffix("(2 posts read before it)"))
    }

    @Test("formats are recognised by content, whatever the file is called; other XML and binary files are ignored")
    func detection() {
        #expect(ExportFormat.detect(prefix: Self.export("")) == .wordPress)
        #expect(ExportFormat.detect(prefix: "\u{FEFF}<?xml version=\"1.0\"?>\n<!-- c -->\n<rss version=\"2.0\"><channel>") == .feed)
        #expect(ExportFormat.detect(prefix: "<feed xmlns=\"http://www.w3.org/2005/Atom\">") == .feed)
        #expect(ExportFormat.detect(prefix: "<?xml version=\"1.0\"?><disqus xmlns=\"http://disqus.com\">") == .disqus)
        #expect(ExportFormat.detect(prefix: "<!DOCTYPE rss [<!ENTITY a \"b>\">]><rss xmlns:wp=\"http://wordpress.org/export/1.1/\">") == .wordPress)
        #expect(ExportFormat.detect(prefix: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>") == nil)
        #expect(ExportFormat.detect(prefix: "\u{89}PNG\r\n") == nil)
        #expect(ExportFormat.detect(prefix: "{\"slug\": \"a\"}") == nil)
    }
}
