/// Errors of the store: the `indexes/` folder and the generation files in it — finding, opening, verifying and
/// publishing them. The build (`IndexError`) and the read path (`SearchError`, the server) pass them on.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// No generation has been published in the folder yet.
    case noIndex(directory: String)
    /// The generation was written by another version of blogsearch.
    case formatVersion(path: String, found: Int, expected: Int)
    /// The generation file does not open or does not verify.
    case corrupt(path: String, reason: String)
    /// A file or folder of the index could not be read for a reason other than its content (the system's
    /// error text: too many open files, permission denied…); nothing is known about the index itself.
    case unreadable(path: String, reason: String)
    /// Writing to the folder failed (creating it, publishing, sealing, replacing `CURRENT`, syncing); what was
    /// published before stays.
    case writeFailed(directory: String, reason: String)

    public var description: String {
        switch self {
        case .noIndex(let directory):
            return "no index in \(directory): build one with `blogsearch index --corpus <folder> --indexes \(directory)`"
        case .formatVersion(let path, let found, let expected):
            return "\(path) has index format \(found), this blogsearch reads format \(expected): rebuild it with `blogsearch index`"
        case .corrupt(let path, let reason):
            return "\(path) is not a usable blogsearch index: \(reason)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .writeFailed(let directory, let reason):
            return "cannot write in \(directory), nothing new was published and the previous index stays: \(reason)"
        }
    }
}
