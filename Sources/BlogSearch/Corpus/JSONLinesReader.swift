import Foundation

/// Reads posts exported as JSON Lines, one post per line:
/// `{"slug", "title", "body"` (required), `"url", "date", "author", "categories", "tags",
/// "comments": [{"id", "author", "date", "body", "replyTo"}]}`. Bodies may hold light HTML (WordPress
/// exports do); it is reduced to text. A bad line is reported with its number and skipped.
///
/// Lines are split on bytes and parsed on every core with `JSONDecoder` (a 100k-post export is ~1 GB: the
/// Foundation `JSONSerialization` + `trimmingCharacters` path spent 30% of a 10k-post build here).
enum JSONLinesReader {
    /// Reads the file mapped into memory, never copied whole or decoded as one string: at 100k posts (1 GB)
    /// reading it into a `String` first took ~18 s on one core (allocation, page zeroing, UTF-8 validation)
    /// before any line was parsed. Each line is checked as UTF-8 on its own, so a bad byte skips its line,
    /// not the file.
    static func read(url: URL, path: String) -> (posts: [Post], problems: [CorpusProblem]) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            return ([], [TextFile.problem(.unreadable(FileErrorText.reason(error, path: path)), path: path)])
        }
        return data.withUnsafeBytes { raw in
            var bytes = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }   // byte-order mark
            return read(bytes: bytes, path: path)
        }
    }

    static func read(bytes: UnsafeBufferPointer<UInt8>, path: String) -> (posts: [Post], problems: [CorpusProblem]) {
        let lines = nonEmptyLines(bytes)
        guard !lines.isEmpty else { return ([], []) }
        let shared = Unchecked(bytes)
        // More parts than cores: lines differ in length, small parts even out the load.
        let results = Parallel.map(count: lines.count, parts: Parallel.cores * 8) { range in
            let decoder = JSONDecoder()
            return lines[range].map { line -> Result<(Post, [CorpusProblem]), CorpusProblem> in
                let location = SourceLocation(path: path, line: line.number)
                let slice = UnsafeBufferPointer(rebasing: shared.value[line.bytes])
                guard String(validating: slice, as: UTF8.self) != nil else {
                    return .failure(CorpusProblem(location, .skipped, "not valid UTF-8 text"))
                }
                // The line's bytes as they are, not copied: the mapping outlives the decoding.
                let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: slice.baseAddress!), count: slice.count, deallocator: .none)
                return post(from: data, decoder: decoder, location: location)
            }
        }
        var posts: [Post] = []
        var problems: [CorpusProblem] = []
        posts.reserveCapacity(lines.count)
        for result in results {
            switch result {
            case .success(let (post, warnings)):
                posts.append(post)
                problems += warnings
            case .failure(let problem):
                problems.append(problem)
            }
        }
        return (posts, problems)
    }

    /// The byte range (trimmed of spaces and tabs) and 1-based number of every line that holds something.
    private static func nonEmptyLines(_ bytes: UnsafeBufferPointer<UInt8>) -> [(bytes: Range<Int>, number: Int)] {
        var lines: [(bytes: Range<Int>, number: Int)] = []
        var start = 0, number = 1
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
        func add(_ end: Int) {
            var lo = start, hi = end
            while lo < hi, blank(bytes[lo]) { lo += 1 }
            while hi > lo, blank(bytes[hi - 1]) { hi -= 1 }
            if lo < hi { lines.append((lo..<hi, number)) }
        }
        guard let base = bytes.baseAddress else { return [] }
        while start < bytes.count, let newline = memchr(base + start, 0x0A, bytes.count - start) {
            let i = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
            add(i)
            start = i + 1
            number += 1
        }
        add(bytes.count)
        return lines
    }

    private static func post(from data: Data, decoder: JSONDecoder, location: SourceLocation) -> Result<(Post, [CorpusProblem]), CorpusProblem> {
        func fail(_ message: String) -> Result<(Post, [CorpusProblem]), CorpusProblem> {
            .failure(CorpusProblem(location, .skipped, message))
        }
        let line: Line
        do {
            line = try decoder.decode(Line.self, from: data)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            return fail("not a JSON object")
        } catch DecodingError.dataCorrupted(let context) {
            let reason = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            return fail("not valid JSON: \(reason)")
        } catch {
            return fail("not valid JSON: \(error)")
        }
        for (key, field) in [("slug", line.slug), ("title", line.title), ("body", line.body)] where field.text == nil || field.isNumber {
            return fail(field.isMissing ? "no `\(key)` field (slug, title and body are required)" : "`\(key)` must be a string")
        }
        let slug = line.slug.text!.trimmedWhitespace
        let title = line.title.text!.trimmedWhitespace
        guard Slug.isValid(slug) else { return fail("slug '\(slug)' may hold only letters, digits, '-', '_' and '.'") }
        guard !title.isEmpty else { return fail("`title` is empty") }
        var date: String? = nil
        if let raw = line.date.trimmed {
            guard let parsed = DateText.parse(raw) else { return fail("date '\(raw)' is not a date (use YYYY-MM-DD)") }
            date = parsed.day
        }
        var warnings: [CorpusProblem] = []
        var comments: [Comment] = []
        for (index, item) in (line.comments ?? []).enumerated() {
            guard let c = item.value, let body = c.body.trimmed else {
                warnings.append(CorpusProblem(location, .skipped, "comment \(index + 1) of '\(slug)' has no `body`"))
                continue
            }
            var commentDate: String? = nil
            if let raw = c.date.trimmed {
                commentDate = DateText.parse(raw)?.dateTime
                if commentDate == nil {
                    warnings.append(CorpusProblem(location, .warning, "comment \(index + 1) of '\(slug)': date '\(raw)' is not a date; kept without one"))
                }
            }
            comments.append(Comment(id: c.id.trimmed ?? String(index + 1), author: c.author.trimmed,
                                    date: commentDate, body: PlainText.fromHTML(body), replyTo: c.replyTo.trimmed))
        }
        let post = Post(slug: slug, title: PlainText.fromHTML(title), url: line.url.trimmed, date: date,
                        author: line.author.trimmed, categories: line.categories.items,
                        tags: line.tags.items, body: PlainText.fromHTML(line.body.text!),
                        comments: comments, source: location, lang: line.lang.trimmed, langSource: .jsonLines,
                        translationKey: line.translationKey.trimmed)
        return .success((post, warnings))
    }

    // MARK: - The shape of a line, lenient where exports differ

    private struct Line: Decodable {
        var slug, title, body, url, date, author, lang, translationKey: Field
        var categories, tags: List
        var comments: [Lenient<CommentLine>]?

        private enum Key: String, CodingKey { case slug, title, body, url, date, author, lang, translationKey, categories, tags, comments }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            func field(_ key: Key) throws -> Field { try c.decodeIfPresent(Field.self, forKey: key) ?? .missing }
            (slug, title, body, url, date, author) = try (field(.slug), field(.title), field(.body), field(.url), field(.date), field(.author))
            (lang, translationKey) = try (field(.lang), field(.translationKey))
            categories = try c.decodeIfPresent(List.self, forKey: .categories) ?? List(items: [])
            tags = try c.decodeIfPresent(List.self, forKey: .tags) ?? List(items: [])
            comments = try? c.decodeIfPresent([Lenient<CommentLine>].self, forKey: .comments)
        }
    }

    private struct CommentLine: Decodable {
        var id, author, date, body, replyTo: Field

        private enum Key: String, CodingKey { case id, author, date, body, replyTo }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            func field(_ key: Key) throws -> Field { try c.decodeIfPresent(Field.self, forKey: key) ?? .missing }
            (id, author, date, body, replyTo) = try (field(.id), field(.author), field(.date), field(.body), field(.replyTo))
        }
    }

    /// A value that may fail to decode (a comment that is not an object) without failing the line.
    private struct Lenient<Value: Decodable>: Decodable {
        var value: Value?
        init(from decoder: Decoder) throws { value = try? Value(from: decoder) }
    }

    /// A scalar field: text, a number (ids are often numeric), or something else.
    private enum Field: Decodable {
        case missing, string(String), number(String), other

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .missing }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let i = try? c.decode(Int64.self) { self = .number(String(i)) }
            else if let d = try? c.decode(Double.self) { self = .number(String(d)) }
            else { self = .other }
        }

        var isMissing: Bool { if case .missing = self { return true } else { return false } }
        var isNumber: Bool { if case .number = self { return true } else { return false } }

        var text: String? {
            switch self {
            case .string(let s), .number(let s): return s
            case .missing, .other: return nil
            }
        }

        /// The text without surrounding white space; nil when empty.
        var trimmed: String? {
            guard let t = text?.trimmedWhitespace, !t.isEmpty else { return nil }
            return t
        }
    }

    /// A list of strings; a single string is a list of one.
    private struct List: Decodable {
        var items: [String]

        init(items: [String]) { self.items = items }

        init(from decoder: Decoder) throws {
            if let many = try? [Field](from: decoder) {
                items = many.compactMap(\.trimmed)
            } else {
                items = (try? Field(from: decoder))?.trimmed.map { [$0] } ?? []
            }
        }
    }
}
