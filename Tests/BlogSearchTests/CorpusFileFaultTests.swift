import Foundation
import Testing
@testable import BlogSearch

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

    @Test("an unreadable subfolder is a skipped part of the corpus: named, exit 3, and its posts count toward the shrink guard",
          .enabled(if: geteuid() != 0 || FileManager.default.isExecutableFile(atPath: Self.setpriv),
                   "permission bits do not stop root: the check runs the binary as nobody through setpriv"))
    func unreadableFolder() throws {
        let dir = TemporaryDirectory()
        for name in ["a", "b", "c", "d"] { dir.write("corpus/posts/\(name).md", Fixtures.post(title: "Post \(name)", body: "text \(name)")) }
        for name in ["e", "f"] { dir.write("corpus/posts/locked/\(name).md", Fixtures.post(title: "Post \(name)", body: "text \(name)")) }
        try FileManager.default.createDirectory(atPath: dir.url("indexes"), withIntermediateDirectories: true)
        chmod(dir.path, 0o755)
        chmod(dir.url("indexes"), 0o777)   // written by nobody
        let arguments = ["index", "--corpus", dir.url("corpus"), "--indexes", dir.url("indexes")]
        var result = try runUnprivileged(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("6 posts"))

        let locked = dir.url("corpus/posts/locked")
        chmod(locked, 0)
        defer { chmod(locked, 0o755) }
        // Two of six posts would vanish: the shrink guard refuses, after naming the folder.
        result = try runUnprivileged(arguments)
        #expect(result.status == 6, "\(result.stderr)")
        let line = "\(locked): skipped: cannot read the folder: Permission denied"
        #expect(result.stderr.contains(line), "\(result.stderr)")
        result = try runUnprivileged(arguments + ["--allow-shrink"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains(line))
        #expect(result.stderr.contains("4 posts"))
    }

    static let setpriv = "/usr/bin/setpriv"

    /// Runs the `blogsearch` binary as an unprivileged user: as `nobody` through setpriv when the tests run as root.
    private func runUnprivileged(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        if geteuid() == 0 {
            process.executableURL = URL(fileURLWithPath: Self.setpriv)
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", CLITests.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = arguments
        }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
