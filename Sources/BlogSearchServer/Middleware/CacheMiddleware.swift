import Hummingbird

/// HTTP caching for everything derived from the index: an `ETag` made from the served generation (so it
/// changes exactly when the index does), a configurable `Cache-Control`, and `304 Not Modified` for a
/// matching `If-None-Match` — answered before any work is done. The generation is the request's own
/// (`BlogSearchRequestContext.index`), the one the body is made from.
struct CacheMiddleware: RouterMiddleware {
    typealias Context = BlogSearchRequestContext
    let cacheControl: String
    /// Paths that describe the server rather than the index.
    static var uncached: Set<String> { ["/healthz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, !CacheMiddleware.uncached.contains(request.uri.path),
              let index = context.index else {
            return try await next(request, context)
        }
        let etag = "\"g\(index.generation.number)-\(index.manifest.corpusDigest)-\(ServerInfo.assetVersion)\""
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == etag || tag == "*" || tag == "W/" + etag
        }) {
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: cacheControl])
        }
        var response = try await next(request, context)
        if response.status == .ok {
            response.headers[.eTag] = etag
            response.headers[.cacheControl] = cacheControl
        }
        return response
    }
}

enum ServerInfo {
    /// Part of every ETag, so that a new release's assets (widget.js, pages) are not served from old caches.
    static let assetVersion = "a2"
}
