import BlogSearch
import BlogSearchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A temporary folder, removed when the value is released.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("blogsearch-server-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func url(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }
}

enum Fixtures {
    static var blog: String { Bundle.module.resourcePath! + "/Fixtures/blog" }

    /// Indexes the fixture blog (five posts, three categories, comments, a `<script>` title) into `dir/indexes`.
    static func holder(_ dir: TemporaryDirectory) throws -> IndexHolder {
        let corpus = try CorpusReader().read(at: blog)
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: blog)
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
