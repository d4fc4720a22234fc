@testable import BlogSearchServer
import Testing

@Suite("Links from post URLs")
struct SafeLinkTests {
    @Test("http(s) and relative URLs are links; javascript:, data: and other schemes are not, however spelled")
    func schemes() {
        for url in ["https://blog.example/a/", "HTTP://blog.example", "/posts/a/", "posts/a", "../a", "?q=1", "#top",
                    "//blog.example/a", "/a:b", "a/b:c"] {
            #expect(SafeLink.href(url) == url, "\(url)")
        }
        for url in ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                    "java\nscript:x", "\u{1}javascript:x", "data:text/html,<script>", "vbscript:x", "mailto:a@b", "file:///etc",
                    "", "  "] {
            #expect(SafeLink.href(url) == nil, "\(url.debugDescription)")
        }
    }
}
