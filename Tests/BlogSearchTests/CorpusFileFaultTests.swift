import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// Filesystem faults in a corpus folder: each is a named, skipped part of the corpus, in one readable line.
@Suite("Corpus filesystem faults")
struct CorpusFileFaultTests {
    @Test("a symlink loop is reported as one, not as a Foundation error code, and skipped")
    func symlinkLoop() throws {
        let dir = TemporaryDirectory()
        dir.write("c/good.md", Fixtures.post(title: "Good", slug: "good", body: "fine"))
        let files = FileManager.default
        try files.createSymbolicLink(atPath: dir.url("c/loop.md"), withDestinationPath: "loop.md")
        try files.createSymbolicLink(atPath: dir.url("c/a.md"), withDestinationPath: "b.md")
        try files.createSymbolicLink(atPath: dir.url("c/b.md"), withDestinationPath: "a.md")
        try files.createSymbolicLink(atPath: dir.url("c/gone.md"), withDestinationPath: "nowhere.md")
        let corpus = try CorpusReader().read(at: dir.url("c"))
        #expect(corpus.posts.map(\.slug) == ["good"])
        #expect(corpus.skippedCount == 4)
        for name in ["a.md", "b.md", "loop.md"] {
            let problem = corpus.problems.first { $0.location.path == dir.url("c/\(name)") }
            #expect(problem?.message.hasPrefix("cannot read the file: symlink loop") == true, "\(name): \(String(describing: problem))")
        }
        let gone = corpus.problems.first { $0.location.path == dir.url("c/gone.md") }
        #expect(gone?.message == "cannot read the file: No such file or directory")
        #expect(!corpus.problems.map(\.description).joined().contains("NSCocoaErrorDomain"))
    }

    @Test("a control character in a file name never splits or colours its problem line")
    func controlCharacters() throws {
        let dir = TemporaryDirectory()
        dir.write("c/bad\nname.md", "no front matter\n")
        dir.write("c/esc\u{1B}[31mred.md", "no front matter either\n")
        dir.write("c/sub\tdir/x\u{2028}y.md", "nor here\n")
        let corpus = try CorpusReader().read(at: dir.url("c"))
        let lines = corpus.problems.map(\.description).sorted()
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { !$0.contains(where: { $0.isNewline || $0.asciiValue == 0x1B || $0 == "\t" }) })
        #expect(lines[0].hasSuffix(#"/c/bad\nname.md:1: skipped: no front matter: a post starts with a `---` line, YAML fields (at least `title:`), and another `---` line"#))
        #expect(lines[1].contains(#"/c/esc\u{1B}[31mred.md:1: skipped:"#))
        #expect(lines[2].contains(#"/c/sub\tdir/x\u{2028}y.md:1: skipped:"#))
        #expect(corpus.problems[0].location.path.contains("\n") || corpus.problems[1].location.path.contains("\n"))   // kept as is, escaped when shown
        #expect("\(CorpusError.notFound(path: "/x\ny"))".hasPrefix(#"corpus not found: /x\ny "#))
    }
}
