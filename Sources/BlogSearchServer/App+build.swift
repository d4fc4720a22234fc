import BlogSearch
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
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
    /// The most connections held at once; more wait in the listen backlog. Keep it below the descriptor
    /// limit (`DescriptorLimit.maxConnections`), or `accept` fails with "too many open files".
    public var maxConnections = 1_024
    /// A new connection that has not sent a complete request head by then is closed.
    public var headerTimeout: Duration = .seconds(10)
    /// A connection with no request for this long (an idle keep-alive, or a request head that never
    /// completes) is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// A request body longer than this closes the connection: the API reads none.
    public var maxBodyBytes = 64 << 10
    /// The bound of the response cache of the sidebar routes (keys and bodies).
    public var cacheBytes = 64 << 20
    /// Where reader searches are recorded (`SearchRecorder`); nil records none, only counts them (`--no-analytics`).
    public var analytics: SearchRecorder.Settings?

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
/// - Parameter extraRoutes: routes of the caller's, behind the same middleware (the benchmark harness adds its
///   hello-world baseline this way).
public func buildApplication(_ configuration: ServerConfiguration, holder: IndexHolder, logger: Logger, watch: Bool = true,
                             extraRoutes: RouteCollection<BlogSearchRequestContext>? = nil,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let recorder = SearchRecorder(configuration.analytics, logger: logger)
    let router = buildRouter(configuration, holder: holder, recorder: recorder, extraRoutes: extraRoutes)
    var services: [any Service] = []
    if configuration.analytics != nil {
        services.append(recorder)
    }
    if watch {
        services.append(IndexWatcher(holder: holder, interval: configuration.watchInterval, logger: logger))
    }
    let headerTimeout = TimeAmount(configuration.headerTimeout)
    let maxBodyBytes = configuration.maxBodyBytes
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [ConnectionLimitsHandler(headerTimeout: headerTimeout, maxBodyBytes: maxBodyBytes)],
        idleTimeout: TimeAmount(configuration.idleTimeout))
    return Application(
        router: router,
        server: .http1(configuration: http1),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "blogsearch",
                             availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// Every route of the service, behind the error table, metrics, CORS, the method check, the request's
/// generation and caching. HEAD is answered from each GET route (same headers, no body).
/// - Parameter recorder: counts and records the searches; by default they are only counted (the recorder's
///   service, which writes the analytics file, runs in `buildApplication`).
/// - Parameter extraRoutes: routes of the caller's, added last, behind the same middleware.
public func buildRouter(_ configuration: ServerConfiguration, holder: IndexHolder, recorder: SearchRecorder? = nil,
                        extraRoutes: RouteCollection<BlogSearchRequestContext>? = nil) -> Router<BlogSearchRequestContext> {
    ServerMetrics.bootstrap()
    let router = Router(context: BlogSearchRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: CORSAllowlistMiddleware(origins: Set(configuration.corsOrigins)))
    router.add(middleware: MethodMiddleware())
    router.add(middleware: IndexMiddleware(holder: holder))
    router.add(middleware: CacheMiddleware(cacheControl: configuration.cacheControl))
    let recorder = recorder ?? SearchRecorder(nil, logger: Logger(label: "blogsearch.server"))
    router.addRoutes(SearchController(recorder: recorder).endpoints)
    router.addRoutes(SuggestController().endpoints)
    let cache = ResponseCache(capacityBytes: configuration.cacheBytes)
    router.addRoutes(RelatedController(cache: cache).endpoints)
    router.addRoutes(HealthController(holder: holder, registry: ServerMetrics.registry).endpoints)
    router.addRoutes(WidgetController(cache: cache).endpoints)
    router.addRoutes(DemoController(recorder: recorder).endpoints)
    if let extraRoutes {
        router.addRoutes(extraRoutes)
    }
    return router
}
