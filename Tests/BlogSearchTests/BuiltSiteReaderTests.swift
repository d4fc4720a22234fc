import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// A built static site read as it is: `Fixtures/site/hugo/public` (a Hugo-like site: JSON-LD with microdata
/// comments, Open Graph only, a bare `<article>`, a Yoast-like `@graph` with JSON-LD comments, and list, tag,
/// pagination, alias, about and 404 pages beside a feed, a sitemap and robots.txt) and
/// `Fixtures/site/jekyll/_site` (minima-like: an `h-entry` with microformats comments, jekyll-seo-tag).
@Suite("Reading a built static site")
struct BuiltSiteTests {
    static func read(_ site: String) throws -> Corpus {
        let dir = TemporaryDirectory()
        return try CorpusReader().read(at: try Fixtures.site(site, in: dir))
    }

    static func post(_ corpus: Corpus, _ slug: String) throws -> Post {
        try #require(corpus.posts.first { $0.slug == slug }, "no post \(slug) in \(corpus.posts.map(\.slug))")
    }

    @Test("a Hugo public/ folder: one post per article page; list, tag, pagination, alias, about and 404 pages, the feed and robots.txt are not read")
    func hugoSite() throws {
        let corpus = try Self.read("hugo/public")
        #expect(corpus.posts.map(\.slug) == ["og-only", "plain-article", "queue-triage", "été-support"])
        #expect(corpus.problems.isEmpty, "\(corpus.problems)")
        #expect(corpus.drafts == 0)
    }

