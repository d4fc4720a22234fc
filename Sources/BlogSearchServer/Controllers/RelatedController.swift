import BlogSearch
import Hummingbird

/// `GET /posts/{slug}/related?limit=&exclude=&sameCategory=&olderOnly=` and `GET /related?url=…` / `?text=…`
struct RelatedController {
    typealias Context = BlogSearchRequestContext
    let cache: ResponseCache

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("posts/:slug/related") { request, context in
            let index = try context.requireIndex()
            let relatedRequest = try RelatedController.request(.slug(try Params.slug(context)), try Params(request))
            return try cache.response(ResponseCache.key("related", relatedRequest), generation: index.generation.number) {
                (try Responses.jsonBuffer(try index.related(relatedRequest)), Responses.jsonType)
            }
        }
        routes.get("related") { request, context in
            let params = try Params(request)
            let sources: [RelatedRequest.Source] = [params.string("url").map { .url($0) }, params.string("text").map { .text($0) }]
                .compactMap { $0 }
            guard sources.count == 1 else {
                throw APIError(.invalidParameter, "give exactly one of url or text, e.g. /related?url=/posts/my-post/")
            }
            return try Responses.json(try context.requireIndex().related(try RelatedController.request(sources[0], params)))
        }
        return routes
    }

    /// The request the parameters ask for, in one spelling: `exclude` sorted and without repeats.
    static func request(_ source: RelatedRequest.Source, _ params: Params) throws -> RelatedRequest {
        RelatedRequest(source, limit: try params.int("limit", default: 5, in: RelatedRequest.limitRange),
                       exclude: Set(params.strings("exclude")).sorted(),
                       sameCategory: try params.bool("sameCategory"), olderOnly: try params.bool("olderOnly"))
    }
}
