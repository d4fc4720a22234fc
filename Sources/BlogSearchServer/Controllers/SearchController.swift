import BlogSearch
import Hummingbird

/// `GET /search?q=&limit=&offset=&category=&tag=&author=&since=&until=`
struct SearchController<Context: RequestContext> {
    let holder: IndexHolder

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("search") { request, _ in try search(request) }
        return routes
    }

    func search(_ request: Request) throws -> Response {
        let params = Params(request)
        guard let query = params.string("q") else {
            throw APIError(.invalidParameter, "missing q: the query, e.g. /search?q=empathy")
        }
        let searchRequest = SearchRequest(
            query: query, limit: try params.int("limit", default: 10), offset: try params.int("offset", default: 0),
            categories: params.strings("category"), tags: params.strings("tag"), author: params.string("author"),
            since: params.string("since"), until: params.string("until"))
        return try Responses.json(try holder.current().search(searchRequest))
    }
}
