import Foundation
import GRDB

/// A query planned once: what every ranker and hit maker reads. The planner (`QueryPlanner`) makes it from a
/// request; nothing after it parses, renders or tokenizes the query again.
struct QueryPlan {
    /// The request, with its query cut to `SearchRequest.maxQueryLength` characters when it was longer.
    var request: SearchRequest
    /// The query as typed, parsed: the words a correction may replace.
    var typed: ParsedQuery
    /// What is matched: the typed query with synonyms added, its last word completed (`prefixLast`) and
    /// prefixes expanded to the stems they stand for.
    var parsed: ParsedQuery
    /// The last word, when it was completed from the vocabulary.
    var completed: String?
    /// The query's analysis language ("" for English): the request's, or guessed (`QueryLanguage`) on a blog
    /// of several languages; nil when neither tells.
    var language: String? = nil
    /// What the planner changed about the query, for the reader.
    var notices: [String]
    /// Why nothing can match, when the query itself is the reason (no words, only stop words, only exclusions).
    var hint: String?
    /// How to match: nil when nothing can (see `hint`), or when no post is dated within the date filter.
    var match: Match?

    /// The query as FTS5 MATCH expressions, with the filters.
    struct Match {
        /// Tier one (every clause) and both tiers (any phrase), restricted to the text columns and the facet filters.
        var allPosts: String
        var anyPosts: String
        /// Tier two: some phrase but not every clause.
        var restPosts: String
        /// Whether there are two tiers (more than one clause).
        var tiered: Bool
        /// The posts dated within the date filter, as a rowid range (posts are numbered in date order).
        var range: ClosedRange<Int64>
        /// Facet tokens every match must hold (categories, tags, author, language).
        var facets: [String]
        /// With relevance order and a recency half-life: per post (by id - 1) the factor its score is
        /// multiplied by, and the largest.
        var boost: (factors: [Double], max: Double)?
        /// The expression that matches the posts of a tier: `allPosts` (or `anyPosts` with one tier) for tier one.
        func expression(allTerms: Bool) -> String { !tiered ? anyPosts : allTerms ? allPosts : restPosts }
    }

    /// Each phrase of `parsed` as the index's terms, in the order of `ParsedQuery.phrases`; nil when a phrase
    /// has no terms, a prefix has several, or there are more than 64 phrases (what the postings can rank).
    var terms: PhraseTerms?

    /// A query's phrases as terms of the index's tokenizer (FTS5 tokenizes a quoted phrase as a whole).
    struct PhraseTerms {
        /// Where a phrase's postings come from.
        enum Source: Hashable {
            /// One term's stored postings.
            case term(String)
            /// Several terms in a row: made from their postings (`bs_phrase_postings`).
            case phrase([String])
            /// Every term starting with the stem: their union (`bs_union_postings`).
            case prefix(String)
        }
        /// Per phrase of `ParsedQuery.phrases`.
        var sources: [Source]
        /// Per phrase: the clause it belongs to.
        var clauseOf: [Int32]
        var clauseCount: Int

        /// Each phrase's length in terms: what a highlight of one of its instances covers.
        var phraseLengths: [Int] {
            sources.map { if case .phrase(let terms) = $0 { terms.count } else { 1 } }
        }

        /// The most phrases one token position can hold an instance of (the proximity bound needs it): for
        /// single words, how often the most repeated one is repeated; otherwise at most every other phrase.
        var maxInstancesPerPosition: Int32 {
            guard sources.allSatisfy({ if case .term = $0 { true } else { false } }) else { return Int32(max(1, sources.count - 1)) }
            var counts: [Source: Int32] = [:]
            for source in sources { counts[source, default: 0] += 1 }
            return counts.values.max() ?? 1
        }
    }
}

/// Makes a `QueryPlan`: parses the query, adds synonyms, completes the last word, expands prefixes, renders
/// the MATCH expressions, turns the date filter into a rowid range and the facet filters into tokens, and
/// tokenizes each phrase into the index's terms — once per query.
struct QueryPlanner {
    let index: SearchIndex

    /// The plan of a validated request (its query already within `SearchRequest.maxQueryLength`).
    func plan(_ request: SearchRequest) throws(SearchError) -> QueryPlan {
        var plan = try planQuery(request)
        guard plan.hint == nil, let range = index.rowRange(since: request.since, until: request.until) else { return plan }
        let facets = Facet.tokens(categories: request.categories, tags: request.tags, author: request.author,
                                  language: request.lang.flatMap(SearchRequest.normalizedLanguage))
        let boost = request.sort == .relevance ? self.boost(request, language: plan.language) : nil
        plan.match = match(plan.parsed, range: range, facets: facets, boost: boost)
        return plan
    }

