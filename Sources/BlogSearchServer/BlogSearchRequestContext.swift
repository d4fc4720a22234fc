import BlogSearch
import Hummingbird

/// The context of one request: Hummingbird's core context plus the generation the request is answered from.
/// `IndexMiddleware` takes the served index once, before the cache and the controllers, so the `ETag`, the
/// response cache and the body of one response always come from the same generation, even across a swap.
public struct BlogSearchRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The generation this request uses; nil when none is served.
    public var index: SearchIndex?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The API reads no request bodies: none is ever collected.
    public var maxUploadSize: Int { 0 }

    /// The generation this request uses.
    /// - Throws: `APIError.indexUnavailable` when none is served.
    public func requireIndex() throws -> SearchIndex {
        guard let index else { throw APIError(.indexUnavailable, "no index is being served") }
        return index
    }
}
