import Hummingbird

/// Takes the served generation once per request and puts it in the context; everything after it (the
/// `ETag`, the response cache, the controllers) uses that one, never `IndexHolder` again.
struct IndexMiddleware: RouterMiddleware {
    typealias Context = BlogSearchRequestContext
    let holder: IndexHolder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.index = try? holder.current()
        return try await next(request, context)
    }
}
