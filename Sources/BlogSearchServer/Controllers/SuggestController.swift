import BlogSearch
import Hummingbird

/// `GET /suggest?q=&limit=`: completions of the last word and the posts to go to, for a search box's dropdown.
struct SuggestController {
    typealias Context = BlogSearchRequestContext

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("suggest") { request, context in
            let params = try Params(request)
            guard let query = params.string("q") else {
                throw APIError(.invalidParameter, "missing q: what the reader has typed so far, e.g. /suggest?q=angry+cust")
            }
            let limit = try params.int("limit", default: 5, in: 1...20)
            return try Responses.json(try context.requireIndex().suggest(query, limit: limit))
        }
        return routes
    }
}
