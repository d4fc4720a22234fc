import Foundation
import Testing
import BlogSearch
import BlogSearchTestSupport

/// Languages end to end: the report of `index`, `stats`, and the JSON of `search` and `related`.
@Suite("Languages, through the command")
struct LanguageCommandTests {
    @Test("index reports posts per language and where the languages came from, and names an unknown code once; stats and --json count them")
    func reportAndStats() throws {
        let dir = TemporaryDirectory()
        dir.write("c/queues/index.md", Fixtures.post(title: "Quiet queues", body: "The queue is quiet in the morning and the agents have time for the tickets that wait. Swarming."))
        dir.write("c/queues/index.ja.md", Fixtures.post(title: "静かなキュー", body: "朝のキューは静かです。Swarming を使います。"))
        dir.write("c/queues/_index.md", Fixtures.post(title: "Section", body: "x"))
        dir.write("c/odd.md", Fixtures.post(title: "Odd", extra: "lang: zz", body: "Swarming, in an odd language."))
        let index = try Blogsearch.run(["index", "--corpus", dir.url("c"), "--indexes", dir.url("indexes")])
        #expect(index.status == 0)
        #expect(index.stderr.contains("odd.md:1: warning: language 'zz' is not a known language code; indexed without a language"))
        #expect(index.stderr.contains("; 1 section page(s) (_index.md) left out; languages: en 1, ja 1, none 1 (file name 1, detected 1, none 1)"))

        let stats = try Blogsearch.run(["stats", "--indexes", dir.url("indexes")])
        #expect(stats.stdout.contains("languages    en 1, ja 1, none 1"))
        let json = try JSONSerialization.jsonObject(with: Data(try Blogsearch.run(["stats", "--json", "--indexes", dir.url("indexes")]).stdout.utf8)) as! [String: Any]
        let languages = try #require(json["languages"] as? [[String: Any]])
        #expect(languages.map { $0["lang"] as? String } == ["en", "ja", nil])
        #expect(languages.map { $0["posts"] as? Int } == [1, 1, 1])

        let search = try Blogsearch.run(["search", "swarming", "--json", "--indexes", dir.url("indexes")])
        let hits = try #require((try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])
        let japanese = try #require(hits.first { $0["slug"] as? String == "queues.ja" })
        #expect(japanese["lang"] as? String == "ja")
        #expect(japanese["url"] as? String == "/ja/posts/queues/")
        let translations = try #require(japanese["translations"] as? [[String: Any]])
        #expect(translations.map { $0["slug"] as? String } == ["queues"])
        #expect(translations.first?["url"] as? String == "/posts/queues/")
        #expect(translations.first?["lang"] as? String == "en")
    }

    @Test("--default-lang and --url-pattern are checked before anything is read", arguments: [
        (["--default-lang", "klingon"], "--default-lang 'klingon' is not a known language code"),
        (["--url-pattern", "/posts/"], "--url-pattern '/posts/' has no {slug}"),
    ])
    func badOptions(options: [String], message: String) throws {
        let result = try Blogsearch.run(["index", "--corpus", "/nonexistent", "--indexes", "/nonexistent"] + options)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message))
    }
}
