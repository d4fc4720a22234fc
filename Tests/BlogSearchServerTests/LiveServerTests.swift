import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The running server")
struct LiveServerTests {
    @Test("a real server on port 0 answers over TCP")
    func live() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        // Generous timeouts: on a loaded machine the test client may take seconds to send a request head, and
        // the default 10 s header timeout would close its connection (seen as "I/O on closed channel").
        var configuration = ServerConfiguration(port: 0)
        configuration.headerTimeout = .seconds(300)
        configuration.idleTimeout = .seconds(300)
        try await Fixtures.app(holder, configuration).test(.live) { client in
            try await client.execute(uri: "/posts/sla-basics/related", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("queue-management"))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
