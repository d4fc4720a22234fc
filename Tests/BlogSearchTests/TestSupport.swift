import BlogSearch
import BlogSearchTestSupport

extension Fixtures {
    /// Builds the small blog, copied into `dir/corpus`, into a fresh indexes folder and opens it.
    static func blogIndex(_ dir: TemporaryDirectory) throws -> SearchIndex {
        let corpusPath = blog(in: dir)
        let corpus = try CorpusReader().read(at: corpusPath)
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: corpusPath)
        return try SearchIndex.open(directory: dir.url("indexes"))
    }
}
