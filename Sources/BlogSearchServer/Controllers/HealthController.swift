import BlogSearch
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// `GET /healthz` and `GET /metrics`.
struct HealthController {
    typealias Context = BlogSearchRequestContext
    let holder: IndexHolder
    let registry: PrometheusCollectorRegistry

    struct Health: Codable {
        var status: String
        var generation: Int?
        var posts: Int?
        var builtAt: String?
        var indexAgeSeconds: Double?
        /// Why the newest published generation is not served, when it is not.
        var reason: String?
    }

    var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("healthz") { _, _ in
            let status = holder.status
            guard let index = status.index else {
                var response = try Responses.json(Health(status: "unavailable", reason: status.degraded))
                response.status = .serviceUnavailable
                return response
            }
            // Degraded still answers 200: the previous generation is serving, only the newest is refused.
            return try Responses.json(Health(status: status.degraded == nil ? "ok" : "degraded", generation: index.generation.number,
                                             posts: index.postCount, builtAt: index.manifest.builtAt,
                                             indexAgeSeconds: HealthController.age(index), reason: status.degraded))
        }
        routes.get("metrics") { _, context in
            if let index = context.index {
                Gauge(label: "blogsearch_index_generation").record(index.generation.number)
                Gauge(label: "blogsearch_index_posts").record(index.postCount)
                Gauge(label: "blogsearch_index_age_seconds").record(HealthController.age(index) ?? 0)
            }
            return Responses.text(registry.emitToString(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        return routes
    }

    static func age(_ index: SearchIndex) -> Double? {
        ISO8601DateFormatter().date(from: index.manifest.builtAt).map { Date().timeIntervalSince($0).rounded() }
    }
}
