import BlogSearch
import Hummingbird

/// `GET /search?q=&limit=&offset=&category=&tag=&author=&since=&until=&sort=&recency=&correct=&prefix=last&lang=`
struct SearchController {
    typealias Context = BlogSearchRequestContext
    var recorder: SearchRecorder?

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
            since: params.string("since"), until: params.string("until"), correct: try params.bool("correct", default: true),
            sort: try sort(params), recencyHalfLifeDays: try recency(params), prefixLast: try prefixLast(params),
            lang: params.string("lang"))
        let response = try context.requireIndex().search(searchRequest)
        recorder?.record(searchRequest, response)
        return Response(status: .ok, headers: [.contentType: Responses.jsonType], body: .init(byteBuffer: SearchJSON.encode(response)))
    }

    private func sort(_ params: Params) throws -> SearchRequest.Sort {
        guard let text = params.string("sort") else { return .relevance }
        guard let sort = SearchRequest.Sort(rawValue: text.lowercased()) else {
            throw APIError(.invalidParameter, "invalid sort: '\(text.prefix(40))' is not one of "
                           + SearchRequest.Sort.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return sort
    }

    /// `prefix=last`: the last word is being typed; `prefix=none` (or absent): every word is whole.
    private func prefixLast(_ params: Params) throws -> Bool {
        switch params.string("prefix")?.lowercased() {
        case nil, "none": return false
        case "last": return true
        case let other?: throw APIError(.invalidParameter, "invalid prefix: '\(other.prefix(40))' is not last or none")
        }
    }

    private func recency(_ params: Params) throws -> Double? {
        guard let text = params.string("recency") else { return nil }
        guard let days = Double(text), days.isFinite else {
            throw APIError(.invalidParameter, "invalid recency: '\(text.prefix(40))' is not a number of days (the half-life of the recency boost)")
        }
        return days
    }
}
