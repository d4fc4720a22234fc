/// Errors of the index layer: building, publishing and opening generations.
public enum IndexError: Error, Sendable, CustomStringConvertible {
    /// No generation has been published in the folder yet.
    case noIndex(directory: String)
    /// The corpus had no post that could be indexed; nothing was published.
    case emptyCorpus(path: String, skipped: Int)
    /// The generation was written by another version of blogsearch.
    case formatVersion(path: String, found: Int, expected: Int)
    /// The generation file does not open or does not verify.
    case corrupt(path: String, reason: String)
    /// A file or folder of the index could not be read for a reason other than its content (the system's
    /// error text: too many open files, permission denied…); nothing is known about the index itself.
    case unreadable(path: String, reason: String)
    /// Writing the new generation failed; the previous one stays published.
    case buildFailed(directory: String, reason: String)
    /// Another build holds the folder's lock.
    case locked(path: String, holder: String)
    /// The new build would drop more posts than allowed; nothing was published.
    case shrinkRefused(previous: Int, new: Int, vanishing: [String], maxShrink: Double)

    public var description: String {
        switch self {
        case .noIndex(let directory):
            return "no index in \(directory): build one with `blogsearch index --corpus <folder> --indexes \(directory)`"
        case .emptyCorpus(let path, let skipped):
            return "no post to index in \(path)" + (skipped > 0 ? " (\(skipped) file(s) skipped, see above)" : "")
                + "; nothing was published and the previous index stays"
        case .formatVersion(let path, let found, let expected):
            return "\(path) has index format \(found), this blogsearch reads format \(expected): rebuild it with `blogsearch index`"
        case .corrupt(let path, let reason):
            return "\(path) is not a usable blogsearch index: \(reason)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
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
