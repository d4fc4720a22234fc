import Foundation

/// Fault injection for the tests that prove a crash or a full disk loses nothing. Set
/// `BLOGSEARCH_FAULT=pause:<point>` to stop the process at a point (the test then kills it with SIGKILL), or
/// `BLOGSEARCH_FAULT=fail:<point>` to fail there as a write error would (a full disk). Points: `reading`,
/// `writing` (half the posts written), `relating`, `verifying`, `publishing` (the generation linked, CURRENT
/// not yet replaced). Unset, this costs one dictionary lookup per point.
///
/// Debug builds only (the ones `swift test` runs): in a release build every point is empty, so no environment
/// variable can pause or fail a production build. `package`: the CLI calls it, nothing outside the package can.
package enum FaultInjection {
    package static func at(_ point: String, directory: String) throws(StoreError) {
        #if DEBUG
        guard let spec = ProcessInfo.processInfo.environment["BLOGSEARCH_FAULT"] else { return }
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[1] == point else { return }
        switch parts[0] {
        case "pause":
            FileHandle.standardError.write(Data("blogsearch: fault injection: paused at \(point)\n".utf8))
            sleep(3600)
        case "fail":
            throw .writeFailed(directory: directory, reason: "No space left on device (injected at \(point) by BLOGSEARCH_FAULT)")
        default:
            return
        }
        #endif
    }
}
