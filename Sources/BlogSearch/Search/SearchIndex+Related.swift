import Foundation
import GRDB

extension SearchIndex {
    /// Related posts for a post (by slug or URL) or for free text.
    ///
    /// For a post, the precomputed top K list is a lookup; when options filter it below `limit` (or `limit`
    /// exceeds K), more are computed on demand from the vectors: candidates come from the search index (an OR
    /// of the post's strongest terms, as more_like_this does), and each is scored exactly with the same blend
    /// as at build time. Free text gets a vector with the corpus's idf and goes the on-demand way.
    ///
    /// - Throws: `SearchError.postNotFound` / `.urlNotFound` (with close matches), `.invalidParameter`.
    public func related(_ request: RelatedRequest) throws(SearchError) -> RelatedResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        try request.validate()
        var response = RelatedResponse(slug: nil, related: [], tookMs: 0)
        do {
            switch request.source {
            case .slug(let slug):
                guard let id = idsBySlug[slug] else { throw SearchError.postNotFound(slug: slug, suggestions: suggestions(for: slug)) }
                response.slug = slug
                response.related = try relatedToPost(id, request)
            case .url(let url):
                guard let id = postID(forURL: url) else {
                    throw SearchError.urlNotFound(url: url, suggestions: urlSuggestions(for: url))
                }
                response.slug = posts[Int(id) - 1].slug
                response.related = try relatedToPost(id, request)
            case .text(let text):
                response.related = try relatedToText(text, request)
            }
        } catch let error as SearchError {
            throw error
        } catch {
            throw .internalFailure("\(error)")
        }
        response.tookMs = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        return response
    }

    // MARK: - Sources

    /// A post's URL as stored, or as a full address (`https://blog.example/posts/x/?utm=…`), with or
    /// without its trailing slash.
    func postID(forURL url: String) -> Int64? {
        var path = url
        if let components = URLComponents(string: url), components.host != nil {
            path = components.path.isEmpty ? "/" : components.path
        }
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
        for candidate in [path, path.hasSuffix("/") ? String(path.dropLast()) : path + "/"] {
            if let id = idsByURL[candidate] { return id }
        }
        return nil
    }

    private func urlSuggestions(for url: String) -> [String] {
        let tail = url.split(separator: "/").last.map(String.init) ?? url
        return suggestions(for: tail).compactMap { post(slug: $0)?.url }
    }

    private func relatedToPost(_ id: Int64, _ request: RelatedRequest) throws -> [RelatedResponse.Item] {
        let me = posts[Int(id) - 1]
        let excluded = Set(request.exclude.compactMap { idsBySlug[$0] } + [id])
        return try read { db in
            var items: [(id: Int64, score: Double, terms: [String])] = []
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT other_id, score, shared_terms FROM related WHERE post_id = ? ORDER BY rank"),
                                        arguments: [id])
            for row in rows {
                let other: Int64 = row[0]
                if keep(other, for: me, excluded: excluded, request) { items.append((other, row[1], JSONText.decode(row[2]))) }
            }
            if items.count < request.limit, rows.count >= manifest.relatedK {
                let vector = try self.vector(db, id)
                let known = Set(items.map(\.id))
                let more = try onDemand(db, vector: vector, facets: facets(of: me)) { other in
                    !known.contains(other) && keep(other, for: me, excluded: excluded, request)
                }
                items = (items + more).sorted { $0.score > $1.score }
            }
            return items.prefix(request.limit).map { item(posts[Int($0.id) - 1], score: $0.score, terms: $0.terms, for: me) }
        }
    }

    private func relatedToText(_ text: String, _ request: RelatedRequest) throws -> [RelatedResponse.Item] {
        let counts = try tokenizers.with { $0.termCounts(text) }
        guard !counts.isEmpty else { return [] }
        let excluded = Set(request.exclude.compactMap { idsBySlug[$0] })
        return try read { db in
            // Terms the corpus has get their id and idf; others only count towards the norm.
            var known: [String: (id: Int32, df: Int)] = [:]
            let termList = Array(counts.keys)
            for chunk in stride(from: 0, to: termList.count, by: 500) {
                let part = Array(termList[chunk..<min(termList.count, chunk + 500)])
                let sql = "SELECT term, id, df FROM terms WHERE term IN (\(Array(repeating: "?", count: part.count).joined(separator: ",")))"
                for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(part)) {
                    known[row[0]] = (row[1], row[2])
                }
            }
            let n = manifest.posts
            var weights: [Int32: Double] = [:]
            var norm = 0.0
            for (term, c) in counts {
                let df = known[term]?.df ?? 0
                let w = TermVectorBuilder.tf(c) * TermVectorBuilder.idf(documentFrequency: df, documents: n)
                norm += w * w
                if let id = known[term]?.id { weights[id] = w }
            }
            norm = norm.squareRoot()
            let ids = weights.keys.sorted()
            let vector = SparseVector(ids: ids, weights: ids.map { Float(weights[$0]! / max(norm, 1e-12)) })
            let none = PostFacets(tags: [], categories: [], date: nil)
            let items = try onDemand(db, vector: vector, facets: none) { !excluded.contains($0) }
            return items.prefix(request.limit).map { item(posts[Int($0.id) - 1], score: $0.score, terms: $0.terms, for: nil) }
        }
    }

    // MARK: - On demand

    /// Candidates from the search index, scored exactly. Returns (id, score, shared terms), best first.
    private func onDemand(_ db: Database, vector: SparseVector, facets mine: PostFacets,
                          accept: (Int64) -> Bool) throws -> [(id: Int64, score: Double, terms: [String])] {
        let strongest = vector.strongest(OnDemand.queryTerms)
        guard !strongest.isEmpty else { return [] }
        let display = try displayForms(db, strongest)
        let clauses = strongest.compactMap { display[$0] }.flatMap { Analyzer.queryTokens($0) }.map { MatchExpression.quote($0) }
        guard !clauses.isEmpty else { return [] }
        let match = MatchExpression.forPosts("(" + clauses.joined(separator: " OR ") + ")", facets: [])
        let candidates = try Int64.fetchAll(db, sql: """
            SELECT rowid FROM post_text WHERE post_text MATCH ? ORDER BY \(weights.sqlFunction) LIMIT \(OnDemand.candidates)
            """, arguments: [match]).filter(accept)
        let scorer = RelatedScorer(weights: relatedWeights)
        var scored: [(id: Int64, score: Double, vector: SparseVector)] = []
        for id in candidates {
            let other = try self.vector(db, id)
            let score = scorer.score(cosine: Double(vector.dot(other)), mine, facets(of: posts[Int(id) - 1]))
            if score >= relatedWeights.minimumScore { scored.append((id, score, other)) }
        }
        scored.sort { $0.score > $1.score }
        let top = scored.prefix(RelatedRequest.limitRange.upperBound)
        let shared = top.map { vector.sharedTerms($0.vector).prefix(4 * RelatedExplanation.sharedTermCount) }
        let names = try displayForms(db, Array(Set(shared.flatMap { $0.map(\.id) })))
        return zip(top, shared).map { ($0.id, $0.score, RelatedExplanation.terms(Array($1)) { names[$0] }) }
    }

    enum OnDemand {
        /// Strongest terms of the vector that look up candidates.
        static let queryTerms = 24
        /// Candidates scored exactly.
        static let candidates = 300
    }

    private func vector(_ db: Database, _ id: Int64) throws -> SparseVector {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT term_ids, weights FROM vectors WHERE post_id = ?"), arguments: [id]),
              let vector = SparseVector(idBlob: row[0], weightBlob: row[1]) else { return .empty }
        return vector
    }

    private func displayForms(_ db: Database, _ ids: [Int32]) throws -> [Int32: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [Int32: String] = [:]
        let sql = "SELECT id, display FROM terms WHERE id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))"
        for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(ids.map { Int64($0) })) {
            result[Int32(row[0] as Int64)] = row[1]
        }
        return result
    }

    // MARK: - Filters and items

    private func keep(_ other: Int64, for me: PostSummary, excluded: Set<Int64>, _ request: RelatedRequest) -> Bool {
        if excluded.contains(other) { return false }
        let post = posts[Int(other) - 1]
        // Related posts are in the post's own language; its translations are listed apart.
        if let theirs = post.lang, let mine = me.lang, theirs != mine { return false }
        if request.sameCategory {
            let mine = Set(me.categories.map { $0.lowercased() })
            if !post.categories.contains(where: { mine.contains($0.lowercased()) }) { return false }
        }
        if request.olderOnly {
            guard let myDate = me.date, let theirs = post.date, theirs < myDate else { return false }
        }
        return true
    }

    func facets(of post: PostSummary) -> PostFacets {
        PostFacets(tags: post.tags, categories: post.categories, date: post.date)
    }

    private func item(_ post: PostSummary, score: Double, terms: [String], for me: PostSummary?) -> RelatedResponse.Item {
        func shared(_ mine: [String]?, _ theirs: [String]) -> [String] {
            guard let mine else { return [] }
            let lower = Set(theirs.map { $0.lowercased() })
            return mine.filter { lower.contains($0.lowercased()) }
        }
        return RelatedResponse.Item(slug: post.slug, title: post.title, url: post.url, date: post.date,
                                    score: (score * 10_000).rounded() / 10_000, sharedTerms: terms,
                                    sharedTags: shared(me?.tags, post.tags), sharedCategories: shared(me?.categories, post.categories),
                                    lang: post.lang, translations: post.translations)
    }
}
