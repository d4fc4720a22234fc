import BlogSearch
import Foundation

/// Human-readable output. Colour only when stdout is a terminal.
enum TextOutput {
    static func search(_ response: SearchResponse, color: Bool) -> String {
        var lines: [String] = []
        let took = String(format: "%.1f", response.tookMs)
        if let corrected = response.correctedQuery {
            lines.append("Showing results for \"\(corrected)\" — search instead for \"\(response.query)\" with --no-correct.")
        }
        if response.hits.isEmpty {
            lines.append("No posts match \"\(response.query)\" (\(took) ms).")
            if let hint = response.hint { lines.append("Hint: \(hint).") }
        } else {
            lines.append("\(response.total) post\(response.total == 1 ? "" : "s") match \"\(response.correctedQuery ?? response.query)\" (\(took) ms)")
        }
        for notice in response.notices { lines.append("Note: \(notice).") }
        if let suggestion = response.didYouMean { lines.append("Did you mean \"\(suggestion)\"?") }
        var rank = 0
        for hit in response.hits {
            rank += 1
            lines.append("")
            let title = color ? "\u{1B}[1m\(hit.title)\u{1B}[0m" : hit.title
            lines.append("\(rank). \(title)")
            var meta = [hit.date, hit.author, hit.url, hit.lang].compactMap { $0 }
            if !hit.categories.isEmpty { meta.append(hit.categories.joined(separator: ", ")) }
            if !hit.matchesAllTerms { meta.append("matches some words") }
            lines.append("   " + meta.joined(separator: " · "))
            if !hit.translations.isEmpty { lines.append("   " + alsoIn(hit.translations)) }
            lines.append("   " + plain(hit.snippet, color: color))
            if let comment = hit.comment, hit.matchedIn.contains("body") || hit.snippet != comment.snippet {
                lines.append("   comment by \(comment.author ?? "someone"): " + plain(comment.snippet, color: color))
            } else if let comment = hit.comment {
                lines.insert("   (in a comment by \(comment.author ?? "someone"))", at: lines.count - 1)
            }
        }
        if !response.facets.categories.isEmpty, response.hits.count > 0 {
            lines.append("")
            lines.append("Categories: " + response.facets.categories.prefix(8).map { "\($0.value) (\($0.count))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// `also in: es (my-post.es), ja (my-post.ja)`: the other versions of a post.
    static func alsoIn(_ translations: [PostTranslation]) -> String {
        "also in: " + translations.map { "\($0.lang ?? "?") (\($0.slug))" }.joined(separator: ", ")
    }

    /// A snippet as terminal text: its highlights bold yellow (or as they are, without colour).
    static func plain(_ snippet: HighlightedText, color: Bool) -> String {
        guard color else { return snippet.text }
        return snippet.pieces.map { $0.highlighted ? "\u{1B}[1;33m\($0.text)\u{1B}[0m" : String($0.text) }.joined()
    }
}

extension TextOutput {
    static func related(_ response: RelatedResponse, color: Bool) -> String {
        var lines: [String] = []
        let took = String(format: "%.1f", response.tookMs)
        let subject = response.slug.map { "'\($0)'" } ?? "the text"
        if response.related.isEmpty {
            return "No posts are related to \(subject) closely enough (\(took) ms)."
        }
        lines.append("Related to \(subject) (\(took) ms):")
        for (rank, item) in response.related.enumerated() {
            lines.append("")
            let title = color ? "\u{1B}[1m\(item.title)\u{1B}[0m" : item.title
            lines.append("\(rank + 1). \(title)  " + String(format: "%.3f", item.score))
            lines.append("   " + [item.date, item.url, item.lang].compactMap { $0 }.joined(separator: " · "))
            if !item.translations.isEmpty { lines.append("   " + alsoIn(item.translations)) }
            var because: [String] = []
            if !item.sharedTerms.isEmpty { because.append(item.sharedTerms.joined(separator: ", ")) }
            if !item.sharedTags.isEmpty { because.append("tags: " + item.sharedTags.joined(separator: ", ")) }
            if !item.sharedCategories.isEmpty { because.append("category: " + item.sharedCategories.joined(separator: ", ")) }
            if !because.isEmpty { lines.append("   because: " + because.joined(separator: "; ")) }
        }
        return lines.joined(separator: "\n")
    }
}
