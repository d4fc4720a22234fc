import Foundation

/// Reading corpus files as UTF-8 text, with the line of the first bad byte when they are not.
enum TextFile {
    enum Failure: Error {
        case unreadable(String)
        case invalidUTF8(line: Int)
    }

    static func read(_ url: URL) -> Result<String, Failure> {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure(.unreadable(FileErrorText.reason(error, path: url.path)))
        }
        return decode(data)
    }

    static func decode(_ data: Data) -> Result<String, Failure> {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }   // byte-order mark
        if let text = String(data: bytes, encoding: .utf8) {
            // Scanning the bytes first is far cheaper than Foundation's replace on a large file with no CR.
            let hasCR = bytes.withUnsafeBytes { $0.isEmpty ? false : memchr($0.baseAddress!, 0x0D, $0.count) != nil }
            return .success(hasCR ? text.replacingOccurrences(of: "\r\n", with: "\n") : text)
        }
        // Find the first line that does not decode, for the message.
        var line = 1
        for chunk in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(data: Data(chunk), encoding: .utf8) == nil { return .failure(.invalidUTF8(line: line)) }
            line += 1
        }
        return .failure(.invalidUTF8(line: 1))
    }

    /// The problem to report for a file that could not be read as text.
    static func problem(_ failure: Failure, path: String) -> CorpusProblem {
        switch failure {
        case .unreadable(let reason):
            return CorpusProblem(SourceLocation(path: path), .skipped, "cannot read the file: \(reason)")
        case .invalidUTF8(let line):
            return CorpusProblem(SourceLocation(path: path, line: line), .skipped, "not valid UTF-8 text")
        }
    }
}
