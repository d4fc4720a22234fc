import Foundation

/// Date ranges as post ids, and facet counts over the matching posts.
extension SearchIndex {
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
            // counts thousands of tags, and sorting them all would cost more than counting them.
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
        return SearchResponse.Facets(categories: top(numbers.categories, offset: 0), tags: top(numbers.tags, offset: numbers.categories.count),
                                     languages: languageCounts(ids))
    }

    /// Posts per language among the matching posts `ids`, most first (ties in tag order).
    private func languageCounts<C: Collection>(_ ids: C) -> [SearchResponse.FacetCount] where C.Element: BinaryInteger {
        let numbers = facetNumbers
        guard !numbers.languages.isEmpty else { return [] }
        var counts = [Int](repeating: 0, count: numbers.languages.count)
        numbers.languageOf.withUnsafeBufferPointer { languageOf in
            for id in ids {
                let language = Int(languageOf[Int(id) - 1])
                if language >= 0 { counts[language] += 1 }
            }
        }
        return counts.indices.filter { counts[$0] > 0 }.sorted { (counts[$1], $0) < (counts[$0], $1) }
            .map { SearchResponse.FacetCount(value: numbers.languages[$0], count: counts[$0]) }
    }
}
