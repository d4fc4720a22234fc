import BlogSearchTestSupport
import Foundation
import Testing

/// A folder of the corpus that cannot be read, as the `blogsearch` binary reports it (run as a user that permission
/// bits stop). The faults the reader meets in process are in BlogSearchTests' CorpusFileFaultTests.
@Suite("Corpus filesystem faults, through the command")
struct CorpusFileFaultCommandTests {
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
        let wrapper = geteuid() == 0 ? [Self.setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let result = try Blogsearch.run(arguments, wrapper: wrapper)
        return (result.status, result.stderr)
    }
}
