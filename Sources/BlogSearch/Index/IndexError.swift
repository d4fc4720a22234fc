/// Errors of the build: reading what it needs, writing and checking a generation, the lock and the shrink guard.
/// Failures of the store underneath (opening, verifying, publishing generations) come as `.store`.
public enum IndexError: Error, Sendable, CustomStringConvertible {
    /// The store failed: no index, a damaged or unreadable generation, a write that did not publish.
    case store(StoreError)
    /// The corpus had no post that could be indexed; nothing was published.
    case emptyCorpus(path: String, skipped: Int)
    /// Writing the new generation failed; the previous one stays published.
    case buildFailed(directory: String, reason: String)
    /// Another build holds the folder's lock.
    case locked(path: String, holder: String)
    /// The new build would drop more posts than allowed; nothing was published.
    case shrinkRefused(previous: Int, new: Int, vanishing: [String], maxShrink: Double)

    public var description: String {
        switch self {
        case .store(let error):
            return error.description
        case .emptyCorpus(let path, let skipped):
            return "no post to index in \(path)" + (skipped > 0 ? " (\(skipped) file(s) skipped, see above)" : "")
                + "; nothing was published and the previous index stays"
        case .buildFailed(let directory, let reason):
            return "index build failed, nothing was published in \(directory) and the previous index stays: \(reason)"
        case .locked(let path, let holder):
            return "another index build is running (\(holder)); it holds \(path). Try again when it has finished"
        case .shrinkRefused(let previous, _, let vanishing, let maxShrink):
            let lost = vanishing.count
            let names = vanishing.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            return "refusing to publish: \(lost) of \(previous) posts (\(Int((Double(lost) / Double(max(previous, 1)) * 100).rounded()))%) would vanish, "
                + "more than the \(Int((maxShrink * 100).rounded()))% allowed, e.g. \(names)\(vanishing.count > 5 ? " and \(vanishing.count - 5) more" : ""). "
                + "Is the corpus folder complete? Use --allow-shrink if this is intended; the previous index stays"
        }
    }
}
