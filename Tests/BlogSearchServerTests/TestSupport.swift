import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

extension Fixtures {
    /// Indexes the fixture blog (five posts, three categories, comments, a `<script>` title) into `dir/indexes`.
    static func holder(_ dir: TemporaryDirectory) throws -> IndexHolder {
        try buildBlog(into: dir)
        return try IndexHolder(directory: dir.url("indexes"), readers: 2)
    }

    static func app(_ holder: IndexHolder, _ configuration: ServerConfiguration = ServerConfiguration(port: 0)) -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return buildApplication(configuration, holder: holder, logger: logger)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// The `error.code` of an error body.
    var errorCode: String? {
        ((try? json())?["error"] as? [String: Any])?["code"] as? String
    }
}
