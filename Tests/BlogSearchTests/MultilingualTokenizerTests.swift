import CSQLiteExtras
import Foundation
import GRDB
import Testing
@testable import BlogSearch

@Suite("Multilingual tokenizer")
struct MultilingualTokenizerTests {
    let tokenizer: TermTokenizer

    init() throws {
        tokenizer = try TermTokenizer(arguments: Analyzer.tokenizerArguments)
    }

    // MARK: - Terms per language

    @Test("each language's words become that language's stems, folded where the language allows it", arguments: [
        ("es", "calmas calma atados atado canción año", ["calm", "calm", "atad", "atad", "cancion", "año"]),
        ("fr", "lisiblement lisible été", ["lisibl", "lisibl", "ete"]),
        ("de", "Häuser Hauses", ["haus", "haus"]),
        ("pt-BR", "componentes componente", ["component", "component"]),
        ("it", "città città", ["citt", "citt"]),
        ("sv", "flickorna flicka", ["flick", "flick"]),
        ("tr", "kitaplar kitap", ["kitap", "kitap"]),
        ("ru", "машины машина", ["машин", "машин"]),
        // No stemmer: lower-cased only, nothing folded (ł, ż are letters of their own).
        ("pl", "Zażółć Gęślą", ["zażółć", "gęślą"]),
        // An unknown tag means the default language, English: porter.
        ("xx", "Running cafés", ["run", "cafe"]),
        ("en", "Running cafés", ["run", "cafe"]),
    ])
    func stemsPerLanguage(language: String, text: String, expected: [String]) {
        #expect(tokenizer.terms(text, language: language) == expected)
        #expect(tokenizer.terms(LanguageMarker.mark(text, language: language)) == expected)
    }

    @Test("Chinese, Japanese and Thai runs are cut into ICU's words, and the English words in them stay English", arguments: [
        ("ja", "東京都に住んでいますReactのコンポーネント", ["東京", "都", "に", "住", "んで", "い", "ます", "react", "の", "コンポーネント"]),
        ("zh-Hans", "我们使用React构建用户界面", ["我们", "使用", "react", "构", "建", "用户", "界面"]),
        ("th", "ภาษาไทยง่ายนิดเดียว", ["ภาษา", "ไทย", "ง่าย", "นิด", "เดียว"]),
        ("ja", "Running tests で components を", ["run", "test", "で", "compon", "を"]),
        // An English post with a Chinese phrase: its words, the English around it porter's.
        ("en", "the phrase 用户界面 means interfaces", ["the", "phrase", "用户", "界面", "mean", "interfac"]),
    ])
    func segmentedScripts(language: String, text: String, expected: [String]) {
        #expect(tokenizer.terms(text, language: language) == expected)
    }

    @Test("a Hangul run becomes its bigrams, so a noun without its particle is a phrase inside the word with it")
    func koreanBigrams() {
        #expect(tokenizer.terms("텍스트를", language: "ko") == ["텍스", "스트", "트를"])
        #expect(tokenizer.terms("텍스트", language: "ko") == ["텍스", "스트"])
        #expect(tokenizer.terms("집", language: "ko") == ["집"])
    }

    // MARK: - The marker

    @Test("the marker gives no token and offsets stay byte offsets into the marked text")
    func markerGivesNoToken() {
        let marked = LanguageMarker.mark("calmas tranquilas", language: "es")
        var tokens: [TermTokenizer.Token] = []
        tokenizer.forEachToken(in: marked) { tokens.append($0) }
        #expect(tokens.map(\.term) == ["calm", "tranquil"])
        #expect(tokens.map(\.surface) == ["calmas", "tranquilas"])
        #expect(tokens.first?.bytes == 4..<10)
        #expect(LanguageMarker.strip(marked).language == "es")
        #expect(LanguageMarker.strip(marked).text == "calmas tranquilas")
        #expect(LanguageMarker.strip("plain").language == nil)
        #expect(LanguageMarker.mark("text", language: "not a tag") == "text")
        #expect(LanguageMarker.isKnown("pt-BR") && LanguageMarker.isKnown("ja") && !LanguageMarker.isKnown("xx"))
    }

