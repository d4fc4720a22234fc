import Hummingbird

/// The API is read-only: GET (and HEAD, which the router answers from each GET route) reach the routes;
/// every other method is refused with 405 and `Allow: GET, HEAD` before any work. CORS preflights from
/// allowed origins are answered earlier, by `CORSAllowlistMiddleware`.
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            throw APIError(.methodNotAllowed, "\(request.method.rawValue.prefix(20)) is not allowed: the API answers GET and HEAD only")
        }
        return try await next(request, context)
    }
}
