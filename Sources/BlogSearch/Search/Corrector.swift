/// Spelling correction of a whole search: when the query has words the index does not know, the query with
/// those words corrected (`SearchIndex.correction(of:parsed:skipping:)`) is planned again — its words only,
/// the filters kept — and ranked. It answers instead of the typed query when that found nothing, or nothing
/// with every word while the correction does; otherwise it is only offered (`didYouMean`).
struct Corrector {
    let index: SearchIndex
    let planner: QueryPlanner

    func corrected(_ answer: SearchIndex.Answer, plan: QueryPlan, rankers: [any Ranker],
                   hits: [any HitMaker]) throws(SearchError) -> SearchIndex.Answer {
        guard let corrected = try index.correction(of: plan.request.query, parsed: plan.typed, skipping: plan.completed,
                                                           language: plan.language) else {
            return answer
        }
        // When the typed query found posts with every word, the correction can only be offered: it is ranked
        // without hits.
        let mayAnswer = answer.response.total == 0 || answer.allCount == 0
        let alternative = try index.answer(planner.replan(plan, query: corrected.text), rankers: rankers, hits: mayAnswer ? hits : [])
        guard alternative.response.total > 0 else { return answer }
        var result = answer
        if mayAnswer && (answer.response.total == 0 || alternative.allCount > 0) {
            result = alternative
            result.response.query = answer.response.query
            result.response.correctedQuery = corrected.text
        } else {
            result.response.didYouMean = corrected.text
        }
        return result
    }
}
