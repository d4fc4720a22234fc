import CSQLiteExtras
import Foundation
import GRDB
import Synchronization

/// FTS5's tokenizer (`Analyzer.tokenizerArguments`, or another such as `Analyzer.tokenizerArguments`),
/// called directly: the terms it gives are the terms of the search index, by construction. Not thread-safe; one
/// per thread.
final class TermTokenizer {
    private let tokenizer: OpaquePointer
    /// The tokenizer's name and arguments, as a `tokenize=` option.
    let spec: String
    /// The connection whose FTS5 module the tokenizer came from; it must outlive the tokenizer.
    private let connection: DatabaseQueue

    /// A token: the stemmed term and the text it came from.
    struct Token {
        var term: String
        var surface: Substring
        /// Where the token is in the text, as UTF-8 offsets.
        var bytes: Range<Int>
    }

    /// - Parameter arguments: the tokenizer's name, then its arguments, as in a `tokenize=` option.
    /// - Throws: `DatabaseError` when FTS5 or the tokenizer is missing from the system SQLite, or rejects the
    ///   arguments.
    init(arguments: [String] = Analyzer.tokenizerArguments) throws {
        // The process configuration must come before the first connection; it is idempotent.
        _ = blogsearch_sqlite_configure()
        connection = try DatabaseQueue()
        spec = arguments.joined(separator: " ")
        var out: OpaquePointer? = nil
        let rc = connection.inDatabase { db in
            // blogsearch's own tokenizer exists on a connection once registered there.
            let registered = blogsearch_register_multilingual(db.sqliteConnection)
            guard registered == SQLITE_OK else { return registered }
            return withCStrings(arguments) { argv in blogsearch_tokenizer_open(db.sqliteConnection, argv, Int32(arguments.count), &out) }
        }
        guard rc == SQLITE_OK, let out else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc),
                                message: "cannot create FTS5's tokenizer '\(spec)' (is FTS5 built into SQLite?)")
        }
        tokenizer = out
        stopTerms = try Self.stemmedStopWords(self)
    }

    /// `StopWords.english` as this tokenizer stems them: left out of vectors and of related-text queries.
    private(set) var stopTerms: Set<String> = []

    deinit { blogsearch_tokenizer_close(tokenizer) }

    /// The C tokenizer, for C code that tokenizes (snippets); valid only inside `body`.
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(tokenizer) }
    }

    /// Calls `body` with each token of `text`, in order.
    func forEachToken(in text: String, _ body: (Token) -> Void) {
        _ = tokens(of: text, language: nil, body)
    }

    /// Calls `body` with each token of `text` analysed as `language` (a BCP 47 tag; one the tokenizer does not
    /// know means its default language), whether or not `text` begins with a `LanguageMarker` (a marker gives no
    /// token, and offsets stay offsets into `text`).
    /// - Returns: false when this tokenizer is not the multilingual one (`Analyzer.tokenizerArguments`),
    ///   which has no notion of a language; `body` is then never called.
    @discardableResult
    func forEachToken(in text: String, language: String, _ body: (Token) -> Void) -> Bool {
        tokens(of: text, language: language, body)
    }

    private func tokens(of text: String, language: String?, _ body: (Token) -> Void) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            withoutActuallyEscaping(body) { body in
                var sink = Sink(text: utf8, body: body)
                return withUnsafeMutablePointer(to: &sink) { pointer in
                    let bytes = utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                    let callback: blogsearch_token_callback = { context, token, length, start, end in
                        let sink = context!.assumingMemoryBound(to: Sink.self)
                        let term = String(decoding: UnsafeRawBufferPointer(start: token, count: Int(length)), as: UTF8.self)
                        let surface = String(decoding: UnsafeBufferPointer(rebasing: sink.pointee.text[Int(start)..<Int(end)]), as: UTF8.self)
                        sink.pointee.body(Token(term: term, surface: Substring(surface), bytes: Int(start)..<Int(end)))
                    }
                    guard let language else {
                        _ = blogsearch_tokenize(tokenizer, bytes, Int32(utf8.count), pointer, callback)
                        return true
                    }
                    return blogsearch_tokenize_language(tokenizer, language, bytes, Int32(utf8.count), pointer, callback) != SQLITE_MISUSE
                }
            }
        }
    }

    /// Calls `body` with each token of `text`, in order: the term's UTF-8 bytes, `text`'s UTF-8 bytes and where
    /// the token's source is in them. No strings are made (the cheapest way through a text); the bytes are
    /// valid only during the call.
    func forEachRawToken(in text: String, _ body: (_ term: UnsafeRawBufferPointer, _ text: UnsafeBufferPointer<UInt8>, _ source: Range<Int>) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            withoutActuallyEscaping(body) { body in
                var sink = RawSink(text: utf8, body: body)
                withUnsafeMutablePointer(to: &sink) { pointer in
                    _ = blogsearch_tokenize(tokenizer, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                            Int32(utf8.count), pointer, { context, token, length, start, end in
                        let sink = context!.assumingMemoryBound(to: RawSink.self)
                        sink.pointee.body(UnsafeRawBufferPointer(start: token, count: Int(length)), sink.pointee.text, Int(start)..<Int(end))
                    })
                }
            }
        }
    }

    private struct RawSink {
        var text: UnsafeBufferPointer<UInt8>
        var body: (UnsafeRawBufferPointer, UnsafeBufferPointer<UInt8>, Range<Int>) -> Void
    }

    /// `body` over consecutive chunks of `0..<count` (`chunkSize` each) on every core, with one tokenizer per
    /// core; the results in chunk order.
    /// - Throws: the tokenizer's error when FTS5 or its tokenizer is missing.
    static func inChunks<T>(count: Int, chunkSize: Int, _ body: @Sendable (TermTokenizer, Range<Int>) -> T) throws -> [T] {
        let chunks = (count + chunkSize - 1) / chunkSize
        let failure = Mutex<(any Error)?>(nil)
        let results: [T] = Parallel.map(count: chunks) { range in
            let tokenizer: TermTokenizer
            do { tokenizer = try TermTokenizer() } catch {
                failure.withLock { $0 = error }
                return []
            }
            return range.map { chunk in body(tokenizer, (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize)) }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results
    }

    /// Where each token of `text` is, as UTF-8 offsets, in order (no strings made).
    func tokenRanges(_ text: String) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var text = text
        text.withUTF8 { utf8 in
            withUnsafeMutablePointer(to: &ranges) { pointer in
                _ = blogsearch_tokenize(tokenizer, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                        Int32(utf8.count), pointer, { context, _, _, start, end in
                    context!.assumingMemoryBound(to: [Range<Int>].self).pointee.append(Int(start)..<Int(end))
                })
            }
        }
        return ranges
    }

    /// The terms of `text`, in order.
    func terms(_ text: String) -> [String] {
        var result: [String] = []
        forEachToken(in: text) { result.append($0.term) }
        return result
    }

    /// The terms of `text` analysed as `language`, in order (see `forEachToken(in:language:_:)`); empty when
    /// this tokenizer is not the multilingual one.
    func terms(_ text: String, language: String) -> [String] {
        var result: [String] = []
        forEachToken(in: text, language: language) { result.append($0.term) }
        return result
    }

    /// How often each term of `text` occurs, stop terms left out.
    func termCounts(_ text: String) -> [String: Double] {
        var counts: [String: Double] = [:]
        forEachToken(in: text) { token in
            if !stopTerms.contains(token.term) { counts[token.term, default: 0] += 1 }
        }
        return counts
    }

    /// Stemmed once per process, by the first tokenizer.
    private static let stemmed = Mutex<Set<String>?>(nil)

    private static func stemmedStopWords(_ tokenizer: TermTokenizer) throws -> Set<String> {
        if let done = stemmed.withLock({ $0 }) { return done }
        let terms = Set(StopWords.english.flatMap { tokenizer.terms($0) })
        // Every stop word is a word: an empty result means the tokenizer is not the one we think it is.
        guard terms.count > StopWords.english.count / 2 else {
            throw DatabaseError(message: "FTS5's tokenizer '\(tokenizer.spec)' gave \(terms.count) terms for the \(StopWords.english.count) stop words")
        }
        stemmed.withLock { $0 = terms }
        return terms
    }

    private struct Sink {
        var text: UnsafeBufferPointer<UInt8>
        var body: (Token) -> Void
    }
}

/// Calls `body` with a C array of C strings for `strings`, valid for the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