    /// With relevance order: the recency boost, and, when the request names no language but the query's script
    /// or words tell one of the blog's, posts in it ranked ahead (`QueryLanguage.boost`); nil when neither applies.
    private func boost(_ request: SearchRequest, language: String?) -> (factors: [Double], max: Double)? {
        let recency = request.recencyHalfLifeDays.map(index.recencyFactors)
        guard request.lang == nil, let language else { return recency }
        let factors = index.languageFactors(language)
        guard let recency else { return (factors, QueryLanguage.boost) }
        return (zip(factors, recency.factors).map { $0 * $1 }, QueryLanguage.boost * recency.max)
    }

    /// The plan for another query text with the same filters: what a spelling correction changes (the words,
    /// their expressions and terms), the rest kept from `plan`.
    func replan(_ plan: QueryPlan, query: String) throws(SearchError) -> QueryPlan {
        var request = plan.request
        request.query = query
        var other = try planQuery(request)
        if other.hint == nil, let kept = plan.match {
            other.match = match(other.parsed, range: kept.range, facets: kept.facets, boost: kept.boost)
        }
        return other
    }

    /// The query's part of a plan (no `match` yet): parsed, synonyms, completion, prefixes, terms, and the hint
    /// when nothing can match.
    private func planQuery(_ request: SearchRequest) throws(SearchError) -> QueryPlan {
        let typed = QueryParser.parse(request.query)
        var plan = QueryPlan(request: request, typed: typed, parsed: typed, completed: nil, notices: [], hint: nil, match: nil, terms: nil)
        plan.language = try language(request, typed)
        var parsed = typed.expanding(index.synonyms)
        if plan.request.prefixLast, let completion = try completingLastWord(parsed, query: plan.request.query, language: plan.language) {
            parsed = completion.query
            plan.completed = completion.word
        }
        if parsed.truncated {
            plan.notices.append("only the first \(QueryParser.maxClauses) words were used")
        }
        if parsed.hasPrefixTerm {
            do {
                parsed = try index.read { db in try expandPrefixes(parsed, db) }
            } catch {
                throw .wrapping(error)
            }
        }
        if !parsed.clauses.isEmpty {
            parsed = try analysed(parsed, language: request.lang.flatMap(SearchRequest.normalizedLanguage))
        }
        plan.parsed = parsed
        if parsed.clauses.isEmpty {
            plan.hint = QueryPlanner.hint(for: parsed)
        } else {
            plan.terms = terms(parsed)
        }
        return plan
    }

    /// Each phrase analysed as the posts it may match are (`LanguageMarker` on its first token). With the
    /// request's language: as that language only (unmarked when it is English). Without one: as English and,
    /// where they give other terms, as each other language of the blog, any of which may match — a query finds
    /// posts of every language, each analysed its own way. Prefixes are not analysed per language.
    private func analysed(_ parsed: ParsedQuery, language: String?) throws(SearchError) -> ParsedQuery {
        let only = language != nil
        let languages = only ? [LanguageMarker.analysisLanguage(language)].compactMap { $0 }
                             : index.facetNumbers.languages.compactMap(LanguageMarker.analysisLanguage)
        guard !languages.isEmpty else { return parsed }
        func marked(_ tokens: [String], _ language: String) -> [String] {
            [LanguageMarker.mark(tokens[0], language: language)] + tokens.dropFirst()
        }
        do {
            return try index.tokenizers.with { tokenizer in
                func variants(_ clause: ParsedQuery.Clause) -> [ParsedQuery.Clause] {
                    switch clause {
                    case .any(let inner):
                        return inner.flatMap(variants)
                    case .phrase(let tokens, let prefix):
                        guard !prefix, !tokens.isEmpty else { return [clause] }
                        if only { return [.phrase(marked(tokens, languages[0]), prefix: false)] }
                        var seen: Set<[String]> = [tokenizer.terms(tokens.joined(separator: " "))]
                        var all = [clause]
                        for language in languages {
                            let other = marked(tokens, language)
                            let terms = tokenizer.terms(other.joined(separator: " "))
                            if !terms.isEmpty, seen.insert(terms).inserted { all.append(.phrase(other, prefix: false)) }
                        }
                        return all
                    }
                }
                var analysed = parsed
                analysed.clauses = parsed.clauses.map { clause in
                    let all = variants(clause)
                    return all.count == 1 ? all[0] : .any(all)
                }
                return analysed
            }
        } catch {
            throw .wrapping(error)
        }
    }

