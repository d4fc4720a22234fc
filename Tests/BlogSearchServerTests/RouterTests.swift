import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP routes")
struct RouterTests {
    let dir = TemporaryDirectory()
    let holder: IndexHolder

    init() throws {
        holder = try Fixtures.holder(dir)
    }

    @Test("GET /search answers hits with snippets, facets and total, in the CLI's JSON shape")
    func search() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/search?q=swarming", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let json = try response.json()
                #expect(json["total"] as? Int == 1)
                let hit = try #require((json["hits"] as? [[String: Any]])?.first)
                #expect(hit["slug"] as? String == "angry-customers")
                #expect((hit["comment"] as? [String: Any])?["id"] != nil)
                for key in ["query", "total", "hits", "facets", "tookMs"] { #expect(json[key] != nil) }
            }
            try await client.execute(uri: "/search?q=response&category=Support%20Operations&since=2024-01-01", method: .get) { response in
                let hits = try response.json()["hits"] as! [[String: Any]]
                #expect(hits.map { $0["slug"] as! String } == ["queue-management"])
            }
            try await client.execute(uri: "/search?q=response+times&tag=sla&tag=metrics", method: .get) { response in
                let json = try response.json()
                let hits = json["hits"] as! [[String: Any]]
                #expect(hits.map { $0["slug"] as! String } == ["sla-basics"])
                #expect(json["query"] as? String == "response times")   // `+` is a space, as browsers send forms
            }
            try await client.execute(uri: "/search?q=c%2B%2B%20%26%20more", method: .get) { response in
                let json = try response.json()
                #expect(json["query"] as? String == "c++ & more")
            }
        }
    }

    @Test("a long question is answered, cut to the engine's limit with a notice; a misspelt word is corrected")
    func forgivingQueries() async throws {
        let question = (["how", "do", "I", "agree", "an", "SLA", "with", "a", "customer"] + Array(repeating: "please", count: 700)).joined(separator: "+")
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/search?q=" + question, method: .get) { response in
                #expect(response.status == .ok)
                let json = try response.json()
                #expect((json["notices"] as? [String])?.contains { $0.contains("cut to its first") } == true)
                #expect((json["query"] as? String)?.count ?? .max <= SearchRequest.maxQueryLength)
            }
            try await client.execute(uri: "/search?q=custmer", method: .get) { response in
                let json = try response.json()
                #expect(json["correctedQuery"] as? String == "customer")
                #expect((json["hits"] as? [Any])?.isEmpty == false)
            }
            try await client.execute(uri: "/search?q=custmer&correct=false", method: .get) { response in
                let json = try response.json()
                #expect(json["correctedQuery"] == nil)
                #expect(json["total"] as? Int == 0)
            }
        }
    }

    @Test("suggest completes the last word and lists posts; search takes prefix=last")
    func suggest() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/suggest?q=angry+cust", method: .get) { response in
                #expect(response.status == .ok)
                let json = try response.json()
                let completions = (json["completions"] as? [[String: Any]])?.compactMap { $0["query"] as? String } ?? []
                #expect(completions.first == "angry customer")
                #expect((json["posts"] as? [[String: Any]])?.first?["slug"] as? String == "angry-customers")
            }
            try await client.execute(uri: "/search?q=angry+cust&prefix=last", method: .get) { response in
                let json = try response.json()
                #expect(((json["hits"] as? [[String: Any]])?.first?["matchesAllTerms"] as? Bool) == true)
            }
        }
    }

    @Test("bad parameters are 400 invalid_parameter naming the parameter", arguments: [
        ("/search", "q"), ("/search?q=x&limit=0", "limit"), ("/search?q=x&limit=101", "limit"), ("/search?q=x&limit=ten", "limit"),
        ("/search?q=x&offset=-1", "offset"), ("/search?q=x&since=2024-13-01", "since"), ("/search?q=x&until=tomorrow", "until"),
        ("/search?q=" + String(repeating: "a", count: 8_193), "q"), ("/search?q=x&sort=oldest", "sort"),
        ("/search?q=x&recency=0", "recency"), ("/search?q=x&recency=soon", "recency"), ("/search?q=x&correct=maybe", "correct"),
        ("/search?q=x&prefix=first", "prefix"), ("/suggest", "q"), ("/suggest?q=x&limit=21", "limit"), ("/posts/sla-basics/related?limit=500", "limit"),
        ("/posts/sla-basics/related?sameCategory=maybe", "sameCategory"), ("/related", "url"), ("/related?url=/a&text=b", "url"),
    ])
    func badParameters(uri: String, parameter: String) async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "invalid_parameter")
                let message = (try response.json()["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(parameter))
                #expect(!message.lowercased().contains("sql"))
            }
        }
    }

    @Test("hostile queries never cause a 500", arguments: [
        "%22", "*", "NEAR(", "-", "%3A", "AND%20OR%20NOT", "'%3B%20DROP%20TABLE%20posts%3B--", "%00", "%E2%80%8F", "((((",
    ])
    func hostile(query: String) async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/search?q=\(query)", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("related posts by slug, URL and text; unknown slug is 404 post_not_found with a suggestion")
    func related() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/posts/sla-basics/related?limit=3", method: .get) { response in
                #expect(response.status == .ok)
                let json = try response.json()
                #expect(json["slug"] as? String == "sla-basics")
                let first = try #require((json["related"] as? [[String: Any]])?.first)
                #expect(first["slug"] as? String == "queue-management")
                for key in ["slug", "title", "url", "date", "score", "sharedTerms", "sharedTags", "sharedCategories"] {
                    #expect(first[key] != nil)
                }
            }
            try await client.execute(uri: "/related?url=%2Fposts%2Fsla-basics%2F", method: .get) { response in
                let json = try response.json()
                #expect(json["slug"] as? String == "sla-basics")
            }
            try await client.execute(uri: "/related?text=angry%20customers%20escalation", method: .get) { response in
                let related = try response.json()["related"] as! [[String: Any]]
                #expect(related.first?["slug"] as? String == "angry-customers")
            }
            try await client.execute(uri: "/posts/sla-basic/related", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "post_not_found")
                #expect(response.text.contains("sla-basics"))
            }
            try await client.execute(uri: "/related?url=/nowhere/", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "post_not_found")
            }
        }
    }

    @Test("unknown routes are 404 route_not_found; other methods are 405 with Allow: GET, HEAD")
    func routing() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "route_not_found")
            }
            for uri in ["/search?q=x", "/posts/sla-basics/related", "/healthz"] {
                try await client.execute(uri: uri, method: .post) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "GET, HEAD")
                    #expect(response.errorCode == "method_not_allowed")
                }
            }
        }
    }

    @Test("ETag follows the generation, If-None-Match gets 304, Cache-Control is configurable")
    func caching() async throws {
        let config = ServerConfiguration(port: 0, cacheControl: "public, max-age=300")
        try await Fixtures.app(holder, config).test(.router) { client in
            let etag = try await client.execute(uri: "/posts/sla-basics/related", method: .get) { response in
                #expect(response.headers[.cacheControl] == "public, max-age=300")
                return try #require(response.headers[.eTag])
            }
            #expect(etag.contains("g1-"))
            try await client.execute(uri: "/posts/sla-basics/related", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/search?q=sla", method: .get, headers: [.ifNoneMatch: "\"g0-old\""]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == etag)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.headers[.eTag] == nil)
            }
        }
    }

    @Test("CORS: nothing by default, allowlisted origins only, * when asked")
    func cors() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/search?q=sla", method: .get, headers: [.origin: "https://blog.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
        let allow = ServerConfiguration(port: 0, corsOrigins: ["https://blog.example"])
        try await Fixtures.app(holder, allow).test(.router) { client in
            try await client.execute(uri: "/search?q=sla", method: .get, headers: [.origin: "https://blog.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "https://blog.example")
                #expect(response.headers[.vary] == "Origin")
            }
            try await client.execute(uri: "/search?q=sla", method: .get, headers: [.origin: "https://evil.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/search", method: .options,
                                     headers: [.origin: "https://blog.example", .accessControlRequestMethod: "GET"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowMethods] == "GET, OPTIONS")
            }
        }
        try await Fixtures.app(holder, ServerConfiguration(port: 0, corsOrigins: ["*"])).test(.router) { client in
            try await client.execute(uri: "/search?q=sla", method: .get, headers: [.origin: "https://any.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
        }
    }

    @Test("healthz reports the generation; metrics expose request counts, latency and index gauges")
    func health() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                let json = try response.json()
                #expect(json["status"] as? String == "ok")
                #expect(json["generation"] as? Int == 1)
                #expect(json["posts"] as? Int == 5)
                #expect(json["builtAt"] != nil)
            }
            try await client.execute(uri: "/search?q=sla", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = response.text
                #expect(text.contains("hb_requests"))
                #expect(text.contains("http_route=\"/search\""))
                #expect(text.contains("http_server_request_duration"))
                #expect(text.contains("blogsearch_index_generation 1"))
                #expect(text.contains("blogsearch_index_age_seconds"))
            }
        }
    }

    @Test("the widget fragment escapes every value and links the related posts")
    func widgetFragment() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/widget/related/empathy-in-support?limit=5", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = response.text
                #expect(html.hasPrefix("<nav class=\"blogsearch-related\""))
                #expect(html.contains("<a href=\"/posts/angry-customers/\">Handling Angry Customers</a>"))
                #expect(html.contains("When a Customer Pastes &lt;script&gt; Into a Form"))
                #expect(!html.contains("<script"))
                #expect(html.contains("because:"))
            }
            try await client.execute(uri: "/widget/related/empathy-in-support?because=false", method: .get) { response in
                #expect(!response.text.contains("because:"))
            }
            try await client.execute(uri: "/widget.js", method: .get) { response in
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(response.text.contains("data-blogsearch-related"))
                #expect(response.text.contains("textContent"))
            }
        }
    }

    @Test("the demo site shows search results and post pages with the widget, escaping titles")
    func demo() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/?q=script", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("When a Customer Pastes &lt;script&gt; Into a Form"))
                #expect(html.contains("<mark>script</mark>"))
                #expect(!html.contains("<script>alert"))
            }
            try await client.execute(uri: "/posts/escaping-forms", method: .get) { response in
                let html = response.text
                #expect(html.contains("<h1>When a Customer Pastes &lt;script&gt; Into a Form</h1>"))
                #expect(html.contains("data-blogsearch-related=\"escaping-forms\""))
                #expect(html.contains("<script src=\"/widget.js\" defer></script>"))
            }
            try await client.execute(uri: "/posts/no-such-post", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("the demo site says when it corrected a word, links to the words as typed, and sorts by date")
    func demoCorrections() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/?q=angry+custmer", method: .get) { response in
                let html = response.text
                #expect(html.contains("results for “angry customer”</h1>"))
                #expect(html.contains("Showing results for <a href=\"/?q=angry%20customer\">angry customer</a>"))
                #expect(html.contains("Search instead for <a href=\"/?q=angry%20custmer&amp;correct=false\">angry custmer</a>"))
                #expect(html.contains("<a href=\"/?q=angry%20custmer&amp;sort=date\">newest</a>"))
            }
            try await client.execute(uri: "/?q=angry+custmer&correct=false", method: .get) { response in
                let html = response.text
                #expect(html.contains("results for “angry custmer”</h1>"))
                #expect(!html.contains("Showing results for"))
            }
            try await client.execute(uri: "/?q=customer&sort=date", method: .get) { response in
                let html = response.text
                #expect(html.contains("<strong>newest</strong>"))
                // Newest first: the dates on the page descend.
                let dates = html.matches(of: /class="meta">(\d{4}-\d{2}-\d{2})/).map { String($0.output.1) }
                #expect(dates.count >= 2)
                #expect(dates == dates.sorted(by: >))
            }
        }
    }
}
