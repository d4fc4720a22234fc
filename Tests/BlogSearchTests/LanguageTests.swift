import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Where a post's language comes from")
struct LanguageSourceTests {
    static func read(_ dir: TemporaryDirectory, _ reader: CorpusReader = CorpusReader()) throws -> Corpus {
        try reader.read(at: dir.url("c"))
    }

    static func post(_ corpus: Corpus, _ slug: String) throws -> Post {
        try #require(corpus.posts.first { $0.slug == slug }, "no post \(slug) in \(corpus.posts.map(\.slug))")
    }

    static let english = "The queue is quiet in the morning and the agents have time for the hard tickets that wait."

    @Test("language tags are lower-cased with - for _, a POSIX locale's encoding dropped; unknown and malformed codes are told apart",
          arguments: [
              ("pt_BR", LanguageTag.Parsed.known("pt-br")), ("zh-Hans", .known("zh-hans")), ("en_US.UTF-8", .known("en-us")),
              (" JA ", .known("ja")), ("fil", .known("fil")), ("xx", .unknown("xx")), ("qaa-x", .unknown("qaa-x")),
              ("english", .malformed("english")), ("e n", .malformed("e n")), ("12", .malformed("12")),
          ])
    func tags(raw: String, parsed: LanguageTag.Parsed) {
        #expect(LanguageTag.parse(raw) == parsed)
    }

    @Test("a file-name infix is a language only when it is a plausible tag",
          arguments: [("ja", "ja"), ("zh-hans", "zh-hans"), ("pt-BR", "pt-br"), ("sr-latn-rs", "sr-latn-rs"),
                      ("post", nil), ("js", nil), ("v2", nil), ("en-us-x", nil)] as [(String, String?)])
    func fileNameInfix(infix: String, lang: String?) {
        #expect(LanguageTag.fileNameLanguage(infix) == lang)
    }