    private func match(_ parsed: ParsedQuery, range: ClosedRange<Int64>, facets: [String],
                       boost: (factors: [Double], max: Double)?) -> QueryPlan.Match? {
        guard let all = MatchExpression.all(parsed), let any = MatchExpression.any(parsed) else { return nil }
        return QueryPlan.Match(allPosts: MatchExpression.forPosts(all, facets: facets),
                               anyPosts: MatchExpression.forPosts(any, facets: facets),
                               restPosts: MatchExpression.forPosts(MatchExpression.anyButNotAll(any, all), facets: facets),
                               tiered: parsed.clauses.count > 1, range: range, facets: facets, boost: boost)
    }

    /// Each phrase's terms, or nil when the postings cannot rank the query (see `QueryPlan.terms`).
    private func terms(_ parsed: ParsedQuery) -> QueryPlan.PhraseTerms? {
        try? index.tokenizers.with { tokenizer -> QueryPlan.PhraseTerms? in
            var sources: [QueryPlan.PhraseTerms.Source] = []
            var clauseOf: [Int32] = []
            for (c, clause) in parsed.clauses.enumerated() {
                let phrases: [ParsedQuery.Clause] = if case .any(let inner) = clause { inner } else { [clause] }
                for phrase in phrases {
                    guard case .phrase(let tokens, let prefix) = phrase else { return nil }
                    let terms = tokenizer.terms(tokens.joined(separator: " "))
                    guard !terms.isEmpty else { return nil }
                    if prefix {
                        guard terms.count == 1 else { return nil }
                        sources.append(.prefix(terms[0]))
                    } else {
                        sources.append(terms.count == 1 ? .term(terms[0]) : .phrase(terms))
                    }
                    clauseOf.append(Int32(c))
                }
            }
            guard !sources.isEmpty, sources.count <= 64 else { return nil }
            return QueryPlan.PhraseTerms(sources: sources, clauseOf: clauseOf, clauseCount: parsed.clauses.count)
        } ?? nil
    }

    /// The query with its last clause, when it is a plain word with nothing typed after it, replaced by the
    /// word's most frequent completions from the vocabulary (any of which may match; several forms of one stem
    /// count once); nil when the query does not end in such a word or nothing completes it.
    /// The query's analysis language: the request's; else, on a blog of several, the one its script tells, or the
    /// one whose posts write its words most (`QueryLanguage`); nil when none does.
    private func language(_ request: SearchRequest, _ typed: ParsedQuery) throws(SearchError) -> String? {
        if let named = request.lang.flatMap(SearchRequest.normalizedLanguage) { return LanguageMarker.analysisLanguage(named) ?? "" }
        let languages = index.facetNumbers.languages
        guard languages.count > 1 else { return nil }
        if let tag = QueryLanguage.guess(request.query, among: languages) { return LanguageMarker.analysisLanguage(tag) ?? "" }
        return QueryLanguage.guess(words: typed.plainWords.map(\.token), vocabularies: try index.vocabularies().languages)
    }

    func completingLastWord(_ parsed: ParsedQuery, query: String, language: String?) throws(SearchError) -> (query: ParsedQuery, word: String)? {
        guard let last = parsed.plainWords.last, let clause = last.clause, clause == parsed.clauses.count - 1,
              parsed.clauses[clause] == .phrase([last.token], prefix: false), last.range.upperBound == query.count,
              last.token.count >= SearchIndex.minCompletionLength else { return nil }
        let completions = try index.spelling(language: language).completions(of: last.token, limit: SearchIndex.completionLimit)
        guard !completions.isEmpty else { return nil }
        var stems = Set<String>()
        var words: [String] = []
        do {
            try index.tokenizers.with { tokenizer in
                for completion in completions {
                    let terms = tokenizer.terms(completion.word)
                    if terms.count == 1, stems.insert(terms[0]).inserted { words.append(completion.word) }
                }
            }
        } catch {
            throw .wrapping(error)
        }
        guard !words.isEmpty else { return nil }
        var completed = parsed
        let phrases = words.map { ParsedQuery.Clause.phrase([$0], prefix: false) }
        completed.clauses[clause] = phrases.count == 1 ? phrases[0] : .any(phrases)
        return (completed, last.token)
    }

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
