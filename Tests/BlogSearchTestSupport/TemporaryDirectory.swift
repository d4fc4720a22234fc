import Foundation

/// A temporary folder, removed when the value is released.
package final class TemporaryDirectory: Sendable {
    package let path: String

    package init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("blogsearch-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    package func url(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    @discardableResult
    package func write(_ relative: String, _ text: String) -> String {
        write(relative, data: Data(text.utf8))
    }

    @discardableResult
    package func write(_ relative: String, bytes: [UInt8]) -> String {
        write(relative, data: Data(bytes))
    }

    /// Writes `data` at `relative`, creating the folders on the way.
    private func write(_ relative: String, data: Data) -> String {
        let file = url(relative)
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: file), options: .atomic)
        return file
    }
}
