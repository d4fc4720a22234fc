import CSQLiteExtras
import GRDB

/// FTS5's tokenizer (`porter unicode61 remove_diacritics 2`), called directly: the terms it gives are the
/// terms of the search index, by construction. Not thread-safe; one per thread.
final class TermTokenizer {
    private let tokenizer: OpaquePointer
    /// The connection whose FTS5 module the tokenizer came from; it must outlive the tokenizer.
    private let connection: DatabaseQueue

    /// A token: the stemmed term and the text it came from.
    struct Token {
        var term: String
        var surface: Substring
        /// Where the token is in the text, as UTF-8 offsets.
        var bytes: Range<Int>
    }

    init() throws {
        connection = try DatabaseQueue(configuration: SQLiteSetup.configuration(readonly: false))
        var out: OpaquePointer? = nil
        let rc = connection.inDatabase { db in blogsearch_tokenizer_open(db.sqliteConnection, &out) }
        guard rc == SQLITE_OK, let out else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "cannot create FTS5's porter tokenizer")
        }
        tokenizer = out
    }

    deinit { blogsearch_tokenizer_close(tokenizer) }

    /// Calls `body` with each token of `text`, in order.
    func forEachToken(in text: String, _ body: (Token) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            withoutActuallyEscaping(body) { body in
                var sink = Sink(text: utf8, body: body)
                withUnsafeMutablePointer(to: &sink) { pointer in
                    _ = blogsearch_tokenize(tokenizer, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                            Int32(utf8.count), pointer, { context, token, length, start, end in
                        let sink = context!.assumingMemoryBound(to: Sink.self)
                        let term = String(decoding: UnsafeRawBufferPointer(start: token, count: Int(length)), as: UTF8.self)
                        let surface = String(decoding: UnsafeBufferPointer(rebasing: sink.pointee.text[Int(start)..<Int(end)]), as: UTF8.self)
                        sink.pointee.body(Token(term: term, surface: Substring(surface), bytes: Int(start)..<Int(end)))
                    })
                }
            }
        }
    }

    /// The terms of `text`, in order.
    func terms(_ text: String) -> [String] {
        var result: [String] = []
        forEachToken(in: text) { result.append($0.term) }
        return result
    }

    private struct Sink {
        var text: UnsafeBufferPointer<UInt8>
        var body: (Token) -> Void
    }
}
