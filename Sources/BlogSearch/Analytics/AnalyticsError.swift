/// Errors of the analytics file (`AnalyticsStore`): opening, writing and reading it. The server logs them and
/// keeps answering (analytics are lost, never a search); the `analytics` command prints them.
public enum AnalyticsError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file could not be opened or created (permissions, a missing folder, too many open files).
    case unopenable(path: String, reason: String)
    /// The file exists but is not a blogsearch analytics file (not SQLite, damaged, or another format).
    case notAnalytics(path: String, reason: String)
    /// Writing a batch failed (a full disk, a file locked by another process, a read-only folder); the batch is lost.
    case writeFailed(path: String, reason: String)
    /// Reading the file failed.
    case unreadable(path: String, reason: String)
    /// A bad period; `name` is the option as the user wrote it.
    case invalidPeriod(name: String, message: String)

    public var description: String {
        switch self {
        case .unopenable(let path, let reason):
            return "cannot open the analytics file \(path): \(reason)"
        case .notAnalytics(let path, let reason):
            return "\(path) is not a blogsearch analytics file (\(reason)): move it aside and a new one is started"
        case .writeFailed(let path, let reason):
            return "cannot record searches in \(path): \(reason)"
        case .unreadable(let path, let reason):
            return "cannot read the analytics file \(path): \(reason)"
        case .invalidPeriod(let name, let message):
            return "invalid \(name): \(message)"
        }
    }
}
