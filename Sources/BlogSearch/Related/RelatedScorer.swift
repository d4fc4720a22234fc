import Foundation

/// What the blend needs to know of a post besides its vector.
struct PostFacets: Sendable {
    var tags: Set<String>
    var categories: Set<String>
    /// Days since 1970-01-01, when the post has a date.
    var day: Int?

    init(tags: [String], categories: [String], date: String?) {
        self.tags = Set(tags.map { $0.lowercased() })
        self.categories = Set(categories.map { $0.lowercased() })
        day = date.flatMap(PostFacets.days)
    }

    static func days(_ isoDay: String) -> Int? {
        let parts = isoDay.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        // Days from civil (Howard Hinnant's algorithm): exact for the proleptic Gregorian calendar.
        let (y0, m, d) = (parts[0], parts[1], parts[2])
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// The related-posts score, the same at build time (precomputed lists) and at serve time (on demand):
///
///     score = cosine(v_a, v_b)                                   TF-IDF text similarity, in [0, 1]
///           + w_tags       · |T_a ∩ T_b| / √(|T_a| · |T_b|)       shared tags (0 when either has none)
///           + w_categories · |C_a ∩ C_b| / √(|C_a| · |C_b|)       shared categories
///           + w_recency    · 0.5^(|day_a − day_b| / half-life)    closeness in time (off by default)
///
/// A pair scoring below `minimumScore` is not related.
struct RelatedScorer: Sendable {
    let weights: RelatedWeights

    func score(cosine: Double, _ a: PostFacets, _ b: PostFacets) -> Double {
        var score = cosine
        if weights.tags > 0 { score += weights.tags * RelatedScorer.setCosine(a.tags, b.tags) }
        if weights.categories > 0 { score += weights.categories * RelatedScorer.setCosine(a.categories, b.categories) }
        if weights.recency > 0, let da = a.day, let db = b.day, weights.recencyHalfLifeDays > 0 {
            score += weights.recency * pow(0.5, Double(abs(da - db)) / weights.recencyHalfLifeDays)
        }
        return score
    }

    static func setCosine(_ a: Set<String>, _ b: Set<String>) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let shared = a.count < b.count ? a.filter(b.contains).count : b.filter(a.contains).count
        return Double(shared) / (Double(a.count) * Double(b.count)).squareRoot()
    }
}
