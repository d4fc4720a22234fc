import ArgumentParser
import BlogSearch
import BlogSearchServer
import Foundation
import Hummingbird
import Logging

/// `blogsearch serve` as it ships (the same application, routes and defaults), plus `GET /hello`: a hello-world
/// route behind the same middleware, the baseline the HTTP benchmarks divide every route's requests/s by.
struct BenchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve as `blogsearch serve` does, plus GET /hello (the HTTP benchmarks' baseline).",
        discussion: """
            Needs a published index in --indexes (build it with `blogsearch index`). Prints `serving … at \
            http://HOST:PORT/` on stderr once it listens; SIGTERM or SIGINT stop it.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Folder of published index generations.", valueName: "dir"))
    var indexes: String = "indexes"

    @Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .long, help: "Read-only SQLite connections serving requests.")
    var readers: Int = 4

    @Flag(name: .long, help: "Record no searches (as `blogsearch serve --no-analytics`).")
    var noAnalytics = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...64).contains(readers) else { throw ValidationError("--readers must be between 1 and 64") }
    }

    func run() async throws {
        let holder = try IndexHolder(directory: indexes, readers: readers)
        let index = try holder.current()
        var configuration = ServerConfiguration(host: host, port: port)
        configuration.maxConnections = DescriptorLimit.maxConnections(limit: DescriptorLimit.raise(), readers: readers)
        if !noAnalytics {
            configuration.analytics = SearchRecorder.Settings(file: AnalyticsStore.path(inIndexes: indexes))
        }
        let hello = RouteCollection(context: BlogSearchRequestContext.self)
        hello.get("hello") { _, _ in "Hello, world!" }
        var logger = Logger(label: "blogsearch.server")
        logger.logLevel = ProcessInfo.processInfo.environment["BLOGSEARCH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let host = self.host
        let app = buildApplication(configuration, holder: holder, logger: logger, extraRoutes: hello) { port in
            printErr("blogsearch-bench: serving \(index.generation.fileName) (\(index.postCount) posts) at http://\(host):\(port)/ with GET /hello")
        }
        try await app.runService()
    }
}
