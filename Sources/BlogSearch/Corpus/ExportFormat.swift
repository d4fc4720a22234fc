import Foundation

/// The exports, feeds and pages a corpus file may hold, recognised by content (the start of the file), not by name.
enum ExportFormat: Equatable {
    case wordPress, disqus, feed, ghost
    /// An HTML page, as a static site generator writes them (read by `BuiltSiteReader`, which needs the site's root).
    case htmlPage

    /// How many bytes are looked at: enough for an XML declaration, comments, and the root's namespaces.
    static let sniffLength = 4096

    /// Reads the file at `path` in this format.
    func read(path: String, includePages: Bool) -> ImportedFile {
        switch self {
        case .wordPress: return WXRReader.read(path: path, includePages: includePages)
        case .disqus: return DisqusReader.read(path: path)
        case .feed: return FeedReader.read(path: path)
        case .ghost: return GhostReader.read(path: path)
        case .htmlPage: return BuiltSiteReader.read(path: path, siteRoot: (path as NSString).deletingLastPathComponent).file
        }
    }

    /// The format of the file at `path`, or nil for anything else (images, stylesheets, unknown XML).
    static func detect(path: String) -> ExportFormat? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: sniffLength), !data.isEmpty else { return nil }
        return detect(prefix: String(decoding: data, as: UTF8.self))
    }

    static func detect(prefix: String) -> ExportFormat? {
        let start = prefix.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if start.hasPrefix("{") {
            // Ghost: `{"db":[{"meta":{"exported_on":…` (before 1.0: `{"meta":{"exported_on":…},"data":…`).
            return start.contains("\"exported_on\"") && (start.contains("\"db\"") || start.contains("\"data\"")) ? .ghost : nil
        }
        if isHTML(start) { return .htmlPage }
        guard let root = rootElement(prefix) else { return nil }
        switch root.name {
        case "rss":
            return root.tag.contains("wordpress.org/export/") || prefix.contains("<wp:wxr_version>") ? .wordPress : .feed
        case "feed": return root.tag.contains("http://www.w3.org/2005/Atom") ? .feed : nil
        case "disqus": return .disqus
        default: return nil
        }
    }

    /// An HTML document: `<!DOCTYPE html`, or a first element `<html>` (past comments), in any case.
    private static func isHTML(_ start: Substring) -> Bool {
        var rest = start
        while rest.hasPrefix("<!--"), let end = rest.range(of: "-->") { rest = rest[end.upperBound...].drop { $0.isWhitespace } }
        if rest.prefix(14).lowercased() == "<!doctype html" { return true }
        guard let root = rootElement(String(start)) else { return false }
        return root.name.lowercased() == "html"
    }

    /// The first element's name and its whole start tag, past the XML declaration, comments, processing
    /// instructions and a DOCTYPE.
    private static func rootElement(_ text: String) -> (name: String, tag: Substring)? {
        var rest = Substring(text)
        if rest.hasPrefix("\u{FEFF}") { rest = rest.dropFirst() }
        while true {
            rest = rest.drop { $0.isWhitespace }
            guard rest.hasPrefix("<") else { return nil }
            if rest.hasPrefix("<?") || rest.hasPrefix("<!") {
                let subset = rest.hasPrefix("<!DOCTYPE") && (rest.firstIndex(of: "[").map { $0 < (rest.firstIndex(of: ">") ?? rest.endIndex) } ?? false)
                let closer = rest.hasPrefix("<?") ? "?>" : rest.hasPrefix("<!--") ? "-->" : subset ? "]>" : ">"
                guard let end = rest.range(of: closer) else { return nil }
                rest = rest[end.upperBound...]
                continue
            }
            let name = rest.dropFirst().prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
            let tagEnd = rest.firstIndex(of: ">") ?? rest.endIndex
            return (String(name), rest[..<tagEnd])
        }
    }
}
