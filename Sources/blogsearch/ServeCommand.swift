import ArgumentParser
import BlogSearch
import BlogSearchServer
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve search, related posts, the sidebar widget and a demo site over HTTP.",
        discussion: """
            With no published index, the corpus is indexed first. SIGTERM or SIGINT stop the server \
            gracefully: requests in flight finish. Routes: /search, /posts/{slug}/related, /related, \
            /widget/related/{slug}, /widget.js, /healthz, /metrics, and the demo site at /. Each search is recorded \
            (normalised query, hits, correction, time; nothing about the reader) in analytics.sqlite beside the \
            generations, for `blogsearch analytics`, unless --no-analytics.
            """
    )

    @OptionGroup var options: IndexOptions

    @Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .long, help: ArgumentHelp("An origin allowed to call the API from browsers, e.g. https://blog.example (repeatable; * for any).", valueName: "origin"))
    var corsOrigin: [String] = []

    @Option(name: .long, help: "Cache-Control header of index-derived responses.")
    var cacheControl: String = "public, max-age=60"

    @Option(name: .long, help: "Read-only SQLite connections serving requests.")
    var readers: Int = 4

    @Option(name: .long, help: "Seconds between checks for a new generation (SIGHUP checks at once).")
    var watchInterval: Double = 2

    @Option(name: .long, help: ArgumentHelp("Connections held at once; more wait to be accepted (default: the open-file limit less a reserve).", valueName: "n"))
    var maxConnections: Int?

    @Option(name: .long, help: ArgumentHelp("Seconds a new connection has to send a complete request head.", valueName: "seconds"))
    var headerTimeout: Double = 10

    @Option(name: .long, help: ArgumentHelp("Seconds a connection may stay without a request before it is closed.", valueName: "seconds"))
    var idleTimeout: Double = 30

    @Option(name: .long, help: ArgumentHelp("Bytes of responses the sidebar cache may hold.", valueName: "bytes"))
    var cacheBytes: Int = 64 << 20

    @Flag(name: .long, help: "Record no searches (`blogsearch analytics` reads them); /metrics still counts them.")
    var noAnalytics = false

    @Option(name: .long, help: ArgumentHelp("The file searches are recorded in (default: analytics.sqlite in --indexes).", valueName: "path"))
    var analyticsFile: String?

    @Option(name: .long, help: ArgumentHelp("Searches the analytics file keeps; the oldest are dropped beyond it.", valueName: "n"))
    var analyticsMaxRows: Int = AnalyticsStore.maxRowsDefault

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...64).contains(readers) else { throw ValidationError("--readers must be between 1 and 64") }
        guard watchInterval >= 0.05 else { throw ValidationError("--watch-interval must be at least 0.05 seconds") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard (0.1...3600).contains(headerTimeout) else { throw ValidationError("--header-timeout must be between 0.1 and 3600 seconds") }
        guard (0.1...86400).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 0.1 and 86400 seconds") }
        guard cacheBytes >= 0 else { throw ValidationError("--cache-bytes must be 0 (no cache) or more") }
        guard analyticsMaxRows >= 1 else { throw ValidationError("--analytics-max-rows must be at least 1") }
        if noAnalytics, analyticsFile != nil { throw ValidationError("--no-analytics records nothing: drop --analytics-file") }
        for origin in corsOrigin where origin != "*" {
            guard let url = URL(string: origin), url.scheme != nil, url.host != nil, url.path.isEmpty else {
                throw ValidationError("--cors-origin '\(origin)' is not an origin like https://blog.example (no path)")
            }
        }
    }

    func run() async throws {
        try ensureIndex(options)
        let holder: IndexHolder
        do {
            holder = try IndexHolder(directory: options.indexes, readers: readers)
        } catch {
            printError("\(error)")
            throw ExitCodes.failure
        }
        let index = try holder.current()
        var configuration = ServerConfiguration(host: host, port: port, cacheControl: cacheControl, corsOrigins: corsOrigin,
                                                watchInterval: .milliseconds(Int(watchInterval * 1000)))
        configuration.maxConnections = try connectionCap()
        configuration.headerTimeout = .milliseconds(Int(headerTimeout * 1000))
        configuration.idleTimeout = .milliseconds(Int(idleTimeout * 1000))
        configuration.cacheBytes = cacheBytes
        if !noAnalytics {
            configuration.analytics = SearchRecorder.Settings(file: analyticsFile ?? AnalyticsStore.path(inIndexes: options.indexes))
            configuration.analytics?.maxRows = analyticsMaxRows
        }
        var logger = Logger(label: "blogsearch.server")
        logger.logLevel = ProcessInfo.processInfo.environment["BLOGSEARCH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let host = self.host
        let maxConnections = configuration.maxConnections
        let recording = configuration.analytics.map { "searches recorded in \($0.file)" } ?? "searches not recorded (--no-analytics)"
        let app = buildApplication(configuration, holder: holder, logger: logger) { port in
            printErr("blogsearch: serving \(index.generation.fileName) (\(index.postCount) posts) at http://\(host):\(port)/, "
                     + "up to \(maxConnections) connections; \(recording)")
        }
        do {
            try await app.runService()
        } catch {
            let text = "\(error)"
            if text.contains("Address already in use") {
                printError("cannot listen on \(host):\(port): the address is already in use (another server? choose another --port)")
            } else if text.contains("Permission denied") {
                printError("cannot listen on \(host):\(port): permission denied (ports below 1024 need privileges)")
            } else {
                printError("the server stopped: \(text)")
            }
            throw ExitCodes.failure
        }
    }

    /// `--max-connections`, or the most the open-file limit allows (raised to the hard limit first), keeping a
    /// reserve of descriptors for the index files so that a flood of connections never makes them fail with
    /// "too many open files".
    private func connectionCap() throws -> Int {
        let limit = DescriptorLimit.raise()
        let most = DescriptorLimit.maxConnections(limit: limit, readers: readers)
        guard let maxConnections else { return most }
        guard maxConnections <= most else {
            throw ValidationError("--max-connections \(maxConnections) is more than the open-file limit of \(limit) allows: at most "
                                  + "\(most) (\(DescriptorLimit.reserve(readers: readers)) are kept for index files); raise LimitNOFILE or `ulimit -n`")
        }
        return maxConnections
    }
}
