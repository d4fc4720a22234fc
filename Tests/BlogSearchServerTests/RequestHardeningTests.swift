import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Fault 8's HTTP parts: encoded slugs, HEAD and other methods, byte limits before any work, and post URLs
/// that must never become `javascript:` links.
@Suite("Request hardening")
struct RequestHardeningTests {
    let dir = TemporaryDirectory()
    let holder: IndexHolder

    /// The fixture blog plus a post whose slug has accents and one whose front matter `url` is `javascript:`,
    /// both about espresso, so each is the other's related post.
    init() throws {
        try Fixtures.buildBlog(into: dir, extra: [
            Post(slug: "café-crème", title: "Café Crème", date: "2025-01-02", tags: ["espresso"],
                 body: "Espresso crema milk foam espresso barista crema.", source: SourceLocation(path: "mem")),
            Post(slug: "evil-link", title: "Evil Link", url: "javascript:alert(document.cookie)", date: "2025-01-03",
                 tags: ["espresso"], body: "Espresso crema barista milk foam espresso.", source: SourceLocation(path: "mem")),
        ])
        holder = try IndexHolder(directory: dir.url("indexes"), readers: 2)
    }

    @Test("percent-encoded slugs in paths are decoded")
    func encodedSlug() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            for uri in ["/posts/caf%C3%A9-cr%C3%A8me/related", "/posts/caf%C3%A9-cr%C3%A8me", "/widget/related/caf%C3%A9-cr%C3%A8me"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
            }
            try await client.execute(uri: "/posts/caf%C3%A9-cr%C3%A8me/related", method: .get) { response in
                #expect(response.text.contains("\"slug\":\"evil-link\""))
            }
        }
    }

    @Test("HEAD answers every GET route with the same headers and no body")
    func head() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            for uri in ["/search?q=espresso", "/posts/sla-basics/related", "/related?url=/posts/sla-basics/", "/widget/related/sla-basics",
                        "/widget.js", "/assets/demo.css", "/healthz", "/metrics", "/", "/posts/sla-basics"] {
                let get = try await client.execute(uri: uri, method: .get) { $0 }
                try await client.execute(uri: uri, method: .head) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.body.readableBytes == 0, "\(uri)")
                    #expect(response.headers[.contentType] == get.headers[.contentType], "\(uri)")
                    #expect(response.headers[.eTag] == get.headers[.eTag], "\(uri)")
                    // Other bodies change from one moment to the next (`tookMs`, ages, counters).
                    if ["/widget.js", "/assets/demo.css", "/posts/sla-basics/related", "/widget/related/sla-basics"].contains(uri) {
                        #expect(response.headers[.contentLength] == get.headers[.contentLength], "\(uri)")
                    }
                }
            }
        }
    }

    @Test("OPTIONS, TRACE and every other method get 405 with Allow: GET, HEAD; a CORS preflight still works")
    func methods() async throws {
        var configuration = ServerConfiguration(port: 0)
        configuration.corsOrigins = ["https://blog.example"]
        try await Fixtures.app(holder, configuration).test(.router) { client in
            for method: HTTPRequest.Method in [.options, .trace, .post, .put, .delete, .patch, .connect, .init("PROPFIND")!] {
                for uri in ["/search?q=x", "/posts/sla-basics/related", "/healthz", "/"] {
                    try await client.execute(uri: uri, method: method) { response in
                        #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                        #expect(response.headers[.allow] == "GET, HEAD", "\(method) \(uri)")
                        #expect(response.errorCode == "method_not_allowed")
                    }
                }
            }
            try await client.execute(uri: "/search", method: .options,
                                     headers: [.origin: "https://blog.example", .accessControlRequestMethod: "GET"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://blog.example")
            }
            try await client.execute(uri: "/search", method: .options,
                                     headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"]) { response in
                #expect(response.status == .methodNotAllowed)
            }
        }
    }

    @Test("a 70 KB slug is refused by its length, before any lookup (no close matches are computed)")
    func longSlug() async throws {
        let slug = String(repeating: "a", count: 70_000)
        try await Fixtures.app(holder).test(.router) { client in
            for uri in ["/posts/\(slug)/related", "/posts/\(slug)", "/widget/related/\(slug)"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(response.errorCode == "post_not_found")
                    #expect(response.text.contains("the most is 512"))
                }
            }
        }
    }

    @Test("a query is limited in bytes: 19 KB of combining accents (one character) is refused before parsing")
    func queryBytes() async throws {
        let accents = "a" + String(repeating: "\u{301}", count: 9_500)
        #expect(accents.count == 1)
        let encoded = accents.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await Fixtures.app(holder).test(.router) { client in
            for uri in ["/search?q=\(encoded)", "/?q=\(encoded)", "/related?text=\(encoded)"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri.prefix(20))")
                    #expect(response.errorCode == "invalid_parameter")
                    #expect(response.text.contains("bytes"))
                }
            }
            // The same text just under the limit is still a query.
            let fits = "a" + String(repeating: "\u{301}", count: 1_990)
            try await client.execute(uri: "/search?q=\(fits.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                     method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("a front-matter javascript: URL never becomes a link in the widget fragment")
    func javascriptURL() async throws {
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/widget/related/caf%C3%A9-cr%C3%A8me", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Evil Link"))
                #expect(!response.text.lowercased().contains("javascript:"))
            }
        }
    }
}
