import BlogSearch
import Hummingbird

/// `GET /posts/{slug}/related?limit=&exclude=&sameCategory=&olderOnly=` and `GET /related?url=…` / `?text=…`
struct RelatedController<Context: RequestContext> {
    let holder: IndexHolder

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("posts/:slug/related") { request, context in
            let slug = try context.parameters.require("slug")
            return try Responses.json(try related(.slug(slug), request))
        }
        routes.get("related") { request, _ in
            let params = Params(request)
            let sources: [RelatedRequest.Source] = [params.string("url").map { .url($0) }, params.string("text").map { .text($0) }]
                .compactMap { $0 }
            guard sources.count == 1 else {
                throw APIError(.invalidParameter, "give exactly one of url or text, e.g. /related?url=/posts/my-post/")
            }
            return try Responses.json(try related(sources[0], request))
        }
        return routes
    }

    func related(_ source: RelatedRequest.Source, _ request: Request) throws -> RelatedResponse {
        let params = Params(request)
        let relatedRequest = RelatedRequest(source, limit: try params.int("limit", default: 5), exclude: params.strings("exclude"),
                                            sameCategory: try params.bool("sameCategory"), olderOnly: try params.bool("olderOnly"))
        return try holder.current().related(relatedRequest)
    }
}
