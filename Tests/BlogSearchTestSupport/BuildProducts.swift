import Foundation

/// The built products (`.build/<triple>/debug`): this target's resource bundle is built there, beside the
/// `blogsearch` executable that `swift test` builds with the tests.
package enum BuildProducts {
    package static func path(_ name: String) -> String {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