    @Test("a malformed marker is text: it is analysed as the default language", arguments: [
        "\u{1}es calmas", "\u{1}abcdefghijklmnop\u{2}calmas", "\u{1}\u{2}calmas", "\u{1}e s\u{2}calmas",
    ])
    func malformedMarker(text: String) {
        #expect(tokenizer.terms(text).last == "calma")
        #expect(LanguageMarker.markerLength(text) == 0)
    }

    @Test("the tokenizer's arguments choose its default language and its Korean analysis, and bad ones are refused")
    func arguments() throws {
        let spanish = try TermTokenizer(arguments: ["blogsearch", "default", "es"])
        #expect(spanish.terms("calmas") == ["calm"])
        #expect(spanish.terms(LanguageMarker.mark("calmas", language: "en")) == ["calma"])
        let particles = try TermTokenizer(arguments: ["blogsearch", "korean", "particles"])
        #expect(particles.terms("텍스트를", language: "ko") == ["텍스트를"])   // the particle-less noun is colocated
        #expect(throws: DatabaseError.self) { try TermTokenizer(arguments: ["blogsearch", "default", "xx"]) }
        #expect(throws: DatabaseError.self) { try TermTokenizer(arguments: ["blogsearch", "korean", "morphemes"]) }
    }

    @Test("a language can be given only to the multilingual tokenizer")
    func languageNeedsTheMultilingualTokenizer() throws {
        let porter = try TermTokenizer(arguments: Analyzer.englishTokenizerArguments)
        #expect(!porter.forEachToken(in: "calmas", language: "es") { _ in })
    }

    // MARK: - English exactly as porter

    /// Every token of `text` with its flags, through the C callback FTS5 itself uses.
    private func fts5Tokens(_ tokenizer: TermTokenizer, _ text: String) -> [String] {
        var out: [String] = []
        var text = text
        text.withUTF8 { utf8 in
            tokenizer.withHandle { handle in
                _ = withUnsafeMutablePointer(to: &out) { pointer in
                    blogsearch_tokenize_fts5(handle, UnsafeRawPointer(utf8.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(utf8.count),
                                             pointer) { context, flags, token, length, start, end in
                    let term = String(decoding: UnsafeRawBufferPointer(start: token, count: Int(length)), as: UTF8.self)
                    context!.assumingMemoryBound(to: [String].self).pointee.append("\(flags) \(term) \(start) \(end)")
                    return SQLITE_OK
                    }
                }
            }
        }
        return out
    }

    @Test("English text without a marker gives porter's tokens, offsets and flags, token for token")
    func englishIsPorter() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let posts = root.appendingPathComponent("corpus/posts")
        let files = try FileManager.default.contentsOfDirectory(atPath: posts.path).filter { $0.hasSuffix(".md") }.sorted()
        try #require(files.count > 10)
        let porter = try TermTokenizer(arguments: Analyzer.englishTokenizerArguments)
        var compared = 0
        for file in files {
            let text = try String(contentsOfFile: posts.appendingPathComponent(file).path, encoding: .utf8)
            let expected = fts5Tokens(porter, text)
            #expect(fts5Tokens(tokenizer, text) == expected, "\(file)")
            #expect(fts5Tokens(tokenizer, LanguageMarker.mark(text, language: "en")).map { shifted($0, by: 4) } == expected, "\(file)")
            compared += expected.count
        }
        #expect(compared > 5000)
    }

    /// A token line of `fts5Tokens` with its offsets moved back by `by` bytes (a marker's length).
    private func shifted(_ line: String, by: Int) -> String {
        let parts = line.split(separator: " ")
        return "\(parts[0]) \(parts[1]) \(Int(parts[2])! - by) \(Int(parts[3])! - by)"
    }

    // MARK: - In FTS5

