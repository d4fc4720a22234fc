import Hummingbird

/// Cross-origin access for the sites that embed the widget: an allowlist of origins, none by default,
/// `*` only when configured. Preflight requests are answered here.
struct CORSAllowlistMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>
    var allowsAll: Bool { origins.contains("*") }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], allowsAll || origins.contains(origin) else {
            return try await next(request, context)
        }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Accept, If-None-Match"
            response.headers[.accessControlMaxAge] = "86400"
        } else {
            response = try await next(request, context)
        }
        response.headers[.accessControlAllowOrigin] = allowsAll ? "*" : origin
        response.headers[.accessControlExposeHeaders] = "ETag"
        if !allowsAll { response.headers[.vary] = "Origin" }
        return response
    }
}