    @Test("page bundles: the folder is the slug, each index.LANG.md a post of its own with its own slug and URL, all linked; _index.md is not a post")
    func pageBundles() throws {
        let dir = TemporaryDirectory()
        dir.write("c/blog/my-post/index.md", Fixtures.post(title: "My post", body: Self.english))
        dir.write("c/blog/my-post/index.ja.md", Fixtures.post(title: "私の投稿", body: "朝のキューは静かです。"))
        dir.write("c/blog/my-post/index.zh-hans.md", Fixtures.post(title: "我的帖子", body: "早上的队列很安静。"))
        dir.write("c/blog/other/index.md", Fixtures.post(title: "Other", body: Self.english))
        dir.write("c/blog/_index.md", Fixtures.post(title: "Blog", body: "The list."))
        dir.write("c/blog/_index.ja.md", Fixtures.post(title: "ブログ", body: "一覧。"))
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.slug) == ["my-post", "my-post.ja", "my-post.zh-hans", "other"])
        #expect(corpus.posts.map(\.url) == ["/posts/my-post/", "/ja/posts/my-post/", "/zh-hans/posts/my-post/", "/posts/other/"])
        #expect(corpus.posts.map(\.lang) == ["en", "ja", "zh-hans", "en"])
        #expect(corpus.posts.map(\.langSource) == [.detected, .fileName, .fileName, .detected])
        #expect(Set(corpus.posts.prefix(3).map(\.translationKey)) == ["blog/my-post"])
        #expect(corpus.posts[3].translationKey == "blog/other")
        #expect(corpus.sections == 2)
        #expect(corpus.problems.isEmpty)
    }

    @Test("my-post.fr.md is my-post.md in French; my.post.md is a post called my.post; front matter lang wins over the file name")
    func fileNames() throws {
        let dir = TemporaryDirectory()
        dir.write("c/my-post.md", Fixtures.post(title: "My post", body: Self.english))
        dir.write("c/my-post.fr.md", Fixtures.post(title: "Mon billet", body: "La file est calme le matin."))
        dir.write("c/my.post.md", Fixtures.post(title: "Dots", body: Self.english))
        dir.write("c/said.de.md", Fixtures.post(title: "Gesagt", extra: "language: de_AT", body: "Die Schlange ist ruhig."))
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.slug) == ["my-post", "my-post.fr", "my.post", "said.de"])
        let french = try Self.post(corpus, "my-post.fr")
        #expect((french.lang, french.langSource, french.url) == ("fr", .fileName, "/fr/posts/my-post/"))
        #expect(french.translationKey == (try Self.post(corpus, "my-post")).translationKey)
        #expect(try Self.post(corpus, "my.post").langSource == .detected)
        let said = try Self.post(corpus, "said.de")
        #expect((said.lang, said.langSource) == ("de-at", .frontMatter))
    }

    @Test("the URL pattern: {lang/} only for translations, {lang} always; English-only corpora keep /posts/{slug}/")
    func urlPattern() throws {
        let dir = TemporaryDirectory()
        dir.write("c/a/index.md", Fixtures.post(title: "A", body: Self.english))
        dir.write("c/a/index.es.md", Fixtures.post(title: "A es", body: "La cola está tranquila por la mañana."))
        dir.write("c/b.md", Fixtures.post(title: "B", body: Self.english))
        let corpus = try Self.read(dir, CorpusReader(urlPattern: "/blog/{lang/}{slug}.html"))
        #expect(corpus.posts.map(\.url) == ["/blog/a.html", "/blog/es/a.html", "/blog/b.html"])
        #expect(CorpusReader(urlPattern: "/posts/").settingsProblem()?.contains("{slug}") == true)
        #expect(CorpusReader(defaultLang: "klingon").settingsProblem()?.contains("--default-lang 'klingon'") == true)
    }

    @Test("Hugo content folders with the site's config (YAML or TOML): content/ja/… is Japanese, the rest the default language, versions linked",
          arguments: [
              ("hugo.yaml", "defaultContentLanguage: en\nlanguages:\n  en:\n    weight: 1\n  ja:\n    contentDir: content/ja\n"),
              ("config.toml", "baseURL = 'https://b.example/'\ndefaultContentLanguage = \"en\" # the default\n[languages]\n[languages.en]\nweight = 1\n[languages.ja]\ncontentDir = \"content/ja\"\n[languages.ja.params]\ncontentDir = \"nope\"\n"),
          ])
    func hugoContentFolders(name: String, config: String) throws {
        let dir = TemporaryDirectory()
        dir.write("c/\(name)", config)
        dir.write("c/content/posts/hello.md", Fixtures.post(title: "Hello", body: "short"))
        dir.write("c/content/ja/posts/hello.md", Fixtures.post(title: "こんにちは", body: "短い"))
        dir.write("c/content/ja/posts/only/index.md", Fixtures.post(title: "日本語だけ", body: "短い"))
        dir.write("c/content/ja/_index.md", Fixtures.post(title: "ホーム", body: "一覧"))
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.slug) == ["hello", "hello.ja", "only.ja"])
        #expect(corpus.posts.map(\.lang) == ["en", "ja", "ja"])
        #expect(corpus.posts.map(\.langSource) == [.contentFolder, .contentFolder, .contentFolder])
        #expect(corpus.posts[0].translationKey == corpus.posts[1].translationKey)
        #expect(corpus.posts[1].url == "/ja/posts/hello/")
        #expect(corpus.sections == 1)
        #expect(corpus.problems.isEmpty)
    }

    @Test("Hugo's translationKey links versions that live apart")
    func translationKey() throws {
        let dir = TemporaryDirectory()
        dir.write("c/content/posts/hello.md", Fixtures.post(title: "Hello", extra: "translationKey: greeting", body: Self.english))
        dir.write("c/content/fr/posts/bonjour.md", Fixtures.post(title: "Bonjour", extra: "translationKey: greeting", body: "La file est calme."))
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.translationKey) == ["greeting", "greeting"])
        #expect(corpus.posts.map(\.slug) == ["bonjour.fr", "hello"])
    }

    @Test("a WordPress export: the channel's <language>, a Polylang language term, and its translation group")
    func wordPress() throws {
        let dir = TemporaryDirectory()
        func item(_ slug: String, _ terms: String) -> String {
            """
            <item><title>\(slug)</title><wp:post_name>\(slug)</wp:post_name><wp:post_type>post</wp:post_type>
            <wp:status>publish</wp:status><content:encoded><![CDATA[\(Self.english)]]></content:encoded>\(terms)</item>
            """
        }
        dir.write("c/export.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
            <channel><title>B</title><language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>
            \(item("plain", ""))
            \(item("hello", #"<category domain="language" nicename="en"><![CDATA[English]]></category><category domain="post_translations" nicename="pll_1"><![CDATA[pll_1]]></category>"#))
            \(item("bonjour", #"<category domain="language" nicename="fr"><![CDATA[Français]]></category><category domain="post_translations" nicename="pll_1"><![CDATA[pll_1]]></category>"#))
            </channel></rss>
            """)
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.slug) == ["bonjour", "hello", "plain"])
        #expect(corpus.posts.map(\.lang) == ["fr", "en", "en-us"])
        #expect(corpus.posts.map(\.translationKey) == ["pll_1", "pll_1", nil])
        #expect(corpus.posts.allSatisfy { $0.langSource == .export })
    }

    @Test("feeds: RSS's <language>, Atom's xml:lang on the feed and on an entry")
    func feeds() throws {
        let dir = TemporaryDirectory()
        dir.write("c/rss.xml", """
            <?xml version="1.0"?><rss version="2.0"><channel><title>R</title><language>es-ES</language>
            <item><title>Hola</title><link>https://r.example/hola/</link><description>La cola</description></item></channel></rss>
            """)
        dir.write("c/atom.xml", """
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>A</title>
            <entry><title>Hallo</title><link href="https://a.example/hallo/"/><content>Die Schlange</content></entry>
            <entry xml:lang="it"><title>Ciao</title><link href="https://a.example/ciao/"/><content>La coda</content></entry></feed>
            """)
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.slug) == ["ciao", "hallo", "hola"])
        #expect(corpus.posts.map(\.lang) == ["it", "de", "es-es"])
        #expect(corpus.posts.allSatisfy { $0.langSource == .feed })
    }

    @Test("Ghost: the site's locale setting, a post's own locale first")
    func ghost() throws {
        let dir = TemporaryDirectory()
        dir.write("c/ghost.json", """
            {"db": [{"meta": {"exported_on": 1}, "data": {
              "settings": [{"key": "title", "value": "G"}, {"key": "locale", "value": "nl"}],
              "posts": [{"id": "1", "title": "Hallo", "slug": "hallo", "type": "post", "status": "published", "html": "<p>De wachtrij</p>"},
                        {"id": "2", "title": "Hej", "slug": "hej", "type": "post", "status": "published", "locale": "sv", "html": "<p>Kön</p>"}]}}]}
            """)
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.slug) == ["hallo", "hej"])
        #expect(corpus.posts.map(\.lang) == ["nl", "sv"])
        #expect(corpus.posts.allSatisfy { $0.langSource == .export })
    }

    @Test("a built site: <html lang>, else og:locale")
    func builtSite() throws {
        let dir = TemporaryDirectory()
        let corpus = try CorpusReader().read(at: Fixtures.site("hugo", in: dir))
        let french = try #require(corpus.posts.first { $0.source.path.hasSuffix("été-support/index.html") })
        #expect((french.lang, french.langSource) == ("fr", .page))
        #expect(corpus.posts.filter { $0.lang == nil }.isEmpty)

        let page = TemporaryDirectory()
        page.write("c/index.html", "<html><head><title>Home</title></head><body><a href='p/'>p</a></body></html>")
        page.write("c/p/index.html", """
            <html><head><meta property="og:locale" content="pt_BR"><meta property="og:type" content="article"><meta property="article:published_time" content="2024-05-01">
            <title>Olá</title></head><body><article><h1>Olá</h1><p>A fila está calma de manhã.</p></article></body></html>
            """)
        let site = try Self.read(page)
        #expect(site.posts.map(\.lang) == ["pt-br"])
    }

    @Test("JSON Lines: lang and translationKey")
    func jsonLines() throws {
        let dir = TemporaryDirectory()
        dir.write("c/posts.jsonl", """
            {"slug": "a", "title": "A", "body": "x", "lang": "en", "translationKey": "k"}
            {"slug": "a-ko", "title": "가", "body": "x", "lang": "ko-KR", "translationKey": "k"}
            """)
        let corpus = try Self.read(dir)
        #expect(corpus.posts.map(\.lang) == ["en", "ko-kr"])
        #expect(corpus.posts.map(\.translationKey) == ["k", "k"])
        #expect(corpus.posts.allSatisfy { $0.langSource == .jsonLines })
    }

    @Test("the corpus default names the language of posts that name none, before any detection")
    func corpusDefault() throws {
        let dir = TemporaryDirectory()
        dir.write("c/a.md", Fixtures.post(title: "A", body: Self.english))
        dir.write("c/b.md", Fixtures.post(title: "B", extra: "lang: ja", body: Self.english))
        let corpus = try Self.read(dir, CorpusReader(defaultLang: "es"))
        #expect(corpus.posts.map(\.lang) == ["es", "ja"])
        #expect(corpus.posts.map(\.langSource) == [.corpusDefault, .frontMatter])
    }

    @Test("an unknown or malformed code is named once, with how many posts carry it, and the posts are indexed without a language")
    func unknownCodes() throws {
        let dir = TemporaryDirectory()
        for name in ["a", "b", "c"] { dir.write("c/\(name).md", Fixtures.post(title: name, extra: "lang: xx", body: Self.english)) }
        dir.write("c/d.md", Fixtures.post(title: "d", extra: "lang: English", body: Self.english))
        let corpus = try Self.read(dir)
        #expect(corpus.posts.count == 4)
        #expect(corpus.posts.allSatisfy { $0.lang == nil && $0.langSource == nil })
        #expect(corpus.skippedCount == 0)
        let messages = corpus.problems.map(\.description)
        #expect(messages.count == 2)
        #expect(messages[0].hasSuffix("a.md:1: warning: language 'xx' is not a known language code (and 2 more post(s)); indexed without a language (the default analysis)"))
        #expect(messages[1].hasSuffix("d.md:1: warning: language 'English' is not a language code; indexed without a language (the default analysis)"))
    }
}

@Suite("Detecting a post's language from its text")
struct LanguageDetectorTests {
    @Test("scripts, and the function words of Latin-script languages", arguments: [
        ("The queue is quiet in the morning, and the agents have time for the tickets that wait. It is not what they expected.", "en"),
        ("La cola está tranquila por la mañana y los agentes tienen tiempo para los casos que esperan. No es lo que pensaban.", "es"),
        ("La file est calme le matin et les agents ont le temps pour les tickets qui attendent. Ce n'est pas ce que nous pensions.", "fr"),
        ("Die Schlange ist am Morgen ruhig und die Agenten haben Zeit für die Fälle, die warten. Es ist nicht, was wir dachten.", "de"),
        ("A fila está calma de manhã e os agentes têm tempo para os casos que esperam. Não é o que você pensava, e isso é bom.", "pt"),
        ("Kön är lugn på morgonen och det finns tid för de ärenden som väntar. Det är inte som vi trodde, men det är bra.", "sv"),
        ("朝のキューは静かで、エージェントは待っているチケットに時間を使えます。useEffect を使うときは注意してください。", "ja"),
        ("早上的队列很安静，这些客服有时间处理等待中的工单。我们会在后面说明为什么这样做。", "zh-hans"),
        ("早上的隊列很安靜，這些客服有時間處理等待中的工單。我們會在後面說明為什麼這樣做。", "zh-hant"),
        ("아침에는 대기열이 조용해서 상담원이 기다리는 티켓을 처리할 시간이 있습니다.", "ko"),
        ("Утром очередь спокойна, и у операторов есть время на сложные обращения, которые ждут.", "ru"),
        ("Вранці черга спокійна, і в операторів є час на складні звернення, які чекають.", "uk"),
        ("في الصباح يكون الطابور هادئا ولدى الموظفين وقت للتذاكر الصعبة التي تنتظر.", "ar"),
        ("בבוקר התור שקט ולנציגים יש זמן לפניות הקשות שממתינות.", "he"),
        ("Το πρωί η ουρά είναι ήσυχη και οι εκπρόσωποι έχουν χρόνο για τα δύσκολα αιτήματα.", "el"),
        ("ตอนเช้าคิวเงียบและเจ้าหน้าที่มีเวลาสำหรับตั๋วที่ยากซึ่งกำลังรออยู่", "th"),
        ("सुबह कतार शांत रहती है और एजेंटों के पास कठिन टिकटों के लिए समय होता है।", "hi"),
    ])
    func detects(text: String, lang: String) {
        #expect(LanguageDetector.detect(text) == lang)
    }

    @Test("too little text, or no language's words standing out, gives no language rather than a guess")
    func undecided() {
        #expect(LanguageDetector.detect("useEffect") == nil)
        #expect(LanguageDetector.detect("const x = useState(0); return <div>{x}</div>; export default App; npm install react") == nil)
    }
}

@Suite("Languages in the index")
struct LanguageIndexTests {
    /// A bundle in three languages and a post of its own, built into `dir/indexes`.
    static func build(_ dir: TemporaryDirectory, aloneLang: String? = nil) throws -> (SearchIndex, BuildSummary) {
        dir.write("c/queues/index.md", Fixtures.post(title: "Quiet queues", date: "2024-01-01", body: LanguageSourceTests.english + " Swarming helps."))
        dir.write("c/queues/index.ja.md", Fixtures.post(title: "静かなキュー", date: "2024-01-01", body: "朝のキューは静かです。Swarming を使います。"))
        dir.write("c/queues/index.es.md", Fixtures.post(title: "Colas tranquilas", date: "2024-01-01", body: "La cola está tranquila. Swarming ayuda."))
        dir.write("c/alone.md", Fixtures.post(title: "Alone", date: "2024-02-01", extra: aloneLang.map { "lang: \($0)" } ?? "",
                                              body: LanguageSourceTests.english + " Swarming again."))
        let corpus = try CorpusReader().read(at: dir.url("c"))
        let summary = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: dir.url("c"))
        return (try SearchIndex.open(directory: dir.url("indexes")), summary)
    }

    @Test("hits, post pages and related posts carry lang and the other versions; stats count posts per language")
    func output() throws {
        let dir = TemporaryDirectory()
        let (index, _) = try Self.build(dir)
        let hits = try index.search(SearchRequest(query: "swarming")).hits
        #expect(Set(hits.map(\.slug)) == ["queues", "queues.ja", "queues.es", "alone"])
        let english = try #require(hits.first { $0.slug == "queues" })
        #expect(english.lang == "en")
        #expect(english.translations == [
            PostTranslation(lang: "es", slug: "queues.es", url: "/es/posts/queues/", title: "Colas tranquilas"),
            PostTranslation(lang: "ja", slug: "queues.ja", url: "/ja/posts/queues/", title: "静かなキュー"),
        ])
        #expect(try #require(hits.first { $0.slug == "queues.ja" }).translations.map(\.slug) == ["queues", "queues.es"])
        #expect(try #require(hits.first { $0.slug == "alone" }).translations.isEmpty)
        #expect(try index.page(slug: "queues.ja").post.translations.map(\.lang) == ["en", "es"])
        let related = try index.related(RelatedRequest(.slug("alone"))).related
        let queues = try #require(related.first { $0.slug == "queues" })
        #expect(queues.lang == "en" && queues.translations.count == 2)
        let stats = try index.stats()
        #expect(stats.languages == [.init(lang: "en", posts: 2), .init(lang: "es", posts: 1), .init(lang: "ja", posts: 1)])
    }

    @Test("a CJK word inside a run, and a Korean noun without its particle, find their post and are highlighted")
    func cjkWords() throws {
        let dir = TemporaryDirectory()
        dir.write("c/tokyo.md", Fixtures.post(title: "東京の生活", date: "2024-01-01", extra: "lang: ja",
                                              body: "東京都に住んでいます。毎朝コーヒーを飲みます。"))
        dir.write("c/beijing.md", Fixtures.post(title: "北京", date: "2024-01-02", extra: "lang: zh-hans",
                                                body: "我们使用React构建用户界面。"))
        dir.write("c/seoul.md", Fixtures.post(title: "서울", date: "2024-01-03", extra: "lang: ko",
                                              body: "이 글은 텍스트를 검색하는 방법을 설명합니다."))
        let corpus = try CorpusReader().read(at: dir.url("c"))
        try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: dir.url("c"))
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        for (query, slug) in [("東京", "tokyo"), ("コーヒー", "tokyo"), ("用户界面", "beijing"), ("界面", "beijing"),
                              ("텍스트", "seoul"), ("검색", "seoul"), ("react", "beijing")] {
            let hits = try index.search(SearchRequest(query: query)).hits
            #expect(hits.map(\.slug) == [slug], "\(query)")
        }
        let hit = try #require(index.search(SearchRequest(query: "コーヒー")).hits.first)
        #expect(hit.snippet.bracketed.contains("[コーヒー]"), "\(hit.snippet.bracketed)")
        #expect(try index.search(SearchRequest(query: "京都")).hits.isEmpty, "a word that only spans two words of a run is not one")
    }

    @Test("a word is stemmed in its post's language: other forms find it with and without lang=, in comments too, and English is untouched")
    func stemmedPerLanguage() throws {
        let dir = TemporaryDirectory()
        dir.write("c/posts.jsonl", """
            {"slug": "colas", "title": "Colas tranquilas", "body": "Los agentes atienden cada llamada con calma.", "lang": "es", "date": "2024-01-01", "comments": [{"id": "c1", "body": "Gracias por la respuesta."}, {"id": "c2", "body": "Me encantan las respuestas rápidas y amables."}]}
            {"slug": "texte", "title": "Un texte", "body": "Une page doit rester lisible sur un petit écran.", "lang": "fr", "date": "2024-01-02"}
            {"slug": "queues", "title": "Quiet queues", "body": "Agents answer every call calmly; the queue stays readable.", "lang": "en", "date": "2024-01-03"}
            """)
        let corpus = try CorpusReader().read(at: dir.url("c"))
        try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: dir.url("c"))
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        func slugs(_ query: String, lang: String? = nil) throws -> [String] {
            var request = SearchRequest(query: query)
            request.lang = lang
            return try index.search(request).hits.map(\.slug)
        }
        // Spanish: calmas and calma share the stem calm; English's Porter would keep calma apart.
        #expect(try slugs("calmas") == ["colas"])
        #expect(try slugs("calmas", lang: "es") == ["colas"])
        #expect(try slugs("lisiblement") == ["texte"])
        #expect(try slugs("lisiblement", lang: "fr") == ["texte"])
        #expect(try slugs("lisiblement", lang: "es").isEmpty, "lang= keeps hits to that language")
        #expect(try slugs("calmly") == ["queues"])
        let hit = try #require(index.search(SearchRequest(query: "respuesta amable")).hits.first)
        #expect(hit.slug == "colas")
        let comment = try #require(hit.comment)
        #expect(comment.id == "c2" && comment.snippet.bracketed.contains("[respuestas]"), "\(comment.snippet.bracketed)")
        #expect(try index.page(slug: "colas").body == "Los agentes atienden cada llamada con calma.")
        let snippet = try #require(index.search(SearchRequest(query: "calmas")).hits.first).snippet
        #expect(snippet.bracketed.hasSuffix("con [calma]"), "\(snippet.bracketed)")
        let opening = try #require(index.search(SearchRequest(query: "agente")).hits.first).snippet
        #expect(opening.bracketed.hasPrefix("Los [agentes] atienden"), "the body's language marker is never shown: \(opening.bracketed)")
    }

    @Test("a post whose language changes in a rebuild is rewritten, and answers with its new language")
    func languageChange() throws {
        let dir = TemporaryDirectory()
        let (before, _) = try Self.build(dir)
        #expect(before.post(slug: "alone")?.lang == "en")
        let (index, summary) = try Self.build(dir, aloneLang: "de")
        #expect(summary.reuse == .incremental(reused: 3, changed: 1, added: 0))
        #expect(index.post(slug: "alone")?.lang == "de")
        #expect(try index.stats().languages.map(\.lang) == ["de", "en", "es", "ja"])
    }

    @Test("without lang=, a Latin-script query ranks first the posts of the language whose posts write its words; corrections come from that language")
    func queryLanguageFromWords() throws {
        let dir = TemporaryDirectory()
        dir.write("c/posts.jsonl", """
            {"slug": "prepare", "title": "Prepare the release", "body": "We prepare the release and prepare the notes; prepared teams prepare early.", "lang": "en", "date": "2024-01-01"}
            {"slug": "notes", "title": "Release notes", "body": "The notes of the release are written by the team.", "lang": "en", "date": "2024-01-02"}
            {"slug": "prepare-fr", "title": "La version", "body": "Nous avons préparé la version avec soin.", "lang": "fr", "date": "2024-01-03"}
            {"slug": "autre-fr", "title": "Une autre page", "body": "La page est écrite avec soin par une équipe.", "lang": "fr", "date": "2024-01-04"}
            """)
        let corpus = try CorpusReader().read(at: dir.url("c"))
        try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: dir.url("c"))
        let index = try SearchIndex.open(directory: dir.url("indexes"))
        // préparé and prepare fold and stem alike (prepar); the French word is French's, so its post comes first.
        #expect(try index.search(SearchRequest(query: "préparé")).hits.map(\.slug) == ["prepare-fr", "prepare"])
        #expect(try index.search(SearchRequest(query: "prepare")).hits.first?.slug == "prepare")
        // A French typo is corrected from French words, not to the English ones.
        let typo = try index.search(SearchRequest(query: "équipx soin"))
        #expect(typo.didYouMean == "équipe soin" || typo.correctedQuery == "équipe soin", "\(String(describing: typo.didYouMean)) \(String(describing: typo.correctedQuery))")
    }

}
