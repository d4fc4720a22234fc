import Foundation
import GRDB

extension SearchIndex {
    /// Searches the generation.
    ///
    /// Posts that contain every word come first, ranked by BM25F; when they are fewer than the page needs,
    /// posts containing some of the words follow, ranked the same way (Meilisearch's matching strategy), so a
    /// question in plain language still gets answers. The query is planned once (`QueryPlanner`), ranked by the
    /// first ranker that can rank it (`PostingsTopKRanker`, else `FTS5Ranker`: both give the same page), its
    /// hits made by the first hit maker that can make them (`HitMakers.full`), and a query with unknown words
    /// is corrected (`Corrector`). `rankedBy` says which ranker ran.
    ///
    /// - Throws: `SearchError.invalidParameter` for a bad request; `.internalFailure` if SQLite fails.
    public func search(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        try search(request, rankers: SearchIndex.rankers, hits: HitMakers.full)
    }

    /// The search up to the ranked page, without making its hits (snippets, comments, records): what the
    /// benchmarks compare with engines that return ids alone. `total` and the facets are complete.
    package func searchWithoutHits(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        try search(request, rankers: SearchIndex.rankers, hits: HitMakers.none)
    }

    /// The rankers a search tries, fastest first; the last ranks every query.
    static let rankers: [any Ranker] = [PostingsTopKRanker(), FTS5Ranker()]

    /// A search with the given stages: `rankers` are tried in order until one ranks the plan, `hits` until one
    /// makes the page's hits (none given: a response without hits).
    func search(_ request: SearchRequest, rankers: [any Ranker], hits: [any HitMaker]) throws(SearchError) -> SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        try request.validate()
        var request = request
        var notices: [String] = []
        if let cut = SearchIndex.cut(request.query) {
            notices.append("the query was cut to its first \(cut.count) characters (of \(request.query.count)); the most is \(SearchRequest.maxQueryLength)")
            request.query = cut
        }
        let planner = QueryPlanner(index: self)
        let plan = try planner.plan(request)
        var answer = try answer(plan, rankers: rankers, hits: hits)
        if request.correct {
            answer = try Corrector(index: self, planner: planner).corrected(answer, plan: plan, rankers: rankers, hits: hits)
        }
        answer.response.notices = notices + answer.response.notices
        answer.response.tookMs = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        return answer.response
    }

    /// A query over `SearchRequest.maxQueryLength` characters cut at the last word boundary within it (or at
    /// the limit, for one long word); nil when the query is within the limit.
    static func cut(_ query: String) -> String? {
        guard query.count > SearchRequest.maxQueryLength else { return nil }
        let head = query.prefix(SearchRequest.maxQueryLength)
        let next = query[head.endIndex]
        guard !next.isWhitespace, let space = head.lastIndex(where: \.isWhitespace) else { return String(head) }
        return String(head[..<space])
    }

    /// One plan's response, with how many posts match every clause.
    struct Answer {
        var response: SearchResponse
        var allCount: Int
    }

    /// The plan ranked and its hits made: no cutting, no correction.
    /// - Parameter facets: whether to count categories and tags over the matches (a search box needs none).
    func answer(_ plan: QueryPlan, rankers: [any Ranker], hits: [any HitMaker], facets: Bool = true) throws(SearchError) -> Answer {
        var response = SearchResponse(query: plan.request.query, total: 0, hits: [], facets: .init(categories: [], tags: []),
                                      tookMs: 0, hint: plan.hint, notices: plan.notices, rankedBy: RankingPath.fts5)
        guard let match = plan.match else { return Answer(response: response, allCount: 0) }
        var allCount = 0
        do {
            try read { db in
                for ranker in rankers {
                    guard let ranking = try ranker.rank(plan, match, db, index: self) else { continue }
                    response.rankedBy = ranking.rankedBy
                    response.total = ranking.matches.count
                    allCount = ranking.allCount
                    if facets { response.facets = facetCounts(ranking.matches) }
                    for maker in hits {
                        guard let made = try maker.hits(ranking, plan, db, index: self) else { continue }
                        response.hits = made
                        break
                    }
                    return
                }
            }
        } catch let error as SearchError {
            throw error
        } catch {
            throw .internalFailure("\(error)")
        }
        return Answer(response: response, allCount: allCount)
    }

    // MARK: - Boosts

    /// Per post (by id - 1): `QueryLanguage.boost` for a post analysed in `language` (an analysis language,
    /// "" for English and the default), 1 for the others. Made once per language and kept (a blog has few).
    func languageFactors(_ language: String) -> [Double] {
        if let cached = languageCache.withLock({ $0[language] }) { return cached }
        let numbers = facetNumbers
        let boosted = numbers.languages.map { (LanguageMarker.analysisLanguage($0) ?? "") == language }
        let factors = numbers.languageOf.map { $0 >= 0 && boosted[Int($0)] ? QueryLanguage.boost : 1 }
        languageCache.withLock { $0[language] = factors }
        return factors
    }


    /// Per post (by id - 1), what the recency boost multiplies its score by: `1 + 2^(-age / halfLife)`, where
    /// age is in days before the generation's newest post (so a generation answers the same whenever it is
    /// asked); the newest post's score doubles, a post one half-life older gets ×1.5; undated posts ×1.
    /// Computed once per half-life and kept (a few half-lives at most are in use).
    func recencyFactors(halfLifeDays: Double) -> (factors: [Double], max: Double) {
        if let cached = recencyCache.withLock({ $0[halfLifeDays] }) { return cached }
        let days = posts.map { $0.date.flatMap(DateText.dayNumber) }
        let newest = days.compactMap { $0 }.max() ?? 0
        let factors = days.map { day in day.map { 1 + exp2(-Double(newest - $0) / halfLifeDays) } ?? 1 }
        let result = (factors, factors.max() ?? 1)
        recencyCache.withLock { cache in
            if cache.count >= 8 { cache.removeAll() }
            cache[halfLifeDays] = result
        }
        return result
    }
}
