import Foundation

/// Reads a post page as scraped from a blog's HTML into text (see `shared/seeds/`):
///
/// ```
/// home about categories posts news          ← site navigation, up to the first blank line (dropped)
/// <title>
/// 17 February 2025                          ← the post date
/// <article paragraphs…>                     ← lines repeating the title (image captions) are dropped
/// Category: / <category>
/// Author: / <name> [/ <name> again]
/// Discussion / rate this article / 11 comments
/// <name> / <text…> / March 7, 2025 at 8:35 PM          ← a reader comment, newest first
/// <author> / <author> / <text…>                         ← the author's reply to the comment above (no date)
/// home categories posts about news / Copyright © …      ← footer (dropped)
/// ```
///
/// Every comment and every reply is kept, with who replied to whom. Comment ids are given oldest first:
/// `c1`, `c2`, …, and a reply to `c3` is `c3-r1`.
public enum ScrapedPageReader {
    public struct Page: Sendable {
        public var post: Post
        /// Things that did not fit the expected form but did not stop the import.
        public var warnings: [String]
    }

    public static func read(_ text: String, path: String) throws(CorpusError) -> Page {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        func fail(_ reason: String) -> CorpusError { .pageNotRecognised(path: path, reason: reason) }
        var warnings: [String] = []

        // Navigation: the first paragraph. Its words also recognise the footer.
        var i = 0
        while i < lines.count, lines[i].isEmpty { i += 1 }
        var navigationWords = Set<String>()
        while i < lines.count, !lines[i].isEmpty {
            navigationWords.formUnion(words(lines[i]))
            i += 1
        }
        func nextNonEmpty(_ from: Int) -> Int? {
            var j = from
            while j < lines.count, lines[j].isEmpty { j += 1 }
            return j < lines.count ? j : nil
        }
        guard let titleIndex = nextNonEmpty(i) else { throw fail("no title after the navigation lines") }
        let title = lines[titleIndex]
        guard let dateIndex = nextNonEmpty(titleIndex + 1), let date = DateText.parse(lines[dateIndex]) else {
            throw fail("no date line (like '17 February 2025') after the title '\(title)'")
        }
        guard let categoryIndex = lines[(dateIndex + 1)...].firstIndex(where: { isLabel($0, "category") || isLabel($0, "categories") })
            ?? lines[(dateIndex + 1)...].firstIndex(where: { isLabel($0, "author") }) else {
            throw fail("no 'Category:' or 'Author:' line after the article")
        }

        // The article, without repeated title lines (image captions on the source page).
        var paragraphs: [String] = []
        var current: [String] = []
        for line in lines[(dateIndex + 1)..<categoryIndex] {
            if line.isEmpty || line == title {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }

        // Category and author.
        var categories: [String] = []
        var author: String? = nil
        var j = categoryIndex
        var discussionIndex: Int? = nil
        while j < lines.count {
            if isLabel(lines[j], "category") || isLabel(lines[j], "categories") {
                if let v = value(after: j, lines) {
                    categories += v.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    j = v.index
                }
            } else if isLabel(lines[j], "author") {
                if let v = value(after: j, lines) {
                    author = v.text
                    j = v.index
                    if let k = nextNonEmpty(j + 1), lines[k] == v.text { j = k }   // avatar text repeats the name
                }
            } else if lines[j].lowercased() == "discussion" || lines[j].lowercased().hasSuffix("comments") || lines[j].lowercased().hasSuffix("comment") {
                discussionIndex = j
                break
            } else if !lines[j].isEmpty, isFooter(lines[j], navigationWords) {
                break
            }
            j += 1
        }

        // Comments.
        var comments: [Comment] = []
        var expected: Int? = nil
        if var k = discussionIndex {
            while k < lines.count {
                let lower = lines[k].lowercased()
                if lines[k].isEmpty || lower == "discussion" || lower == "rate this article" {
                    k += 1
                    continue
                }
                if let count = commentCount(lower) {
                    expected = count
                    k += 1
                    continue
                }
                break
            }
            comments = parseComments(lines, from: k, author: author, navigationWords: navigationWords, warnings: &warnings)
        }
        let readerComments = comments.filter { $0.replyTo == nil }.count
        if let expected, expected != readerComments {
            warnings.append("the page says \(expected) comments, \(readerComments) were found")
        }

        let slug = Slug.make(from: title)
        guard Slug.isValid(slug) else { throw fail("cannot make a slug from the title '\(title)'") }
        let post = Post(slug: slug, title: title, date: date.day, author: author, categories: categories,
                        body: paragraphs.joined(separator: "\n\n"), comments: comments,
                        source: SourceLocation(path: path, line: titleIndex + 1))
        return Page(post: post, warnings: warnings)
    }

    // MARK: - Comments

    private struct Entry {
        var name: String
        var text: [String]
        var date: String?
        var isReply: Bool
    }

    private static func parseComments(_ lines: [String], from start: Int, author: String?, navigationWords: Set<String>,
                                      warnings: inout [String]) -> [Comment] {
        // Paragraphs: runs of non-empty lines. Each line of the comment section stands alone in practice.
        var blocks: [String] = []
        for line in lines[start...] where !line.isEmpty {
            if isFooter(line, navigationWords) { break }
            blocks.append(line)
        }
        var entries: [Entry] = []
        var b = 0
        while b < blocks.count {
            let name = blocks[b]
            b += 1
            let doubled = b < blocks.count && blocks[b] == name
            if doubled { b += 1 }
            let isReply = doubled || (author != nil && name == author)
            var entry = Entry(name: name, text: [], date: nil, isReply: isReply)
            if isReply {
                // A reply has no date: its text runs until the next name-like line.
                while b < blocks.count, entry.text.isEmpty || !looksLikeName(blocks[b]) {
                    entry.text.append(blocks[b])
                    b += 1
                }
            } else {
                // A reader comment ends with its date line.
                while b < blocks.count, !DateText.isDateLine(blocks[b]) {
                    if !entry.text.isEmpty, looksLikeName(blocks[b]), b + 1 < blocks.count, blocks[b + 1] == blocks[b] { break }
                    entry.text.append(blocks[b])
                    b += 1
                }
                if b < blocks.count, DateText.isDateLine(blocks[b]) {
                    entry.date = DateText.parse(blocks[b])?.dateTime
                    b += 1
                } else {
                    warnings.append("the comment by \(name) has no date line")
                }
            }
            if entry.text.isEmpty {
                warnings.append("'\(name)' in the comments has no text; skipped")
                continue
            }
            entries.append(entry)
        }

        // Oldest first: the page lists threads newest first, each reader comment followed by its replies.
        var threads: [[Entry]] = []
        for entry in entries {
            if entry.isReply, !threads.isEmpty {
                threads[threads.count - 1].append(entry)
            } else {
                threads.append([entry])
            }
        }
        var comments: [Comment] = []
        for (n, thread) in threads.reversed().enumerated() {
            let id = "c\(n + 1)"
            let head = thread[0]
            comments.append(Comment(id: id, author: head.name, date: head.date, body: head.text.joined(separator: "\n\n")))
            for (r, reply) in thread.dropFirst().enumerated() {
                comments.append(Comment(id: "\(id)-r\(r + 1)", author: reply.name, date: reply.date,
                                        body: reply.text.joined(separator: "\n\n"), replyTo: id))
            }
        }
        return comments
    }

    // MARK: - Line shapes

    private static func words(_ line: String) -> [String] {
        line.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// `Category:` alone on its line, or `Category: value` on one line.
    private static func isLabel(_ line: String, _ label: String) -> Bool {
        line.lowercased().hasPrefix(label + ":")
    }

    private static func value(after index: Int, _ lines: [String]) -> (text: String, index: Int)? {
        let line = lines[index]
        if let colon = line.firstIndex(of: ":") {
            let inline = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !inline.isEmpty { return (inline, index) }
        }
        var j = index + 1
        while j < lines.count, lines[j].isEmpty { j += 1 }
        return j < lines.count ? (lines[j], j) : nil
    }

    private static func commentCount(_ lower: String) -> Int? {
        let parts = lower.split(separator: " ")
        guard parts.count == 2, parts[1] == "comments" || parts[1] == "comment" else { return nil }
        return parts[0] == "no" ? 0 : Int(parts[0])
    }

    /// Site chrome after the comments: a line made only of navigation words, or a copyright line.
    private static func isFooter(_ line: String, _ navigationWords: Set<String>) -> Bool {
        let lower = line.lowercased()
        if lower.hasPrefix("copyright") || lower.hasPrefix("©") { return true }
        let w = words(line)
        return w.count >= 2 && !navigationWords.isEmpty && w.allSatisfy(navigationWords.contains)
    }

    /// A commenter's name: a few capitalised words without sentence punctuation.
    private static func looksLikeName(_ line: String) -> Bool {
        let parts = line.split(separator: " ")
        guard (1...5).contains(parts.count), let last = line.last, !".!?…:;,)\"”".contains(last) else { return false }
        return parts.allSatisfy { $0.first?.isUppercase == true } && !line.contains(where: { $0.isNumber })
    }
}
