/// Which post URLs may become links in HTML the service writes. A post's `url` comes from front matter or a
/// scraped page, so it may be `javascript:…` or `data:…`: only http(s) and relative URLs are linked.
enum SafeLink {
    /// `url` when it is safe as an `href` (not yet HTML-escaped), nil otherwise.
    ///
    /// Reads the scheme as browsers do (WHATWG URL): tabs and newlines anywhere are dropped, and leading or
    /// trailing controls and spaces are trimmed, so `java\tscript:` and ` javascript:` are caught too.
    static func href(_ url: String) -> String? {
        let scalars = url.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let trimmed = scalars.drop { $0.value <= 0x20 }
        guard !trimmed.isEmpty else { return nil }
        // The scheme is what precedes the first ':' when no '/', '?', '#' or '\' comes before it.
        guard let end = trimmed.firstIndex(where: { ":/?#\\".unicodeScalars.contains($0) }), trimmed[end] == ":" else {
            return url  // relative: a path, a query or a fragment
        }
        let scheme = String(String.UnicodeScalarView(trimmed[..<end])).lowercased()
        return scheme == "http" || scheme == "https" ? url : nil
    }
}
