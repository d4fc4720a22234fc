import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Slow and idle clients cannot take the server down: connections are capped, a connection that does not
/// send a request head in time is closed, so is one that stays idle, and request bodies are bounded.
@Suite("Connection limits", .serialized)
struct ConnectionLimitTests {
    /// A blocking TCP client socket to 127.0.0.1 with a receive timeout.
    final class RawSocket: @unchecked Sendable {
        let fd: Int32

        init(port: Int, receiveTimeout: Double = 20) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(fd)
                throw POSIXError(.init(rawValue: errno) ?? .EIO)
            }
            var timeout = timeval(tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout - receiveTimeout.rounded(.down)) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// Sends all of `bytes`; false when the server closed the connection first.
        @discardableResult
        func send(_ bytes: [UInt8]) -> Bool {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return false }
                sent += n
            }
            return true
        }

        /// `readsToEnd()` on a thread of its own: a blocking read must not hold one of the few threads of Swift's
        /// concurrency pool (2 on a 2-core machine), which the server and the other tests need.
        func readsToEndOffPool() async -> (closed: Bool, text: String) {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: self.readsToEnd()) }
            }
        }

        /// Reads until the server closes the connection (true) or the receive timeout passes (false).
        func readsToEnd() -> (closed: Bool, text: String) {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { received += buffer[..<n]; continue }
                let closed = n == 0 || errno == ECONNRESET
                return (closed, String(decoding: received, as: UTF8.self))
            }
        }
    }

    /// Runs the server on a free port with small limits while `body` runs. Not `test(.live)`: HummingbirdTesting
    /// rebuilds the configuration for port 0 and drops its connection limit.
    static func serve(_ holder: IndexHolder, maxConnections: Int = 1_000, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        var configuration = ServerConfiguration(port: 0)
        configuration.maxConnections = maxConnections
        configuration.headerTimeout = .milliseconds(500)
        configuration.idleTimeout = .milliseconds(1_500)
        configuration.maxBodyBytes = 64 << 10
        var logger = Logger(label: "test")
        logger.logLevel = .critical  // cancelling the server at the end logs an error
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(configuration, holder: holder, logger: logger, watch: false) { port in portSink.yield(port) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            defer { group.cancelAll() }
            try await body(port)
        }
    }

    static func get(_ url: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test("more idle sockets than the cap: /healthz still answers once the header timeout frees a slot")
    func idleSocketsOverTheCap() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        try await withDeadline(seconds: Deadline.hang) {
            try await Self.serve(holder, maxConnections: 8) { port in
                let idle = try (0..<24).map { _ in try RawSocket(port: port) }
                try await Task.sleep(for: .milliseconds(100))
                let start = ContinuousClock.now
                #expect(try await Self.get("http://127.0.0.1:\(port)/healthz") == 200)
                let waited = ContinuousClock.now - start
                // The cap held: the request waited for idle connections to be cut (0.5 s each round) …
                #expect(waited >= .milliseconds(400))
                // … and did not wait forever.
                #expect(waited < .seconds(45))  // generous: a loaded 2-core machine stretches every round
                // Every idle socket was closed by the server.
                let closed = await withTaskGroup(of: Bool.self) { group in
                    for socket in idle { group.addTask { await socket.readsToEndOffPool().closed } }
                    return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(closed == idle.count)
            }
        }
    }

    @Test("a request head sent a byte at a time is cut at the header timeout; an idle keep-alive at the idle timeout")
    func slowHeadAndIdleKeepAlive() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        try await withDeadline(seconds: Deadline.hang) {
            try await Self.serve(holder) { port in
                let slow = try RawSocket(port: port)
                slow.send(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n".utf8))  // the head never ends
                let start = ContinuousClock.now
                let slowEnd = await slow.readsToEndOffPool()
                #expect(slowEnd.closed)
                #expect(slowEnd.text.isEmpty)
                #expect(ContinuousClock.now - start < .seconds(10))  // 0.5 s header timeout; generous for a loaded machine

                let keepAlive = try RawSocket(port: port)
                keepAlive.send(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                let kept = await keepAlive.readsToEndOffPool()
                #expect(kept.closed)
                #expect(kept.text.hasPrefix("HTTP/1.1 200"))
            }
        }
    }

    @Test("a request body over the limit closes the connection instead of being read to its end")
    func bodyLimit() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        try await withDeadline(seconds: Deadline.hang) {
            try await Self.serve(holder) { port in
                let socket = try RawSocket(port: port, receiveTimeout: 4)
                socket.send(Array("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n".utf8))
                let chunk = [UInt8](repeating: 0x61, count: 16_384)
                var sent = 0
                while sent < 32 << 20, socket.send(chunk) { sent += chunk.count }
                #expect(sent < 32 << 20, "the server read \(sent) bytes of body")
                #expect(await socket.readsToEndOffPool().closed)
            }
        }
    }
}
