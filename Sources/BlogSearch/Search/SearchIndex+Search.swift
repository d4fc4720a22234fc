import Foundation
import GRDB

extension SearchIndex {
    /// Searches the generation.
    ///
    /// Posts that contain every word come first, ranked by BM25F; when they are fewer than the page needs,
    /// posts containing some of the words follow, ranked the same way (Meilisearch's matching strategy), so a
    /// question in plain language still gets answers. Most queries are ranked over blogsearch's own postings
    /// without scoring every match (`SearchIndex+TopK`); the others by FTS5, each ranked query an inner
    /// `MATCH … ORDER BY score LIMIT` over `post_text` with filters inside the MATCH (facet tokens) or as rowid
    /// ranges (dates). Both give the same answer; `rankedBy` says which ran.
    ///
    /// - Throws: `SearchError.invalidParameter` for a bad request; `.internalFailure` if SQLite fails.
    public func search(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        try search(request, allowTopK: true)
    }

    /// The search up to the ranked page, without making its hits (snippets, comments, records): what the
    /// benchmarks compare with engines that return ids alone. `total` and the facets are complete.
    package func searchWithoutHits(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        try search(request, allowTopK: true, withHits: false)
    }

    /// `allowTopK: false` ranks every match through FTS5, the reference the top-k path must equal.
    func search(_ request: SearchRequest, allowTopK: Bool, withHits: Bool = true) throws(SearchError) -> SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        try request.validate()
        var request = request
        var notices: [String] = []
        if let cut = SearchIndex.cut(request.query) {
            notices.append("the query was cut to its first \(cut.count) characters (of \(request.query.count)); the most is \(SearchRequest.maxQueryLength)")
            request.query = cut
        }
        var answer = try ranked(request, allowTopK: allowTopK, withHits: withHits)
        if request.correct, let corrected = try correction(of: request.query, parsed: answer.parsed, skipping: answer.completed) {
            var other = request
            other.query = corrected.text
            // When the typed query found posts with every word, the correction can only be offered: it is ranked
            // without hits.
            let mayAnswer = answer.response.total == 0 || answer.allCount == 0
            let alternative = try ranked(other, allowTopK: allowTopK, withHits: withHits && mayAnswer)
            if alternative.response.total > 0 {
                // The typed query found nothing, or nothing with every word while the correction does: answer the
                // correction. Otherwise only offer it.
                if mayAnswer && (answer.response.total == 0 || alternative.allCount > 0) {
                    let typed = answer.response.query
                    answer = alternative
                    answer.response.query = typed
                    answer.response.correctedQuery = corrected.text
                } else {
                    answer.response.didYouMean = corrected.text
                }
            }
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

    /// One ranked answer, with what was parsed and how many posts match every clause.
    struct Ranked {
        var response: SearchResponse
        var parsed: ParsedQuery
        var allCount: Int
        /// The last word, when it was completed from the vocabulary (`SearchRequest.prefixLast`).
        var completed: String?
    }

    /// The query as given, ranked: no cutting, no correction.
    /// - Parameter links: for a search box's list of posts: no facet counts, and on the postings path hits
    ///   without snippets, matched columns or comments (title, URL, date and score only).
    func ranked(_ request: SearchRequest, allowTopK: Bool, withHits: Bool, links: Bool = false) throws(SearchError) -> Ranked {
        var parsed = QueryParser.parse(request.query)
        let typed = parsed
        parsed = parsed.expanding(synonyms)
        var completed: String? = nil
        if request.prefixLast, let completion = try completingLastWord(parsed, query: request.query) {
            parsed = completion.query
            completed = completion.word
        }
        var response = SearchResponse(query: request.query, total: 0, hits: [], facets: .init(categories: [], tags: []),
                                      tookMs: 0, hint: nil, notices: [], rankedBy: RankingPath.fts5)
        if parsed.truncated {
            response.notices.append("only the first \(QueryParser.maxClauses) words were used")
        }
        var allCount = 0
        func finish() -> Ranked {
            Ranked(response: response, parsed: typed, allCount: allCount, completed: completed)
        }
        if parsed.hasPrefixTerm {
            do {
                parsed = try read { db in try expandPrefixes(parsed, db) }
            } catch {
                throw .wrapping(error)
            }
        }
        // Date order and the recency boost change what is ranked first; the top-k path bounds the boost too.
        let boost = request.sort == .relevance ? request.recencyHalfLifeDays.map(recencyFactors) : nil
        let plan = allowTopK && request.sort == .relevance ? topKPlan(parsed) : nil
        guard let all = MatchExpression.all(parsed), let any = MatchExpression.any(parsed) else {
            response.hint = SearchIndex.hint(for: parsed)
            return finish()
        }
        guard let range = rowRange(since: request.since, until: request.until) else { return finish() }
        let facets = Facet.tokens(categories: request.categories, tags: request.tags, author: request.author)
        let anyMatch = MatchExpression.forPosts(any, facets: facets)
        let tiered = parsed.clauses.count > 1
        let allMatch = MatchExpression.forPosts(all, facets: facets)
        let restMatch = MatchExpression.forPosts(MatchExpression.anyButNotAll(any, all), facets: facets)
        let ranking = weights.rankFunction

        /// The hits of ranked posts, made one by one: snippet, matched columns and matched comment.
        func hits(_ db: Database, _ page: some Sequence<(id: Int64, score: Double, all: Bool)>, lengths: [Int]?) throws -> [SearchResponse.Hit] {
            let marks = topK?.snippetMarks == true ? "(SELECT body FROM snippet_marks WHERE post_id = ?2)" : "NULL"
            let snippet = try db.cachedStatement(sql: """
                SELECT blogsearch_snippet(post_text, 2, \(Snippet.tokens), \(marks)), blogsearch_columns(post_text),
                       blogsearch_instances(post_text, 3)
                FROM post_text WHERE post_text MATCH ?1 AND rowid = ?2
                """)
            let lengths = topK?.commentStarts == true ? lengths : nil
            return try page.map { found in
                let match = !tiered ? anyMatch : found.all ? allMatch : restMatch
                let row = try snippet.firstRow(id: found.id, after: match) { row in
                    (snippet: row.text(0), mask: Int(row.int64(1)), instances: row.withBytes(2) { Data($0) })
                }
                return try hit(db, id: found.id, score: found.score, snippet: row?.snippet, mask: row?.mask ?? 0,
                               matchesAll: found.all, query: parsed, commentInstances: lengths.map { (row?.instances ?? Data(), $0) })
            }
        }

        if let plan {
            response.rankedBy = RankingPath.postings
            do {
                try read { db in
                    let allowed = try allowedPosts(db, facets: facets, excluded: parsed.excluded)
                    let answer = try topK(plan, db, range: range, allowed: allowed, k: request.offset + request.limit, tiered: tiered,
                                          boost: boost)
                    response.total = answer.matches.count
                    allCount = answer.allCount
                    if !links { response.facets = facetCounts(answer.matches) }
                    guard withHits else { return }
                    if links {
                        response.hits = answer.hits.dropFirst(request.offset).map { found in
                            SearchResponse.Hit(posts[Int(found.id) - 1], score: found.score, matchesAllTerms: found.all)
                        }
                        return
                    }
                    let page = answer.hits.dropFirst(request.offset)
                    response.hits = try postingsHits(db, page, answer: answer, plan: plan, query: parsed)
                        ?? hits(db, page, lengths: plan.phraseLengths)
                }
            } catch let error as SearchError {
                throw error
            } catch {
                throw .internalFailure("\(error)")
            }
            return finish()
        }

        do {
            try read { db in
                let blob = try Data.fetchOne(db.cachedStatement(sql: "SELECT blogsearch_rowids(rowid) FROM post_text WHERE post_text MATCH ? AND rowid BETWEEN ? AND ?"),
                                             arguments: [anyMatch, range.lowerBound, range.upperBound]) ?? Data()
                let matching: [Int64] = blob.withUnsafeBytes { raw in
                    (0..<raw.count / 8).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self) }
                }
                response.total = matching.count
                if !links { response.facets = facetCounts(matching) }
                guard !matching.isEmpty else { return }
                allCount = tiered
                    ? try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM post_text WHERE post_text MATCH ? AND rowid BETWEEN ? AND ?"),
                                       arguments: [allMatch, range.lowerBound, range.upperBound]) ?? 0
                    : matching.count
                guard withHits else { return }
                if let boost {
                    // Every match of a tier scored by FTS5, its score boosted, sorted as the top-k path sorts
                    // (score descending, then id): the reference for the boost.
                    func ordered(_ match: String) throws -> [(id: Int64, score: Double)] {
                        try Row.fetchAll(db.cachedStatement(sql: "SELECT rowid, rank FROM post_text WHERE post_text MATCH ? AND rank MATCH ? AND rowid BETWEEN ? AND ?"),
                                         arguments: [match, ranking, range.lowerBound, range.upperBound])
                            .map { row -> (id: Int64, score: Double) in
                                let id: Int64 = row[0]
                                return (id, -(row[1] as Double) * boost.factors[Int(id) - 1])
                            }
                            .sorted { ($1.score, $0.id) < ($0.score, $1.id) }
                    }
                    var page: [(id: Int64, score: Double, all: Bool)] = []
                    if request.offset < allCount {
                        page += try ordered(tiered ? allMatch : anyMatch).dropFirst(request.offset).prefix(request.limit).map { ($0.id, $0.score, true) }
                    }
                    if tiered, page.count < request.limit, allCount < matching.count {
                        page += try ordered(restMatch).dropFirst(max(0, request.offset - allCount)).prefix(request.limit - page.count)
                            .map { ($0.id, $0.score, false) }
                    }
                    response.hits = try hits(db, page, lengths: nil)
                    return
                }
                // `ORDER BY rank` with `rank MATCH 'function(…)'` lets FTS5 rank all matches in its own sorter and
                // call the snippet and column functions only for the rows of the page. By date: FTS5 walks its
                // rowids (date order) backwards and ranks only the rows of the page.
                let ranked = """
                    SELECT rowid, rank, blogsearch_snippet(post_text, 2, \(Snippet.tokens)), blogsearch_columns(post_text)
                    FROM post_text WHERE post_text MATCH ? AND rank MATCH ? AND rowid BETWEEN ? AND ?
                    ORDER BY \(request.sort == .date ? "rowid DESC" : "rank") LIMIT ? OFFSET ?
                    """
                var rows: [(row: Row, all: Bool)] = []
                if request.offset < allCount {
                    rows += try Row.fetchAll(db.cachedStatement(sql: ranked), arguments: [
                        tiered ? allMatch : anyMatch, ranking, range.lowerBound, range.upperBound,
                        min(request.limit, allCount - request.offset), request.offset,
                    ]).map { ($0, true) }
                }
                if tiered, rows.count < request.limit, allCount < matching.count {
                    rows += try Row.fetchAll(db.cachedStatement(sql: ranked), arguments: [
                        restMatch, ranking, range.lowerBound, range.upperBound, request.limit - rows.count, max(0, request.offset - allCount),
                    ]).map { ($0, false) }
                }
                response.hits = try rows.map {
                    try hit(db, id: $0.row[0], score: -($0.row[1] as Double), snippet: $0.row[2], mask: $0.row[3] ?? 0,
                            matchesAll: $0.all, query: parsed)
                }
            }
        } catch let error as SearchError {
            throw error
        } catch {
            throw .internalFailure("\(error)")
        }
        return finish()
    }

    // MARK: - Recency

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

    // MARK: - Prefixes

    /// FTS5 runs the Porter stemmer over a prefix too, so `escalat*` looks for stems starting with `escalat`,
    /// while `escalation` is stored as `escal`. A stem that is itself a prefix of the typed prefix may belong to
    /// a word that starts with it: each such stem found in the vocabulary is added as an alternative. Porter
    /// removes at most a few letters more than the typed prefix holds, so only stems of at least 4 letters and
    /// at most 4 shorter than the prefix count (`escalat*` adds `escal`, not the `esc` of the Esc key).
    func expandPrefixes(_ parsed: ParsedQuery, _ db: Database) throws -> ParsedQuery {
        func expand(_ clause: ParsedQuery.Clause) throws -> ParsedQuery.Clause {
            switch clause {
            case .any(let inner):
                return .any(try inner.map(expand))
            case .phrase(let tokens, let prefix):
                guard prefix, tokens.count == 1, let token = tokens.first, token.count > 4 else { return clause }
                let candidates = (max(4, token.count - 4)..<token.count).map { String(token.prefix($0)) }
                let placeholders = Array(repeating: "?", count: candidates.count).joined(separator: ", ")
                let stems = try String.fetchAll(db, sql: "SELECT term FROM temp.post_vocab WHERE term IN (\(placeholders))",
                                                arguments: StatementArguments(candidates))
                guard !stems.isEmpty else { return clause }
                return .any([clause] + stems.map { .phrase([$0], prefix: false) })
            }
        }
        var expanded = parsed
        expanded.clauses = try parsed.clauses.map(expand)
        return expanded
    }

    static func hint(for parsed: ParsedQuery) -> String {
        if !parsed.stopWords.isEmpty {
            return "every word was a stop word (\(parsed.stopWords.prefix(5).joined(separator: ", "))); put a phrase in quotes to search for it exactly"
        }
        if !parsed.excluded.isEmpty {
            return "the query only excludes words; add a word to search for"
        }
        return "the query has no words to search for"
    }
}
