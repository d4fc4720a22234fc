import BlogSearch
import BlogSearchServer
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
        try await Fixtures.app(holder).test(.live) { client in
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
