/// WordPress post content → the text a reader sees: Gutenberg block comments (`<!-- wp:paragraph -->`) and
/// shortcodes (`[caption]`, `[gallery]`, `[embed]…[/embed]`) removed before the HTML is reduced by `PlainText`.
/// A caption's words stay (readers see them); what an embed or a media shortcode wraps (a URL) does not.
/// Only the shortcodes WordPress and its common plugins register are touched: `[sic]` or `[1]` stay text.
enum WordPressText {
    static func plainText(_ content: String) -> String {
        PlainText.fromHTML(withoutShortcodes(withoutHTMLComments(content)))
    }

    /// Shortcodes whose enclosed content is shown as text.
    private static let textShortcodes: Set<String> = [
        "caption", "wp_caption", "code", "sourcecode", "source", "quote", "pullquote", "spoiler", "column", "columns",
    ]
    /// Shortcodes replaced by media or a widget: the tag and whatever it encloses are dropped.
    private static let mediaShortcodes: Set<String> = [
        "embed", "gallery", "audio", "video", "playlist", "youtube", "vimeo", "soundcloud", "tweet", "twitter",
        "instagram", "googlemaps", "contact-form", "contact-field", "contact-form-7", "wpforms", "slideshow",
        "recipe", "polldaddy", "wpvideo",
    ]

    /// `<!-- … -->` removed (Gutenberg's block delimiters carry JSON that may hold `>`).
    static func withoutHTMLComments(_ text: String) -> String {
        guard text.contains("<!--") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            out += " "
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    static func withoutShortcodes(_ text: String) -> String {
        guard text.contains("[") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            out += rest[..<open]
            guard let (name, closing, end) = shortcodeTag(rest[open...]) else {
                out.append("[")
                rest = rest[rest.index(after: open)...]
                continue
            }
            rest = rest[end...]
            if !closing && mediaShortcodes.contains(name), let close = rest.range(of: "[/\(name)]") {
                rest = rest[close.upperBound...]   // what the shortcode encloses is not text
            }
            out += " "
        }
        return out + rest
    }

    /// A known shortcode tag at the start of `s`: its name, whether it closes, and where it ends.
    private static func shortcodeTag(_ s: Substring) -> (String, Bool, Substring.Index)? {
        var i = s.index(after: s.startIndex)
        let closing = i < s.endIndex && s[i] == "/"
        if closing { i = s.index(after: i) }
        var name = ""
        while i < s.endIndex, s[i].isLetter || s[i].isNumber || s[i] == "_" || s[i] == "-" {
            name.append(s[i])
            i = s.index(after: i)
        }
        let lower = name.lowercased()
        guard textShortcodes.contains(lower) || mediaShortcodes.contains(lower), i < s.endIndex,
              s[i] == "]" || s[i] == " " || s[i] == "/" else { return nil }
        var quote: Character? = nil
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "]" {
                return (lower, closing, s.index(after: i))
            } else if c == "[" || c == "\n" && closing {
                return nil
            }
            i = s.index(after: i)
        }
        return nil
    }
}
