import BlogSearch
import Hummingbird

/// `GET /widget/related/{slug}` (an HTML fragment for server-side includes) and `GET /widget.js`.
struct WidgetController<Context: RequestContext> {
    let holder: IndexHolder
    let cache: ResponseCache

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("widget/related/:slug") { request, context in
            let slug = try context.parameters.require("slug")
            let params = Params(request)
            let index = try holder.current()
            return try cache.response(request.uri.description, generation: index.generation.number) {
                let response = try index.related(RelatedRequest(.slug(slug), limit: try params.int("limit", default: 5)))
                let because = params.string("because").map { $0 != "false" && $0 != "0" } ?? true
                let html = WidgetController.fragment(response, title: params.string("title") ?? "Related posts", because: because)
                return (ByteBuffer(string: html), "text/html; charset=utf-8")
            }
        }
        routes.get("widget.js") { _, _ in
            Responses.text(Assets.widgetJS, contentType: "text/javascript; charset=utf-8")
        }
        routes.get("assets/demo.css") { _, _ in
            Responses.text(Assets.demoCSS, contentType: "text/css; charset=utf-8")
        }
        return routes
    }

    /// A self-contained, accessible list of related posts; every value HTML-escaped. Empty when there are none.
    static func fragment(_ response: RelatedResponse, title: String, because: Bool, href: ((RelatedResponse.Item) -> String)? = nil) -> String {
        guard !response.related.isEmpty else { return "" }
        var html = "<nav class=\"blogsearch-related\" aria-label=\"\(HTMLText.escape(title.isEmpty ? "Related posts" : title))\">"
        if !title.isEmpty { html += "<h2 class=\"blogsearch-related-title\">\(HTMLText.escape(title))</h2>" }
        html += "<ul>"
        for item in response.related {
            html += "<li><a href=\"\(HTMLText.escape(href?(item) ?? item.url))\">\(HTMLText.escape(item.title))</a>"
            let reasons = Array(item.sharedTerms.prefix(3)) + item.sharedTags
            if because, !reasons.isEmpty {
                html += "<span class=\"blogsearch-because\">because: \(HTMLText.escape(reasons.joined(separator: ", ")))</span>"
            }
            html += "</li>"
        }
        return html + "</ul></nav>"
    }
}
