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
            let alternative = try ranked(other, allowTopK: allowTopK, withHits: withHits)
            if alternative.response.total > 0 {
                // The typed query found nothing, or nothing with every word while the correction does: answer the
                // correction. Otherwise only offer it.
                if answer.response.total == 0 || (answer.allCount == 0 && alternative.allCount > 0) {
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

    // MARK: - Hits

    /// A hit from a ranked post: its id, score, snippet and matched-columns mask (`blogsearch_columns`).
    /// - Parameter commentInstances: the hit's instances in the comments column and the phrases' lengths, to
    ///   find the matching comment without tokenizing every comment; nil: `CommentMatcher` tokenizes them.
    func hit(_ db: Database, id: Int64, score: Double, snippet: String?, mask: Int, matchesAll: Bool,
                     query: ParsedQuery, commentInstances: (Data, [Int])? = nil) throws -> SearchResponse.Hit {
        let post = posts[Int(id) - 1]
        var matchedIn: [String] = []
        for (bit, name) in [(0, "title"), (1, "tags"), (2, "body"), (3, "comments")] where mask & (1 << bit) != 0 {
            matchedIn.append(name)
        }
        var comment: SearchResponse.CommentHit? = nil
        if mask & (1 << 3) != 0, post.commentCount > 0 {
            if let (instances, lengths) = commentInstances {
                comment = try bestComment(db, post: post, instances: instances, phraseLengths: lengths)
            } else {
                comment = try bestComment(db, post: post, query: query)
            }
        }
        var snippet = Snippet.html(snippet ?? "")
        if mask & (1 << 2) == 0, let comment { snippet = comment.snippet }
        return SearchResponse.Hit(post, score: score, matchedIn: matchedIn, snippet: snippet, comment: comment, matchesAllTerms: matchesAll)
    }

    /// The comment of `post` that matches best (see `CommentMatcher`). Comments of a post have consecutive ids.
    private func bestComment(_ db: Database, post: PostSummary, query: ParsedQuery) throws -> SearchResponse.CommentHit? {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT comment_id, author, date, body FROM comments WHERE id BETWEEN ? AND ? ORDER BY id"),
                                    arguments: [post.firstComment, post.firstComment + Int64(post.commentCount) - 1])
        let match = try tokenizers.with { tokenizer in
            CommentMatcher(query, tokenizer: tokenizer).best(of: rows.map { $0[3] as String }, tokenizer: tokenizer)
        }
        guard let match else { return nil }
        let row = rows[match.index]
        return SearchResponse.CommentHit(id: row[0], author: row[1], date: row[2], snippet: Snippet.html(match.snippet))
    }

    // MARK: - Filters and facets

    /// The rowids of posts dated within `since...until` (both inclusive, either open), or nil when none are.
    func rowRange(since: String?, until: String?) -> ClosedRange<Int64>? {
        guard !posts.isEmpty else { return nil }
        // Posts are numbered by date, undated first: the first with date >= since, the last with date <= until.
        let dates = posts.lazy.map { $0.date ?? "" }
        var lower = 0
        if let since {
            lower = SearchIndex.partition(dates, count: posts.count) { $0 < since }
        }
        var upper = posts.count - 1
        if let until {
            upper = SearchIndex.partition(dates, count: posts.count) { $0 <= until } - 1
        }
        if since != nil || until != nil {
            // Undated posts never match a date filter.
            lower = max(lower, SearchIndex.partition(dates, count: posts.count) { $0.isEmpty })
        }
        guard lower <= upper else { return nil }
        return Int64(lower + 1)...Int64(upper + 1)
    }

    /// The first index where `belowBoundary` is false, in a sequence where it is true then false.
    private static func partition<C: Collection>(_ values: C, count: Int, _ belowBoundary: (String) -> Bool) -> Int
    where C.Element == String, C.Index == Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belowBoundary(values[values.startIndex + mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    static let facetLimit = 50

    /// Category and tag counts over the matching posts `ids`: the `facetLimit` most frequent of each, ties in
    /// the values' order. A common word matches most posts, so this is a tight loop over flat arrays.
    func facetCounts<C: Collection>(_ ids: C) -> SearchResponse.Facets where C.Element: BinaryInteger {
        let numbers = facetNumbers
        let values = numbers.categories.count + numbers.tags.count
        var counts = [Int32](repeating: 0, count: values)
        counts.withUnsafeMutableBufferPointer { counts in
            numbers.flat.withUnsafeBufferPointer { flat in
                numbers.starts.withUnsafeBufferPointer { starts in
                    for id in ids {
                        let post = Int(id) - 1
                        for i in Int(starts[post])..<Int(starts[post + 1]) { counts[Int(flat[i])] += 1 }
                    }
                }
            }
        }
        func top(_ names: [String], offset: Int) -> [SearchResponse.FacetCount] {
            // The best `facetLimit` (most posts, then the values' order), kept sorted as they come: a common word
            // counts thousands of tags, and sorting them all was a tenth of its search.
            typealias Found = (count: Int32, rank: Int32, index: Int)
            func better(_ a: Found, _ b: Found) -> Bool { (b.count, a.rank) < (a.count, b.rank) }
            var found: [Found] = []
            found.reserveCapacity(SearchIndex.facetLimit + 1)
            for i in names.indices where counts[offset + i] > 0 {
                let candidate: Found = (counts[offset + i], numbers.rank[offset + i], i)
                if found.count == SearchIndex.facetLimit {
                    guard better(candidate, found[found.count - 1]) else { continue }
                    found.removeLast()
                }
                var low = 0, high = found.count
                while low < high {
                    let mid = (low + high) / 2
                    if better(found[mid], candidate) { low = mid + 1 } else { high = mid }
                }
                found.insert(candidate, at: low)
            }
            return found.map { SearchResponse.FacetCount(value: names[$0.index], count: Int($0.count)) }
        }
        return SearchResponse.Facets(categories: top(numbers.categories, offset: 0), tags: top(numbers.tags, offset: numbers.categories.count))
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
