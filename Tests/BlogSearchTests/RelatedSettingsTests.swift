import Foundation
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

@Suite("Related settings of a tuned build")
struct RelatedSettingsTests {
    static let tuned = RelatedWeights(tags: 0.5, categories: 0.3, recency: 0, recencyHalfLifeDays: 365, minimumScore: 0.01)

    func build(k: Int, into dir: TemporaryDirectory, name: String) throws -> SearchIndex {
        let corpusPath = dir.url("corpus")
        if !FileManager.default.fileExists(atPath: corpusPath) { _ = Fixtures.blog(in: dir) }
        let corpus = try CorpusReader().read(at: corpusPath)
        var builder = IndexBuilder(indexesDirectory: dir.url(name), relatedK: k, relatedWeights: Self.tuned)
        builder.vectorWeights.comments = 0.25
        _ = try builder.build(corpus, corpusPath: corpusPath)
        return try SearchIndex.open(directory: dir.url(name))
    }

    @Test("the manifest gives back the weights the build used")
    func readBack() throws {
        let dir = TemporaryDirectory()
        let index = try build(k: 3, into: dir, name: "indexes")
        #expect(index.relatedWeights == Self.tuned)
        #expect(index.relatedSettings.vectorWeights.comments == 0.25)
        #expect(index.relatedSettings.k == 3)
    }

    @Test("related posts computed on demand are scored like the precomputed ones, with the build's weights")
    func onDemandUsesTheBuildsWeights() throws {
        let dir = TemporaryDirectory()
        let precomputed = try build(k: 20, into: dir, name: "full")
        let onDemand = try build(k: 1, into: dir, name: "short")
        var compared = 0
        for post in precomputed.allPosts {
            let request = RelatedRequest(.slug(post.slug), limit: 4)
            let expected = try precomputed.related(request).related
            let got = try onDemand.related(request).related
            #expect(got.map(\.slug) == expected.map(\.slug), "\(post.slug)")
            #expect(zip(got, expected).allSatisfy { abs($0.score - $1.score) < 1e-4 }, "\(post.slug)")
            compared += expected.count
        }
        #expect(compared > 4)
    }
}
