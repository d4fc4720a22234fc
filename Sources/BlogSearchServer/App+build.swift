import BlogSearch
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// How the service runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var cacheControl: String
    /// Origins allowed to call the API from a browser; `*` allows all. Empty: none.
    public var corsOrigins: [String]
    /// How often the indexes folder is checked for a new generation (SIGHUP checks at once).
    public var watchInterval: Duration
    /// Adds `GET /hello`, a hello-world route behind the same middleware: the benchmarks' baseline.
    public var helloRoute = false

    public init(host: String = "127.0.0.1", port: Int = 8080, cacheControl: String = "public, max-age=60",
                corsOrigins: [String] = [], watchInterval: Duration = .seconds(2)) {
        self.host = host
        self.port = port
        self.cacheControl = cacheControl
        self.corsOrigins = corsOrigins
        self.watchInterval = watchInterval
    }
}

/// The process-wide metrics registry: swift-metrics can be bootstrapped once per process.
public enum ServerMetrics {
    private static let bootstrapped = Mutex(false)
    public static let registry = PrometheusCollectorRegistry()

    static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}

/// The application: routes, middleware, and the server.
/// - Parameter onServerRunning: called with the bound port once the server listens (port 0 picks one).
/// - Parameter watch: follow the indexes folder for new generations (`IndexWatcher`); off in router tests.
public func buildApplication(_ configuration: ServerConfiguration, holder: IndexHolder, logger: Logger, watch: Bool = true,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = buildRouter(configuration, holder: holder)
    var services: [any Service] = []
    if watch {
        services.append(IndexWatcher(holder: holder, interval: configuration.watchInterval, logger: logger))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "blogsearch"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// Every route of the service, behind the error table, metrics, CORS and caching.
public func buildRouter(_ configuration: ServerConfiguration, holder: IndexHolder) -> Router<BasicRequestContext> {
    ServerMetrics.bootstrap()
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: CORSAllowlistMiddleware(origins: Set(configuration.corsOrigins)))
    router.add(middleware: CacheMiddleware(holder: holder, cacheControl: configuration.cacheControl))
    router.addRoutes(SearchController(holder: holder).endpoints)
    let cache = ResponseCache()
    router.addRoutes(RelatedController(holder: holder, cache: cache).endpoints)
    router.addRoutes(HealthController(holder: holder, registry: ServerMetrics.registry).endpoints)
    router.addRoutes(WidgetController(holder: holder, cache: cache).endpoints)
    router.addRoutes(DemoController(holder: holder).endpoints)
    if configuration.helloRoute {
        router.get("hello") { _, _ in "Hello, world!" }
    }
    // The API is read-only: every route answers other methods with 405 and `Allow: GET`.
    for path in ["/", "search", "posts/:slug", "posts/:slug/related", "related", "healthz", "metrics", "widget.js",
                 "widget/related/:slug", "assets/demo.css"] {
        for method: HTTPRequest.Method in [.post, .put, .delete, .patch] {
            router.on(RouterPath(path), method: method) { _, _ -> Response in
                throw APIError(.methodNotAllowed, "this route answers GET only")
            }
        }
    }
    return router
}
