import BlogSearch
import Hummingbird

/// `GET /widget/related/{slug}` (an HTML fragment for server-side includes), `GET /widget.js` (the sidebar) and
/// `GET /search.js` (the search box).
struct WidgetController {
    typealias Context = BlogSearchRequestContext
    let cache: ResponseCache

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("widget/related/:slug") { request, context in
            let index = try context.requireIndex()
            let params = try Params(request)
            let relatedRequest = RelatedRequest(.slug(try Params.slug(context)),
                                                limit: try params.int("limit", default: 5, in: RelatedRequest.limitRange))
            let because = try params.bool("because", default: true)
            let title = params.string("title") ?? "Related posts"
            return try cache.response(ResponseCache.key("widget", relatedRequest, "\(because)", title), generation: index.generation.number) {
                let html = WidgetController.fragment(try index.related(relatedRequest), title: title, because: because)
                return (ByteBuffer(string: html), "text/html; charset=utf-8")
            }
        }
        routes.get("widget.js") { _, _ in
            Responses.text(Assets.widgetJS, contentType: "text/javascript; charset=utf-8")
        }
        routes.get("search.js") { _, _ in
            Responses.text(Assets.searchJS, contentType: "text/javascript; charset=utf-8")
        }
        routes.get("assets/demo.css") { _, _ in
            Responses.text(Assets.demoCSS, contentType: "text/css; charset=utf-8")
        }
        return routes
    }

    /// A self-contained, accessible list of related posts; every value HTML-escaped, and a post whose URL is not
    /// http(s) or relative (`SafeLink`) listed without a link. Empty when there are none.
    static func fragment(_ response: RelatedResponse, title: String, because: Bool, href: ((RelatedResponse.Item) -> String)? = nil) -> String {
        guard !response.related.isEmpty else { return "" }
        var html = "<nav class=\"blogsearch-related\" aria-label=\"\(HTMLText.escape(title.isEmpty ? "Related posts" : title))\">"
        if !title.isEmpty { html += "<h2 class=\"blogsearch-related-title\">\(HTMLText.escape(title))</h2>" }
        html += "<ul>"
        for item in response.related {
            if let link = SafeLink.href(href?(item) ?? item.url) {
                html += "<li><a href=\"\(HTMLText.escape(link))\">\(HTMLText.escape(item.title))</a>"
            } else {
                html += "<li><span>\(HTMLText.escape(item.title))</span>"
            }
            let reasons = Array(item.sharedTerms.prefix(3)) + item.sharedTags
            if because, !reasons.isEmpty {
                html += "<span class=\"blogsearch-because\">because: \(HTMLText.escape(reasons.joined(separator: ", ")))</span>"
            }
            html += "</li>"
        }
        return html + "</ul></nav>"
    }
}
