import Foundation
import Testing
@testable import BlogSearch

@Suite("Markup to plain text")
struct PlainTextTests {
    @Test("Markdown keeps link text and code, drops markup, images and raw HTML tags, decodes entities")
    func markdown() {
        let md = """
            ## Heading

            Some **bold** and _italic_ with [a link](https://x.example) &mdash; and `inline code`.

            ![alt text](img.png)

            Press <kbd>Ctrl</kbd> and C &amp; caf&eacute; &#8217; &#x41;

            ```swift
            let x = a < b
            ```
            """
        let text = PlainText.fromMarkdown(md)
        #expect(text.contains("Heading"))
        #expect(text.contains("Some bold and italic with a link — and inline code."))
        #expect(text.contains("Press Ctrl and C & café ’ A"))
        #expect(text.contains("let x = a < b"))
        #expect(!text.contains("img.png"))
        #expect(!text.contains("<kbd>"))
        #expect(!text.contains("**"))
    }

    @Test("HTML drops tags and script contents, keeps a lone < as text")
    func html() {
        #expect(PlainText.fromHTML("<p>a &lt; b</p><script>alert(1)</script><p>c < d &unknown; e</p>") == "a < b\n\nc < d &unknown; e")
    }

    @Test("highlight marker characters never survive into indexed text")
    func markers() {
        #expect(PlainText.fromHTML("a\u{E000}b\u{E001}c") == "a b c")
        #expect(HighlightMarker.removed(from: "x\u{E000}y") == "xy")
    }
}

@Suite("Dates")
struct DateTextTests {
    @Test(arguments: [
        ("2025-02-17", "2025-02-17", "2025-02-17"),
        ("2025-02-17T21:42:05Z", "2025-02-17", "2025-02-17T21:42:05"),
        ("2025-02-17 21:42:00 +0100", "2025-02-17", "2025-02-17T21:42:00"),
        ("17 February 2025", "2025-02-17", "2025-02-17"),
        ("February 17, 2025", "2025-02-17", "2025-02-17"),
        ("March 7, 2025 at 8:35 PM", "2025-03-07", "2025-03-07T20:35:00"),
        ("March 7, 2025 at 12:05 AM", "2025-03-07", "2025-03-07T00:05:00"),
        ("Feb 29, 2024", "2024-02-29", "2024-02-29"),
        ("2024/12/05", "2024-12-05", "2024-12-05"),
    ])
    func parses(text: String, day: String, dateTime: String) throws {
        let parsed = try #require(DateText.parse(text))
        #expect(parsed.day == day)
        #expect(parsed.dateTime == dateTime)
    }

    @Test(arguments: ["someday", "2025-13-01", "2025-02-30", "Feb 29, 2025", "17 Smarch 2025", "", "2025-02-17T25:00", "2024/12-05", "2024/02/30", "2024/12/05T10:00"])
    func rejects(text: String) {
        #expect(DateText.parse(text) == nil)
    }
}

@Suite("Stored JSON")
struct JSONTextTests {
    @Test("string lists round-trip through the hand-written encoder, whatever they hold", arguments: [
        [String](), ["a"], ["Customer Support", "tone of voice"], ["quote \" and \\ backslash", "tab\tnew\nline\u{1}"],
        ["café", "日本語", "🙂", "</script>"],
    ])
    func roundTrip(values: [String]) throws {
        let text = JSONText.encode(values)
        #expect(JSONText.decode(text) == values)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] == values)
    }
}
