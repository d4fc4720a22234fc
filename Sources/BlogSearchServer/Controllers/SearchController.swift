import BlogSearch
import Hummingbird

/// `GET /search?q=&limit=&offset=&category=&tag=&author=&since=&until=`
struct SearchController {
    typealias Context = BlogSearchRequestContext

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("search") { request, context in try search(request, context) }
        return routes
    }

    func search(_ request: Request, _ context: Context) throws -> Response {
        let params = try Params(request)
        guard let query = params.string("q") else {
            throw APIError(.invalidParameter, "missing q: the query, e.g. /search?q=empathy")
        }
        let searchRequest = SearchRequest(
            query: query, limit: try params.int("limit", default: 10, in: SearchRequest.limitRange),
            offset: try params.int("offset", default: 0, in: 0...SearchRequest.maxOffset),
            categories: params.strings("category"), tags: params.strings("tag"), author: params.string("author"),
            since: params.string("since"), until: params.string("until"))
        let response = try context.requireIndex().search(searchRequest)
        return Response(status: .ok, headers: [.contentType: Responses.jsonType], body: .init(byteBuffer: SearchJSON.encode(response)))
    }
}
