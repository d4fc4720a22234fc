/// Errors of the read path. `.invalidParameter` is the user's input; the others mean the index is unusable.
public enum SearchError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A request parameter is out of range or malformed; `name` is the parameter as the user wrote it.
    case invalidParameter(name: String, message: String)
    case postNotFound(slug: String, suggestions: [String])
    case urlNotFound(url: String, suggestions: [String])
    case internalFailure(String)
    /// SQLite found the generation file damaged while answering (`SQLITE_CORRUPT`, `SQLITE_NOTADB`): the file
    /// changed after it was verified. The index is unusable, not the request.
    case indexCorrupt(path: String, reason: String)

    /// `error` as it reaches the caller: a `SearchError` as it is, anything else an internal failure.
    static func wrapping(_ error: any Error) -> SearchError {
        (error as? SearchError) ?? .internalFailure("\(error)")
    }

    public var description: String {
        switch self {
        case .invalidParameter(let name, let message):
            return "invalid \(name): \(message)"
        case .postNotFound(let slug, let suggestions):
            return "no post with slug '\(slug)'" + (suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?")
        case .urlNotFound(let url, let suggestions):
            return "no post with URL '\(url)'" + (suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?")
        case .internalFailure(let message):
            return "search failed: \(message)"
        case .indexCorrupt(let path, let reason):
            return "\(path) is damaged (\(reason)): rebuild it with `blogsearch index --full` or roll back with `blogsearch rollback`"
        }
    }
}
