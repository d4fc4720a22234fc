/// Something wrong in one corpus file. The build reports it and goes on without that file
/// (`.skipped`) or with the part that could be read (`.warning`).
public struct CorpusProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case skipped, warning }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(_ location: SourceLocation, _ severity: Severity, _ message: String) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// One line: control characters in the path and the message are escaped (`PrintableText`).
    public var description: String {
        "\(location): \(severity == .skipped ? "skipped: " : "warning: ")\(PrintableText.escaped(message))"
    }
}

/// Errors of the corpus layer that stop reading altogether (one bad file never does: see `CorpusProblem`).
public enum CorpusError: Error, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    case unsupportedFile(path: String)
    case pageNotRecognised(path: String, reason: String)

    public var description: String {
        switch escapingPath {
        case .notFound(let path):
            return "corpus not found: \(path) (give a folder of posts or a .jsonl file with --corpus)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unsupportedFile(let path):
            return "\(path): not a corpus file (expected a folder, a .jsonl file, a .md post or a scraped .txt page)"
        case .pageNotRecognised(let path, let reason):
            return "\(path): not a scraped post page: \(reason)"
        }
    }

    /// The same error with control characters in its path escaped, for a message of one line.
    private var escapingPath: CorpusError {
        switch self {
        case .notFound(let path): return .notFound(path: PrintableText.escaped(path))
        case .unreadable(let path, let reason): return .unreadable(path: PrintableText.escaped(path), reason: reason)
        case .unsupportedFile(let path): return .unsupportedFile(path: PrintableText.escaped(path))
        case .pageNotRecognised(let path, let reason): return .pageNotRecognised(path: PrintableText.escaped(path), reason: reason)
        }
    }
}
