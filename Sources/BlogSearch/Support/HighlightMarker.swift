/// U+E000 and U+E001 mark the start and end of a match in snippets (`blogsearch_snippet` in C, `CommentMatcher`),
/// turned into `<mark>` only after the text is HTML-escaped (`Snippet`). They must never come from the text
/// itself: every text is indexed without them.
enum HighlightMarker {
    static let start: Unicode.Scalar = "\u{E000}"
    static let end: Unicode.Scalar = "\u{E001}"

    static func isMarker(_ scalar: Unicode.Scalar) -> Bool { scalar == start || scalar == end }

    /// `text` without marker characters.
    static func removed(from text: String) -> String {
        // Both markers are EE 80 80/81 in UTF-8: a byte scan rules most texts out without decoding their scalars.
        guard text.utf8.contains(0xEE), text.unicodeScalars.contains(where: isMarker) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { !isMarker($0) })
        return String(scalars)
    }
}
