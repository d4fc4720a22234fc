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
    /// Writing the new generation failed; the previous one stays published.
    case buildFailed(directory: String, reason: String)

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
        case .buildFailed(let directory, let reason):
            return "index build failed, nothing was published in \(directory) and the previous index stays: \(reason)"
        }
    }
}