    @Test("JSON-LD BlogPosting: headline, first author, keywords, section (not Hugo's `posts`), canonical URL; text without furniture")
    func jsonLD() throws {
        let post = try Self.post(try Self.read("hugo/public"), "queue-triage")
        #expect(post.title == "Queue Triage & the Monday Spike")
        #expect(post.date == "2024-03-04")
        #expect(post.author == "Zoë Ålander")
        #expect(post.tags == ["triage", "queues", "Monday"])
        #expect(post.categories == ["Support Operations"])
        #expect(post.url == "https://notes.example/posts/queue-triage/")
        #expect(post.body == """
            Every Monday the queue doubles — triage keeps it calm.

            Three rules

            Tag on arrival & route by plan
            Answer the oldest first: 5 < 10 && 10 > 5

            if age > 24h { escalate() }

            Write to or our team.
            """)
        for furniture in ["Support Notes", "Posts", "March 4, 2024", "Prev", "Handoffs", "not text", "We route", "Leave a comment", "Send", "#"] {
            #expect(!post.body.contains(furniture), "\(furniture)")
        }
    }

    @Test("schema.org Comment microdata: threaded by nesting, unicode names, entities as text, e-mail addresses never kept")
    func microdataComments() throws {
        let post = try Self.post(try Self.read("hugo/public"), "queue-triage")
        #expect(post.comments.map(\.id) == ["comment-101", "comment-102", "comment-103", "comment-104"])
        #expect(post.comments.map(\.replyTo) == [nil, "comment-101", "comment-102", nil])
        #expect(post.comments.map(\.author) == ["Björn Þórsson", "Zoë Ålander", "李小龍", nil])
        #expect(post.comments.map(\.date) == ["2024-03-04T12:00:00", "2024-03-04T13:15:00", "2024-03-05T09:00:00", "2024-03-06T09:00:00"])
        #expect(post.comments.map(\.body) == [
            "We route by plan too – it’s the only way. Mail me at .",
            "Thanks, Björn! 👍",
            "同意 — agreed.",
            "Anonymous <script>alert(1)</script> tip: check the SLA clock.",
        ])
        let json = String(decoding: try JSONEncoder().encode(post), as: UTF8.self)
        #expect(!json.contains("@"))
    }

    @Test("Open Graph and article meta only: og:title, published_time, meta author (not a profile URL), tags, section; <main> without aside, forms, hidden text")
    func openGraphOnly() throws {
        let post = try Self.post(try Self.read("hugo/public"), "og-only")
        #expect(post.title == "Handoffs Without Drops")
        #expect(post.date == "2024-02-20")
        #expect(post.author == "Amara Nwosu")
        #expect(post.tags == ["handoff", "shift change"])
        #expect(post.categories == ["Handoffs"])
        #expect(post.url == "https://notes.example/posts/og-only/")
        #expect(post.body == "A handoff note has three parts: what happened, what’s pending, who owns it.\n\nSay it out loud at shift change.\nWrite it down too.")
        #expect(post.comments.isEmpty)
    }

    @Test("a bare <article> with a <time datetime>: minified, upper-case, unquoted, unclosed <p> and <li>; title from <h1>, URL from the path")
    func plainArticle() throws {
        let post = try Self.post(try Self.read("hugo/public"), "plain-article")
        #expect(post.title == "Runbooks That Age Well")
        #expect(post.date == "2023-11-02")
        #expect(post.url == "/posts/plain-article/")
        #expect(post.author == nil)
        #expect(post.body == """
            By Kai on 2 Nov 2023

            Date every runbook & name an owner.

            Review them quarterly:

            check the links
            check the owners

            Stray < and &amp stay text: 3 < 4.
            """)
    }

    @Test("a JSON-LD @graph: references resolved, entities decoded, articleBody, unicode slug from a percent-encoded URL, threaded JSON-LD comments")
    func graph() throws {
        let post = try Self.post(try Self.read("hugo/public"), "été-support")
        #expect(post.title == "Été & support : l'équipe d’été")
        #expect(post.author == "Renée Dubois")
        #expect(post.date == "2024-07-01")
        #expect(post.tags == ["été", "staffing"])
        #expect(post.categories == ["Staffing"])
        #expect(post.url == "https://notes.example/posts/%C3%A9t%C3%A9-support/")
        #expect(post.body == "L’été, l’équipe tourne à mi-temps & les files s’allongent. Planifiez les congés tôt.")
        #expect(post.comments.map(\.id) == ["comment-1", "comment-2", "c3"])
        #expect(post.comments.map(\.replyTo) == [nil, "comment-1", nil])
        #expect(post.comments.map(\.author) == ["Émile Zola", "Zoë Ålander", nil])
        #expect(post.comments.map(\.body) == ["Très bien & clair.", "Merci !", "Where is part two?"])
        #expect(post.comments.map(\.date) == ["2024-07-02T10:00:00", "2024-07-02T11:00:00", "2024-07-03"])
    }

    @Test("a Jekyll _site/ folder: h-entry and jekyll-seo-tag posts; home, page2, tag, about and 404 pages and feed.xml are not read")
    func jekyllSite() throws {
        let corpus = try Self.read("jekyll/_site")
        #expect(corpus.posts.map(\.slug) == ["h-entry-only", "seo-tag"])
        #expect(corpus.problems.isEmpty, "\(corpus.problems)")
        let seo = try Self.post(corpus, "seo-tag")
        #expect(seo.title == "Refunds & Goodwill")
        #expect(seo.author == "Sam O'Neil")
        #expect(seo.date == "2024-06-01")
        #expect(seo.tags == ["Billing", "Retention"])
        #expect(seo.url == "https://jekyll.example/2024/06/01/seo-tag.html")
        #expect(seo.body == "A refund within 30 days costs less than a lost customer. Goodwill compounds.\n\n“Refund first, ask later.”")
    }

    @Test("microformats only: p-name, p-author h-card, dt-published, p-category, e-content; h-cite comments threaded by nesting and by u-in-reply-to")
    func microformats() throws {
        let post = try Self.post(try Self.read("jekyll/_site"), "h-entry-only")
        #expect(post.title == "Escalation Ladders")
        #expect(post.author == "Åsa Lindqvist")
        #expect(post.date == "2024-05-12")
        #expect(post.tags == ["escalation", "tiers"])
        #expect(post.url == "/2024/05/12/h-entry-only.html")
        #expect(post.body == "Every ladder has three rungs: the agent, the lead & the engineer.\n\nClimb one rung at a time — never skip.")
        #expect(post.comments.map(\.id) == ["c-1", "c-2", "c3", "c5"])   // c4 has no text
        #expect(post.comments.map(\.replyTo) == [nil, "c-1", "c-1", nil])
        #expect(post.comments.map(\.author) == ["Inês Gonçalves", "Ola Nordmann", nil, "Ma Lin"])
        #expect(post.comments.map(\.date) == ["2024-05-13T10:00:00", "2024-05-14T08:00:00", "2024-05-15", "2024-05-16T11:30:00"])
        #expect(post.comments.map(\.body) == [
            "Ladders need a top rung & a floor.",
            "Agreed — and a ladder per product.",
            "A flat reply, threaded by its link.",
            "No content class here, just text … with a link and .",
        ])
        let json = String(decoding: try JSONEncoder().encode(post), as: UTF8.self)
        #expect(!json.contains("@"))
    }

    @Test("each page is a post, a list page or another page", arguments: [
        ("hugo/public", "index.html", BuiltSiteReader.Kind.listing),
        ("hugo/public", "page/2/index.html", .listing),
        ("hugo/public", "posts/index.html", .listing),
        ("hugo/public", "tags/triage/index.html", .listing),
        ("hugo/public", "categories/support-operations/index.html", .listing),
        ("hugo/public", "page/1/index.html", .other),
        ("hugo/public", "series/index.html", .listing),
        ("hugo/public", "about/index.html", .other),
        ("hugo/public", "404.html", .other),
        ("hugo/public", "posts/queue-triage/index.html", .post),
        ("jekyll/_site", "index.html", .listing),
        ("jekyll/_site", "page2/index.html", .listing),
        ("jekyll/_site", "tag/escalation/index.html", .listing),
        ("jekyll/_site", "about/index.html", .other),
        ("jekyll/_site", "404.html", .other),
        ("jekyll/_site", "2024/05/12/h-entry-only.html", .post),
    ])
    func pageKinds(site: String, page: String, kind: BuiltSiteReader.Kind) {
        let root = Fixtures.directory + "/site/" + site
        let result = BuiltSiteReader.read(path: root + "/" + page, siteRoot: root)
        #expect(result.kind == kind)
        #expect(result.file.problems.isEmpty)
    }

    @Test("a static copy of a WordPress post: microformats 1 (hentry, entry-title, published, author vcard), rel=tag and rel=category links; unmarked comments stay out of the text")
    func wordPressCopy() throws {
        let dir = TemporaryDirectory()
        // The home page holds one post yet, as an hentry: not a post itself.
        dir.write("c/index.html", "<!DOCTYPE html><main><article class=\"hentry\"><h2 class=\"entry-title\">Ticket Tags That Work</h2><time class=\"published\" datetime=\"2024-04-09\">April 9</time></article></main>")
        dir.write("c/2024/04/ticket-tags/index.html", """
            <!DOCTYPE html>
            <html lang="en-US"><head><meta charset="UTF-8"><title>Ticket Tags That Work &#8211; Helpdesk Diary</title>
            <link rel="canonical" href="https://diary.example/2024/04/ticket-tags/"></head>
            <body class="post-template-default single single-post"><div id="page" class="site">
            <header id="masthead" class="site-header"><p class="site-title">Helpdesk Diary</p></header>
            <main id="main" class="site-main">
            <article id="post-42" class="post-42 post type-post status-publish format-standard hentry category-support tag-tags">
            <header class="entry-header"><h1 class="entry-title">Ticket Tags That Work</h1>
            <div class="entry-meta"><span class="posted-on"><a href="/2024/04/ticket-tags/" rel="bookmark"><time class="entry-date published" datetime="2024-04-09T10:00:00+00:00">April 9, 2024</time><time class="updated" datetime="2024-04-10T10:00:00+00:00">April 10, 2024</time></a></span>
            <span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/mei/">Mei Lin</a></span></span></div></header>
            <div class="entry-content"><p>Five tags beat fifty.</p></div>
            <footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/support/" rel="category tag">Support</a></span>
            <span class="tags-links">Tagged <a href="/tag/tags/" rel="tag">tags</a></span></footer>
            <div id="comments" class="comments-area"><h2 class="comments-title">One thought on &ldquo;Ticket Tags That Work&rdquo;</h2>
            <ol class="comment-list"><li id="comment-7" class="comment even thread-even depth-1"><article id="div-comment-7" class="comment-body">
            <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Sam</b> <span class="says">says:</span></div>
            <div class="comment-metadata"><time datetime="2024-04-10T08:00:00+00:00">April 10</time></div></footer>
            <div class="comment-content"><p>Unmarked comment text.</p></div></article></li></ol></div>
            </article>
            </main></div></body></html>
            """)
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.problems.isEmpty, "\(corpus.problems)")
        let post = try Self.post(corpus, "ticket-tags")
        #expect(post.title == "Ticket Tags That Work")
        #expect(post.date == "2024-04-09")
        #expect(post.author == "Mei Lin")
        #expect(post.tags == ["tags"])
        #expect(post.categories == ["Support"])
        #expect(post.body == "Five tags beat fifty.")
        #expect(post.comments.isEmpty)
    }

    @Test("a Disqus export beside the site attaches its threads to the pages by their canonical URLs; one inside the site is not read")
    func disqusBeside() throws {
        let dir = TemporaryDirectory()
        let corpus = try Fixtures.site("hugo/public", in: dir)
        let export = """
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
              <thread dsq:id="1"><id>og-only</id><link>http://www.notes.example/posts/og-only/?utm=x</link><title>Handoffs</title></thread>
              <post dsq:id="9"><message><![CDATA[<p>Handoffs on paper work best.</p>]]></message><createdAt>2024-02-21T10:00:00Z</createdAt>
                <isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Zoë</name></author><thread dsq:id="1" /></post>
            </disqus>
            """
        dir.write("c/disqus.xml", export)
        dir.write("c/public/disqus-copy.xml", export)
        let read = try CorpusReader().read(at: corpus)
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(try Self.post(read, "og-only").comments.map(\.id) == ["disqus-9"])
    }

    @Test("pages are recognised by content, not by name; a lone page outside a site gets its URL from its path")
    func detection() throws {
        #expect(ExportFormat.detect(prefix: "<!doctype html><html lang=en>") == .htmlPage)
        #expect(ExportFormat.detect(prefix: "\u{FEFF}\n<!-- generated -->\n<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">") == .htmlPage)
        #expect(ExportFormat.detect(prefix: "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">") == .htmlPage)
        #expect(ExportFormat.detect(prefix: "<HTML><HEAD>") == .htmlPage)
        #expect(ExportFormat.detect(prefix: "<div>a fragment</div>") == nil)
        let dir = TemporaryDirectory()
        let page = try String(contentsOfFile: Fixtures.directory + "/site/jekyll/_site/2024/05/12/h-entry-only.html", encoding: .utf8)
        dir.write("c/saved/escalation", page)   // no extension, no index.html around it
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.map(\.slug) == ["escalation"])
        #expect(corpus.posts.first?.url == "/saved/escalation")
        #expect(corpus.posts.first?.comments.count == 4)
    }

    @Test("malformed pages are skipped and named with path, line and column; the rest is read")
    func malformed() throws {
        let dir = TemporaryDirectory()
        let good = try String(contentsOfFile: Fixtures.directory + "/site/hugo/public/posts/og-only/index.html", encoding: .utf8)
        dir.write("c/site/index.html", "<!DOCTYPE html><title>Home</title>")
        dir.write("c/site/posts/good/index.html", good)
        dir.write("c/site/posts/cut/index.html", "<!DOCTYPE html>\n<html><head><title>Cut</title></head>\n<body><article><time datetime=\"2024-01-01\">x</time>\n  <p>Half a post <a href=\"/x/")
        dir.write("c/site/posts/comment/index.html", "<!DOCTYPE html>\n<body>\n<article><h1>T</h1><time datetime=\"2024-01-01\">x</time>\n<p>text</p>  <!-- never closed </article></body>")
        var latin = Array("<!DOCTYPE html>\n<meta charset=\"utf-8\">\n<article><h1>Caf".utf8)
        latin += [0xE9] + Array("</h1><time datetime=\"2024-01-01\">x</time></article>".utf8)
        dir.write("c/site/posts/bytes/index.html", bytes: latin)
        dir.write("c/site/posts/untitled/index.html", "<!DOCTYPE html>\n<html><head><meta property=\"og:type\" content=\"article\"><meta property=\"article:published_time\" content=\"2024-01-01\"></head>\n<body>\n  <article><p>No title anywhere.</p></article></body></html>")
        dir.write("c/site/posts/bad-json/index.html", "<!DOCTYPE html>\n<head>\n<script type=\"application/ld+json\">{\"@type\": \"BlogPosting\", \"headline\": \"Broken\" \"x\"}</script>\n</head><body><main><h1>Broken JSON-LD</h1><p>Still read.</p></main></body>")
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.map(\.slug) == ["bad-json", "og-only"])   // the good page names its URL
        #expect(corpus.posts.first?.title == "Broken JSON-LD")
        #expect(corpus.skippedCount == 4)
        let problems = corpus.problems.map { "\($0)" }.sorted()
        #expect(problems.count == 5, "\(problems)")
        func problem(_ folder: String) -> String? { problems.first { $0.contains("/posts/\(folder)/index.html") } }
        #expect(problem("bad-json")?.contains("index.html:3: warning: the JSON-LD at line 3, column 36 is not valid JSON") == true, "\(problems)")
        #expect(problem("bytes")?.contains("index.html:3: skipped: not valid UTF-8 text at line 3, column 17") == true, "\(problems)")
        #expect(problem("comment")?.contains("index.html:4: skipped: the page ends inside a comment (<!--) opened at line 4, column 14 (cut short?)") == true, "\(problems)")
        #expect(problem("cut")?.contains("index.html:4: skipped: the page ends inside the tag <a> opened at line 4, column 18") == true, "\(problems)")
        #expect(problem("untitled")?.contains("index.html:4: skipped: an article page without a title") == true, "\(problems)")
        #expect(problem("untitled")?.contains("the article opens at line 4, column 3") == true, "\(problems)")
    }

    @Test("a page in Windows-1252, as it declares, is read")
    func windows1252() throws {
        let dir = TemporaryDirectory()
        var bytes = Array("<!DOCTYPE html><meta charset=windows-1252><article><header><h1>Caf".utf8)
        bytes += [0xE9, 0x20, 0x93, 0x71, 0x94] + Array("</h1><time datetime=2024-01-01>x</time></header><p>cr".utf8) + [0xE8, 0x6D, 0x65] + Array("</p></article>".utf8)
        dir.write("c/cafe.html", bytes: bytes)
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.map(\.title) == ["Café “q”"])
        #expect(corpus.posts.first?.body == "crème")
    }

    @Test("a changed page rewrites only its post on an incremental build; a changed comment too")
    func incremental() throws {
        let dir = TemporaryDirectory()
        let path = try Fixtures.site("hugo/public", in: dir)
        let builder = IndexBuilder(indexesDirectory: dir.url("indexes"))
        _ = try builder.build(try CorpusReader().read(at: path), corpusPath: path)
        let page = dir.url("c/public/posts/og-only/index.html")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        try html.replacingOccurrences(of: "Write it down too.", with: "Write it in the logbook too.")
            .write(toFile: page, atomically: true, encoding: .utf8)
        var summary = try builder.build(try CorpusReader().read(at: path), corpusPath: path)
        #expect(summary.reuse == .incremental(reused: 3, changed: 1, added: 0))
        let triage = dir.url("c/public/posts/queue-triage/index.html")
        let commented = try String(contentsOfFile: triage, encoding: .utf8)
        try commented.replacingOccurrences(of: "check the SLA clock", with: "watch the breach timer")
            .write(toFile: triage, atomically: true, encoding: .utf8)
        summary = try builder.build(try CorpusReader().read(at: path), corpusPath: path)
        #expect(summary.reuse == .incremental(reused: 3, changed: 1, added: 0))
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(try index.search(SearchRequest(query: "logbook")).hits.map(\.slug) == ["og-only"])
        #expect(try index.search(SearchRequest(query: "breach timer")).hits.map(\.slug) == ["queue-triage"])
    }

    @Test("list paths: tags/, tag/, categories/, category/, page/N/, pageN/, at any depth")
    func listingPaths() {
        for path in ["tags/a/index.html", "blog/tag/a/index.html", "categories/x/index.html", "category/x/page/2/index.html",
                     "page/2/index.html", "blog/page/10/index.html", "page2/index.html"] {
            #expect(BuiltSiteReader.isListingPath(path), "\(path)")
        }
        for path in ["index.html", "posts/index.html", "posts/tags-are-hard/index.html", "page/about/index.html", "pages/index.html", "2024/05/page.html", "tags.html"] {
            #expect(!BuiltSiteReader.isListingPath(path), "\(path)")
        }
    }
}
