import BlogSearch
import Foundation
import Hummingbird

/// `GET /` and `GET /posts/{slug}`: a small demo site over the index, so a new user sees the product in a
/// browser: search with highlighted snippets and facets, and post pages whose sidebar is the embeddable widget.
struct DemoController {
    typealias Context = BlogSearchRequestContext
    var recorder: SearchRecorder?

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/") { request, context in try home(request, context.requireIndex()) }
        routes.get("posts/:slug") { _, context in try post(try Params.slug(context), context.requireIndex()) }
        return routes
    }

    func home(_ request: Request, _ index: SearchIndex) throws -> Response {
        let params = try Params(request)
        let query = params.string("q") ?? ""
        let category = params.string("category")
        var content = ""
        var side = ""
        if query.trimmingCharacters(in: .whitespaces).isEmpty {
            content += "<h1>Posts</h1><ul class=\"hits\">"
            for post in index.allPosts.prefix(100) {
                content += "<li><h2><a href=\"\(postLink(post.slug))\">\(HTMLText.escape(post.title))</a></h2>"
                content += "<div class=\"meta\">\(meta(post.date, post.author, post.categories))</div></li>"
            }
            content += "</ul>"
        } else {
            let offset = try params.int("offset", default: 0, in: 0...SearchRequest.maxOffset)
            let correct = try params.bool("correct", default: true)
            let byDate = params.string("sort") == SearchRequest.Sort.date.rawValue
            let request = SearchRequest(query: query, limit: 10, offset: offset,
                                        categories: category.map { [$0] } ?? [], correct: correct, sort: byDate ? .date : .relevance)
            let response = try index.search(request)
            recorder?.record(request, response)
            /// A link to this page with other parameters (the category, the order and `correct` kept unless given).
            func link(q: String = query, category: String? = category, offset: Int = 0, byDate: Bool = byDate, correct: Bool = correct) -> String {
                var url = "/?q=\(escapeQuery(q))"
                if let category { url += "&category=\(escapeQuery(category))" }
                if byDate { url += "&sort=date" }
                if !correct { url += "&correct=false" }
                if offset > 0 { url += "&offset=\(offset)" }
                return HTMLText.escape(url)
            }
            let answered = response.correctedQuery ?? query
            content += "<h1>\(response.total) result\(response.total == 1 ? "" : "s") for “\(HTMLText.escape(answered))”</h1>"
            if let corrected = response.correctedQuery {
                content += "<p class=\"correction\">Showing results for <a href=\"\(link(q: corrected))\">\(HTMLText.escape(corrected))</a>. "
                    + "Search instead for <a href=\"\(link(correct: false))\">\(HTMLText.escape(query))</a>.</p>"
            }
            if let suggestion = response.didYouMean {
                content += "<p class=\"correction\">Did you mean <a href=\"\(link(q: suggestion))\">\(HTMLText.escape(suggestion))</a>?</p>"
            }
            for notice in response.notices { content += "<p class=\"notice\">\(HTMLText.escape(notice)).</p>" }
            if let hint = response.hint { content += "<p class=\"empty\">\(HTMLText.escape(hint)).</p>" }
            if response.total > 1 {
                content += "<p class=\"sort\">Sort: "
                    + (byDate ? "<a href=\"\(link(byDate: false))\">relevance</a> · <strong>newest</strong>"
                              : "<strong>relevance</strong> · <a href=\"\(link(byDate: true))\">newest</a>") + "</p>"
            }
            content += "<ul class=\"hits\">"
            for hit in response.hits {
                // Snippets come escaped from the engine, with <mark> added after escaping.
                content += "<li><h2><a href=\"\(postLink(hit.slug))\">\(HTMLText.escape(hit.title))</a></h2>"
                content += "<div class=\"meta\">\(meta(hit.date, hit.author, hit.categories))</div><p>\(HTMLText.marked(hit.snippet))</p>"
                if let comment = hit.comment, hit.matchedIn.contains("body") {
                    content += "<p class=\"comment\">Comment by \(HTMLText.escape(comment.author ?? "a reader")): \(HTMLText.marked(comment.snippet))</p>"
                }
                content += "</li>"
            }
            content += "</ul><div class=\"pager\">"
            if offset > 0 { content += "<a href=\"\(link(offset: max(0, offset - 10)))\">← Previous</a>" }
            if offset + 10 < response.total { content += "<a href=\"\(link(offset: offset + 10))\">Next →</a>" }
            content += "</div>"
            if !response.facets.categories.isEmpty {
                side += "<div class=\"facets\"><h3>Categories</h3><ul>"
                for facet in response.facets.categories {
                    side += "<li><a href=\"\(link(category: facet.value))\">\(HTMLText.escape(facet.value))</a> (\(facet.count))</li>"
                }
                side += "</ul></div>"
            }
        }
        return Responses.html(page(title: query.isEmpty ? "blogsearch demo" : "\(query) – blogsearch demo", query: query,
                                   content: content, side: side))
    }

    func post(_ slug: String, _ index: SearchIndex) throws -> Response {
        let page: PostPage
        do {
            page = try index.page(slug: slug)
        } catch {
            throw APIError(error)
        }
        var content = "<article><h1>\(HTMLText.escape(page.post.title))</h1>"
        content += "<div class=\"meta\">\(meta(page.post.date, page.post.author, page.post.categories))</div><div class=\"body\">"
        for paragraph in page.body.components(separatedBy: "\n\n") where !paragraph.isEmpty {
            content += "<p>\(HTMLText.escape(paragraph))</p>"
        }
        content += "</div></article>"
        if !page.comments.isEmpty {
            content += "<section class=\"comments\"><h2>\(page.comments.count) comment\(page.comments.count == 1 ? "" : "s")</h2>"
            for comment in page.comments {
                content += "<div class=\"comment\(comment.replyTo == nil ? "" : " reply")\"><div class=\"meta\">"
                content += "\(HTMLText.escape(comment.author ?? "A reader"))\(comment.date.map { " · " + HTMLText.escape($0) } ?? "")</div>"
                content += "<p>\(HTMLText.escape(comment.body))</p></div>"
            }
            content += "</section>"
        }
        // The sidebar is the embeddable widget itself, as a blog would use it.
        let side = "<div data-blogsearch-related=\"\(HTMLText.escape(slug))\" data-limit=\"5\" data-href=\"/posts/{slug}\"></div>"
            + "<script src=\"/widget.js\" defer></script>"
        return Responses.html(self.page(title: page.post.title, query: "", content: content, side: side))
    }

    // MARK: - Layout

    private func page(title: String, query: String, content: String, side: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title><link rel="stylesheet" href="/assets/demo.css"></head>
        <body><header><div class="bar"><a class="brand" href="/">blogsearch</a>
        <form class="search" action="/" method="get" role="search" data-blogsearch-search data-href="/posts/{slug}">
        <label for="q" hidden>Search</label>
        <input id="q" type="search" name="q" value="\(HTMLText.escape(query))" placeholder="Search posts and comments" autocomplete="off">
        <button type="submit">Search</button></form></div></header>
        <main><div>\(content)</div><aside>\(side)</aside></main><script src="/search.js" defer></script></body></html>
        """
    }

    private func postLink(_ slug: String) -> String { "/posts/\(escapePath(slug))" }

    private func meta(_ date: String?, _ author: String?, _ categories: [String]) -> String {
        ([date, author].compactMap { $0 } + categories).map(HTMLText.escape).joined(separator: " · ")
    }

    private func escapeQuery(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    private func escapePath(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? text
    }
}
