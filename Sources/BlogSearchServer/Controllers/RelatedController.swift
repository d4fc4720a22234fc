import BlogSearch
import Hummingbird

/// `GET /posts/{slug}/related?limit=&exclude=&sameCategory=&olderOnly=` and `GET /related?url=…` / `?text=…`
struct RelatedController<Context: RequestContext> {
    let holder: IndexHolder
    let cache: ResponseCache

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("posts/:slug/related") { request, context in
            let slug = try context.parameters.require("slug")
            let index = try holder.current()
            return try cache.response(request.uri.description, generation: index.generation.number) {
                (try Responses.jsonBuffer(try related(.slug(slug), request, index)), Responses.jsonType)
            }
        }
        routes.get("related") { request, _ in
            let params = Params(request)
            let sources: [RelatedRequest.Source] = [params.string("url").map { .url($0) }, params.string("text").map { .text($0) }]
                .compactMap { $0 }
            guard sources.count == 1 else {
                throw APIError(.invalidParameter, "give exactly one of url or text, e.g. /related?url=/posts/my-post/")
            }
            return try Responses.json(try related(sources[0], request, try holder.current()))
        }
        return routes
    }

    func related(_ source: RelatedRequest.Source, _ request: Request, _ index: SearchIndex) throws -> RelatedResponse {
        let params = Params(request)
        let relatedRequest = RelatedRequest(source, limit: try params.int("limit", default: 5), exclude: params.strings("exclude"),
                                            sameCategory: try params.bool("sameCategory"), olderOnly: try params.bool("olderOnly"))
        return try index.related(relatedRequest)
    }
}