    private func table(_ rows: [String]) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(configuration: SQLiteSetup.configuration(readonly: false))
        try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='\(Analyzer.tokenizerSpec)')")
            for row in rows { try db.execute(sql: "INSERT INTO t(body) VALUES (?)", arguments: [row]) }
        }
        return queue
    }

    private func matches(_ queue: DatabaseQueue, _ query: String) throws -> [Int64] {
        try queue.read { db in try Int64.fetchAll(db, sql: "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", arguments: [query]) }
    }

    /// A quoted FTS5 phrase of `text` with the marker of `language`.
    private func phrase(_ text: String, _ language: String) -> String {
        "\"" + LanguageMarker.mark(text, language: language) + "\""
    }

    @Test("an FTS5 table on the tokenizer finds each row by a query analysed in the row's language")
    func fts5Table() throws {
        let queue = try table([
            LanguageMarker.mark("東京都に住んでいます", language: "ja"),
            LanguageMarker.mark("Las aguas calmas del lago", language: "es"),
            "The runners were running home",
            LanguageMarker.mark("컴포넌트를 만드는 방법", language: "ko"),
        ])
        #expect(try matches(queue, phrase("東京", "ja")) == [1])
        #expect(try matches(queue, phrase("calma", "es")) == [2])
        #expect(try matches(queue, "calma") == [])      // as English, calma is not calmas
        #expect(try matches(queue, "run") == [3])
        #expect(try matches(queue, phrase("컴포넌트", "ko")) == [4])
        #expect(try matches(queue, phrase("포넌", "ko")) == [4])
        #expect(try matches(queue, phrase("방법을", "ko")) == [])
    }

    @Test("a snippet from a marked text never shows the marker, and from a mark keeps the text's language")
    func snippets() throws {
        // Hindi's vowel signs are marks: analysed as English (unicode61's default categories), each word would be
        // cut into several tokens, and a snippet tokenized from a mark without the marker would count wrong.
        let words = ["नमस्ते", "दुनिया", "किताब", "पानी", "हिन्दी"]
        let body = (0..<200).map { words[$0 % 4] }.joined(separator: " ") + " हिन्दी अंत"
        let marked = LanguageMarker.mark(body, language: "hi")
        let queue = try table([marked])
        // The byte offsets of every 32nd token, as the builder writes snippet_marks.
        var offsets: [Int] = []
        tokenizer.forEachToken(in: marked) { offsets.append($0.bytes.lowerBound) }
        #expect(offsets.count == 202)
        var marks: [UInt8] = []
        for offset in stride(from: 0, to: offsets.count, by: 32).map({ offsets[$0] }) {
            marks += [UInt8(offset & 0xFF), UInt8(offset >> 8 & 0xFF), UInt8(offset >> 16 & 0xFF), UInt8(offset >> 24)]
        }
        try queue.read { db in
            for blob in [nil, Data(marks)] {
                let snippet = try String.fetchOne(db, sql: "SELECT blogsearch_snippet(t, 0, 8, ?) FROM t WHERE t MATCH ?",
                                                  arguments: [blob, phrase("हिन्दी", "hi")])
                #expect(snippet?.contains("\u{E000}हिन्दी\u{E001} अंत") == true, "\(String(describing: snippet))")
                #expect(snippet?.contains("\u{1}") == false)
            }
            let first = try String.fetchOne(db, sql: "SELECT blogsearch_snippet(t, 0, 4) FROM t WHERE t MATCH ?",
                                            arguments: [phrase("नमस्ते", "hi")])
            #expect(first?.hasPrefix("\u{E000}नमस्ते\u{E001}") == true)
        }
    }

    @Test("touching CJK words and overlapping Korean bigrams are one highlight, each character shown once")
    func highlightsOfSegmentedScripts() throws {
        let queue = try table([LanguageMarker.mark("私は東京都に住んでいます", language: "ja"),
                               LanguageMarker.mark("이 컴포넌트를 씁니다", language: "ko")])
        try queue.read { db in
            let ja = try String.fetchOne(db, sql: "SELECT blogsearch_snippet(t, 0, 16) FROM t WHERE t MATCH ?", arguments: [phrase("東京都", "ja")])
            #expect(ja == "私は\u{E000}東京都\u{E001}に住んでいます")
            let ko = try String.fetchOne(db, sql: "SELECT blogsearch_snippet(t, 0, 16) FROM t WHERE t MATCH ?", arguments: [phrase("컴포넌트", "ko")])
            #expect(ko == "이 \u{E000}컴포넌트\u{E001}를 씁니다")
        }
    }
}
